// Request bodies of Create Zone and of the zone transfer configurations, with the rules Cloudflare enforces
// on a zone's peers: existing peers of the account, each once, at most 30, and one TSIG key for all or none.
import type { Peer } from './store.ts';
import { type Body, Fields, type Parsed } from './validate.ts';
import { canonicalZoneName, ZONE_TYPES, type ZoneType } from './zone-store.ts';

export const MAX_PEERS_PER_ZONE = 30;
/** Reported as Cloudflare's minimum (unconfirmed); integers only. */
export const MIN_AUTO_REFRESH_SECONDS = 300;

/** The published pattern of a zone name (no trailing dot), plus DNS's limits on a label and on the whole. */
const ZONE_NAME = /^([a-zA-Z0-9][-a-zA-Z0-9]*\.)+[-a-zA-Z0-9]{2,20}$/;
const MAX_NAME = 253;
const MAX_LABEL = 63;

export interface ZoneCreateFields {
  name: string;
  type: ZoneType;
  /** The account the zone is for, as the body names it. */
  accountId: string;
}

/** Create Zone: `{account: {id}, name, type?}`; type defaults to full. Other fields (jump_start, …) are ignored. */
export function parseZoneCreate(body: Body): Parsed<ZoneCreateFields> {
  const fields = new Fields(body);
  const account = body.account;
  const accountId = typeof account === 'object' && account !== null ? (account as Body).id : undefined;
  if (typeof accountId !== 'string' || accountId === '') fields.fail('account', 'is required and must be {"id": …}');
  const name = fields.required('name');
  if (name !== '' && !validZoneName(name)) fields.fail('name', `"${name}" is not a valid domain name`);
  const type = body.type ?? 'full';
  if (!ZONE_TYPES.includes(type as ZoneType)) fields.fail('type', `must be one of ${ZONE_TYPES.join(', ')}`);
  return fields.result({ name: canonicalZoneName(name), type: type as ZoneType, accountId: accountId as string });
}

function validZoneName(name: string): boolean {
  return ZONE_NAME.test(name) && name.length <= MAX_NAME && name.split('.').every((label) => label.length <= MAX_LABEL);
}

export interface LinkRules {
  zoneName: string;
  peer(id: string): Peer | undefined;
}

export interface OutgoingFields {
  name: string;
  peers: string[];
}

export interface IncomingFields extends OutgoingFields {
  auto_refresh_seconds: number;
}

/** Create and Update take the whole configuration: name, peers and auto_refresh_seconds, all required. */
export function parseIncoming(body: Body, rules: LinkRules): Parsed<IncomingFields> {
  const fields = new Fields(body);
  const common = readCommon(fields, body, rules);
  const refresh = body.auto_refresh_seconds;
  if (!Number.isInteger(refresh) || (refresh as number) < MIN_AUTO_REFRESH_SECONDS) {
    fields.fail('auto_refresh_seconds', `is required and must be an integer of at least ${MIN_AUTO_REFRESH_SECONDS}`);
  }
  return fields.result({ ...common, auto_refresh_seconds: refresh as number });
}

export function parseOutgoing(body: Body, rules: LinkRules): Parsed<OutgoingFields> {
  const fields = new Fields(body);
  return fields.result(readCommon(fields, body, rules));
}

function readCommon(fields: Fields, body: Body, rules: LinkRules): OutgoingFields {
  const name = fields.required('name');
  if (name !== '' && canonicalZoneName(name) !== rules.zoneName) {
    fields.fail('name', `must be the zone's name, "${rules.zoneName}"`);
  }
  return { name, peers: readPeers(fields, body.peers, rules) };
}

function readPeers(fields: Fields, value: unknown, rules: LinkRules): string[] {
  if (!Array.isArray(value) || !value.every((id) => typeof id === 'string')) {
    fields.fail('peers', 'is required and must be an array of peer ids');
    return [];
  }
  const ids = value as string[];
  const unknown = ids.filter((id) => rules.peer(id) === undefined);
  if (unknown.length > 0) fields.fail('peers', `${quoted(unknown)} do not match any peer of this account`);
  const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (repeated.length > 0) fields.fail('peers', `list ${quoted(repeated)} more than once`);
  if (ids.length > MAX_PEERS_PER_ZONE) {
    fields.fail('peers', `has ${ids.length} entries; at most ${MAX_PEERS_PER_ZONE} peers can be linked to one zone`);
  }
  const keys = new Set(ids.map((id) => rules.peer(id)?.tsig_id ?? 'none'));
  if (unknown.length === 0 && keys.size > 1) {
    fields.fail('peers', `must all use the same TSIG key (tsig_id) or none; they use ${quoted([...keys])}`);
  }
  return ids;
}

function quoted(items: string[]): string {
  return [...new Set(items)].map((item) => `"${item}"`).join(', ');
}
