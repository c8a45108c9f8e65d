// The job summary: the operation and a small table of the peer, with before → after for changes.
import type { Outcome } from './apply.js';
import type { OutputName } from './outputs.js';

const SHOWN: OutputName[] = ['peer_id', 'name', 'ip', 'port', 'ixfr_enable', 'tsig_id'];

/** The one log line that says what happened. */
export function headline(outcome: Outcome, outputs: Record<OutputName, string>): string {
  const who = outputs.peer_id ? `peer ${outputs.name} (${outputs.peer_id})` : `peer ${outputs.name}`;
  const what = {
    created: ['created', 'would be created'],
    updated: ['updated', 'would be updated'],
    unchanged: ['already as asked: unchanged', 'is already as asked: unchanged'],
    deleted: ['deleted', 'would be deleted'],
    not_found: ['not found: nothing to delete', 'not found: nothing to delete'],
  }[outcome.operation];
  return outcome.dryRun
    ? `Dry run: ${who} ${what[1]} (nothing was written)`
    : `Cloudflare Secondary DNS ${who}: ${what[0]}`;
}

export function summaryMarkdown(outcome: Outcome, outputs: Record<OutputName, string>): string {
  const before = new Map<string, string>(outcome.changes.map((change) => [change.field, change.before]));
  const rows = SHOWN.map((field) => {
    const was = before.get(field);
    const value = was === undefined ? cell(outputs[field]) : `${cell(was)} → ${cell(outputs[field])}`;
    return `| ${field} | ${value} |`;
  });
  const dryRun = outcome.dryRun ? ' (dry run: nothing was written)' : '';
  return [
    '### Cloudflare Secondary DNS peer',
    '',
    `**operation: ${outcome.operation}**${dryRun}`,
    '',
    '| field | value |',
    '|---|---|',
    ...rows,
    '',
  ].join('\n');
}

export function failureMarkdown(message: string): string {
  const escaped = message.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  return ['### Cloudflare Secondary DNS peer', '', '**operation failed**', '', `<pre>${escaped}</pre>`, ''].join('\n');
}

function cell(value: string): string {
  if (value === '') return '_unset_';
  const escaped = value.replace(/[&<>"|]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<code>${escaped}</code>`;
}
