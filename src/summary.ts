// The log lines and the job summary: the operation and a small table of the peer, with before → after
// for changes; with tsig_name, the same for its key (name, algorithm, id — never the secret).
import {
  delegation,
  type KeyOutcome,
  type Report,
  type VerifyOutcome,
  verificationByName,
  type ZoneOutcome,
} from './outcome.js';
import type { OutputName } from './outputs.js';

const SHOWN: OutputName[] = ['peer_id', 'name', 'ip', 'port', 'ixfr_enable', 'tsig_id'];

/** The log lines that say what happened: the peer's, then the key's. */
export function headlines(report: Report, outputs: Record<OutputName, string>): string[] {
  const { dryRun, outcomes } = report;
  const who = outputs.peer_id ? `peer ${outputs.name} (${outputs.peer_id})` : `peer ${outputs.name}`;
  const what = {
    created: ['created', 'would be created'],
    updated: ['updated', 'would be updated'],
    unchanged: ['already as asked: unchanged', 'is already as asked: unchanged'],
    deleted: ['deleted', 'would be deleted'],
    not_found: ['not found: nothing to delete', 'not found: nothing to delete'],
  }[outcomes.peer.operation];
  const lines = [say(dryRun, who, what)];
  if (outcomes.tsig) lines.push(keyHeadline(outcomes.tsig, dryRun));
  for (const zone of outcomes.zone?.zones ?? []) lines.push(zoneHeadline(zone, dryRun));
  return lines;
}

function zoneHeadline(zone: ZoneOutcome, dryRun: boolean): string {
  const who = `zone ${zone.name} (${zone.id ? `${zone.id}, ` : ''}${zone.role})`;
  const created = zone.config_created ? ', with a new transfer configuration' : '';
  const made = zone.zone_created
    ? ['zone created as a secondary zone, ', 'would be created as a secondary zone, ']
    : ['', ''];
  const what = {
    linked: [`peer linked${created}`, `peer would be linked${created}`],
    unchanged: ['peer already linked: unchanged', 'peer is already linked: unchanged'],
    unlinked: ['peer unlinked', 'peer would be unlinked'],
    not_linked: ['peer not linked: nothing to unlink', 'peer not linked: nothing to unlink'],
  }[zone.operation].map((text, index) => made[index] + text);
  const ready = delegation(zone) === 'ready' ? `ready to delegate to ${zone.name_servers.join(', ')}` : '';
  const notes = [
    zone.outgoing === 'Disabled' ? 'outgoing transfers are disabled' : '',
    zone.transferred ? `transferred, soa_serial ${zone.soa_serial}` : '',
    ready,
  ].filter(Boolean);
  return say(dryRun, who, what) + (notes.length > 0 ? ` (${notes.join('; ')})` : '');
}

function keyHeadline(outcome: KeyOutcome, dryRun: boolean): string {
  const { key } = outcome;
  const who = key.id ? `TSIG key ${key.name} (${key.id})` : `TSIG key ${key.name}`;
  const changed = outcome.changes
    .map((change) => (change.field === 'secret' ? 'secret: changed' : `algo: ${change.before} → ${change.after}`))
    .join(', ');
  const users = outcome.usedBy.map((peer) => `peer ${peer.name} (${peer.id})`).join(', ');
  const what = {
    created: ['created', 'would be created'],
    updated: [`updated (${changed})`, `would be updated (${changed})`],
    unchanged: ['already as asked: unchanged', 'is already as asked: unchanged'],
    deleted: ['deleted', 'would be deleted'],
    kept: [`kept: ${users} still uses it`, `would be kept: ${users} still uses it`],
    not_found: ['not found: nothing to delete', 'not found: nothing to delete'],
  }[outcome.operation];
  const shared = outcome.sharedWith?.length
    ? ` (also used by ${outcome.sharedWith.map((peer) => `peer ${peer.name} (${peer.id})`).join(', ')}: their nameservers need the new secret too)`
    : '';
  return say(dryRun, who, what) + shared;
}

function say(dryRun: boolean, who: string, what: string[]): string {
  return dryRun ? `Dry run: ${who} ${what[1]} (nothing was written)` : `Cloudflare Secondary DNS ${who}: ${what[0]}`;
}

export function summaryMarkdown(report: Report, outputs: Record<OutputName, string>): string {
  const { peer, tsig, zone, verify } = report.outcomes;
  const before = new Map<string, string>(peer.changes.map((change) => [change.field, change.before]));
  // In a dry run a key still to be created has no id yet; the peer would link it all the same.
  const newKey = report.dryRun && tsig?.operation === 'created' ? '_the new key_' : undefined;
  const rows = SHOWN.map((field) => {
    const now = field === 'tsig_id' && newKey ? newKey : cell(outputs[field]);
    const was = before.get(field);
    return `| ${field} | ${was === undefined ? now : `${cell(was)} → ${now}`} |`;
  });
  const dryRun = report.dryRun ? ' (dry run: nothing was written)' : '';
  return [
    ...fieldTable('### Cloudflare Secondary DNS peer', `**operation: ${peer.operation}**${dryRun}`, rows),
    ...(tsig ? keyMarkdown(tsig, dryRun) : []),
    ...(zone ? zonesMarkdown(zone.zones, dryRun, verify) : []),
  ].join('\n');
}

