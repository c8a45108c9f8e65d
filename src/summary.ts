// The job summary: one heading line and a small table of the peer, with before/after for changes.
import * as core from '@actions/core';
import type { Outcome } from './apply.js';
import type { OutputName } from './outputs.js';

const SHOWN: OutputName[] = ['peer_id', 'name', 'ip', 'port', 'ixfr_enable', 'tsig_id'];

export function headline(outcome: Outcome, outputs: Record<OutputName, string>): string {
  const who = outputs.peer_id ? `peer ${outputs.name} (${outputs.peer_id})` : `peer ${outputs.name || '(none)'}`;
  const verb = {
    created: 'created',
    updated: 'updated',
    unchanged: 'already as asked: unchanged',
    deleted: 'deleted',
    not_found: 'not found: nothing to delete',
  }[outcome.operation];
  return outcome.dryRun ? `Dry run: ${who} would be ${verb} (nothing was written)` : `Cloudflare Secondary DNS ${who}: ${verb}`;
}

export async function writeSummary(outcome: Outcome, outputs: Record<OutputName, string>): Promise<void> {
  const changed = new Map(outcome.changes.map((change) => [change.field as string, change.before]));
  const rows = SHOWN.map((field) => {
    const value = outputs[field];
    const before = changed.get(field);
    return [field, before === undefined ? code(value) : `${code(before)} → ${code(value)}`];
  });
  await core.summary
    .addHeading('Cloudflare Secondary DNS peer', 3)
    .addRaw(`<p><b>operation: ${outcome.operation}</b>${outcome.dryRun ? ' (dry run: nothing was written)' : ''}</p>`, true)
    .addTable([[{ data: 'field', header: true }, { data: 'value', header: true }], ...rows])
    .write();
}

function code(value: string): string {
  return value === '' ? '<i>unset</i>' : `<code>${escapeHtml(value)}</code>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}