function zonesMarkdown(zones: ZoneOutcome[], dryRun: string, verify: VerifyOutcome | undefined): string[] {
  const checked = verificationByName(verify);
  const rows = zones.map((zone) => {
    const ready = delegation(zone);
    const peer = checked.get(zone.name);
    const notes = [
      zone.zone_created ? (dryRun ? '**zone would be created** (secondary)' : '**zone created** (secondary)') : '',
      zone.config_created ? 'transfer configuration created' : '',
      zone.outgoing === 'Disabled' ? '**outgoing transfers disabled**' : '',
      zone.transferred === true ? 'transferred' : zone.transferred === false ? '**no transfer reported in time**' : '',
      ready === 'ready' ? '**ready to delegate** to the nameservers shown' : '',
      ready === 'not_yet' ? '**do not delegate yet**: no transfer confirmed (Cloudflare would answer empty)' : '',
      peer ? `peer's nameserver: ${peer.verification}` : '',
    ].filter(Boolean);
    const inSync = peer?.in_sync === undefined ? '' : peer.in_sync ? 'yes' : '**no**';
    const last = zone.last_transferred_time ?? zone.checked_time ?? '';
    const servers = zone.name_servers.map(cell).join('<br>') || (zone.zone_created ? '_assigned when created_' : '');
    return (
      `| ${cell(zone.name)} | ${cell(zone.id)} | ${zone.role} | ${zone.operation} | ${zone.soa_serial} | ` +
      `${peer?.peer_serial ?? ''} | ${inSync} | ${cell(last)} | ${notes.map(plainText).join(', ')} | ${servers} |`
    );
  });
  const toCreate = zones.filter((zone) => zone.zone_created).map((zone) => zone.name);
  const created = toCreate.length > 0 ? [`${dryRun ? 'Would create' : 'Created'}: ${toCreate.join(', ')}`, ''] : [];
  return [
    '#### Zones',
    '',
    `**${zones.length} zone${zones.length === 1 ? '' : 's'}**${dryRun}`,
    '',
    ...created,
    '| zone | id | role | operation | soa_serial | peer_serial | in_sync | last check or transfer | notes | nameservers |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ];
}

function keyMarkdown(outcome: KeyOutcome, dryRun: string): string[] {
  const { key } = outcome;
  const algo = outcome.changes.find((change) => change.field === 'algo');
  const rows = [
    `| name | ${cell(key.name)} |`,
    `| algo | ${algo?.field === 'algo' ? `${cell(algo.before)} → ${cell(algo.after)}` : cell(key.algo)} |`,
    `| id | ${cell(key.id)} |`,
  ];
  if (outcome.changes.some((change) => change.field === 'secret')) rows.push('| secret | changed |');
  if (outcome.usedBy.length > 0) {
    rows.push(`| used by | ${outcome.usedBy.map((peer) => `${cell(peer.name)} (${cell(peer.id)})`).join(', ')} |`);
  }
  if (outcome.sharedWith?.length) {
    const peers = outcome.sharedWith.map((peer) => `${cell(peer.name)} (${cell(peer.id)})`).join(', ');
    rows.push(`| also used by | ${peers}: **their nameservers need the new secret too** |`);
  }
  return fieldTable('#### TSIG key', `**operation: ${outcome.operation}**${dryRun}`, rows);
}

/** A heading, a bold line, and a two-column table of `| field | value |` rows. */
function fieldTable(heading: string, headline: string, rows: string[]): string[] {
  return [heading, '', headline, '', '| field | value |', '|---|---|', ...rows, ''];
}

export function failureMarkdown(message: string): string {
  const escaped = entities(message, /[&<>]/g);
  return ['### Cloudflare Secondary DNS peer', '', '**operation failed**', '', `<pre>${escaped}</pre>`, ''].join('\n');
}

/** Plain text in a table cell: no markup, no column break. */
function plainText(value: string): string {
  return entities(value, /[&<>|]/g);
}

function cell(value: string): string {
  return value === '' ? '_unset_' : `<code>${entities(value, /[&<>"|]/g)}</code>`;
}

/** Each character `chars` matches as a numeric HTML entity. */
function entities(value: string, chars: RegExp): string {
  return value.replace(chars, (c) => `&#${c.charCodeAt(0)};`);
}
