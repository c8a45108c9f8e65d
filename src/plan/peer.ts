// The peer's decisions, as a pure function: given the settings and what exists on Cloudflare,
// what should happen? No I/O here, so every rule can be tested directly.
import type { Peer, PeerBody } from '../cloudflare/peer.js';
import type { DesiredFields, Settings } from '../inputs.js';
import { definedOnly } from '../objects.js';
import { PlanError } from './error.js';

export type Operation = 'created' | 'updated' | 'unchanged' | 'deleted' | 'not_found';

export interface Change {
  field: keyof PeerBody;
  before: string;
  after: string;
}

/**
 * What the lookup found: the peer with the given peer_id, or every peer with the given name; and,
 * when it listed them, every peer of the account.
 */
export type Found = ({ by: 'id'; peerId: string; peer?: Peer } | { by: 'name'; name: string; peers: Peer[] }) & {
  listed?: Peer[];
};

export type Plan =
  | { operation: 'created'; name: string; configure?: PeerBody }
  | { operation: 'updated'; peer: Peer; body: PeerBody; changes: Change[] }
  | { operation: 'unchanged'; peer: Peer }
  | { operation: 'deleted'; peer: Peer }
  | { operation: 'not_found'; name?: string };

const FIELDS = ['name', 'ip', 'port', 'ixfr_enable', 'tsig_id'] as const;

/**
 * `newKey`: the run creates the peer's key and its id is not known yet (`desired.tsig_id` is ""), so the
 * peer changes to link it whatever it links now; the real id replaces "" when the key exists.
 */
export function decide(settings: Settings, found: Found, options: { newKey?: boolean } = {}): Plan {
  const target = single(found);
  if (settings.state === 'absent') {
    return target ? { operation: 'deleted', peer: target } : { operation: 'not_found', name: settings.name };
  }
  if (!target) {
    if (found.by === 'id') {
      throw new PlanError(
        `Input \`peer_id\`: no peer ${found.peerId} exists on this account. Check the id, or drop peer_id to create one by name.`,
      );
    }
    const configure = Object.keys(settings.desired).length > 0 ? { name: found.name, ...settings.desired } : undefined;
    return { operation: 'created', name: found.name, configure };
  }
  // if_exists is about a name that is taken; a peer_id names the one peer to converge.
  if (found.by === 'name' && settings.ifExists === 'fail') {
    throw new PlanError(
      `A peer named "${target.name}" already exists (id ${target.id}) and if_exists is fail. ` +
        'Set if_exists: update to converge it, reuse to adopt it, or remove it first.',
    );
  }
  if (found.by === 'name' && settings.ifExists === 'reuse') return { operation: 'unchanged', peer: target };

  const body = desiredBody(target, settings.name, settings.desired);
  const changes = diff(target, body);
  if (options.newKey && !changes.some((change) => change.field === 'tsig_id')) {
    changes.push({ field: 'tsig_id', before: display(target.tsig_id), after: '' });
  }
  return changes.length === 0
    ? { operation: 'unchanged', peer: target }
    : { operation: 'updated', peer: target, body, changes };
}

/**
 * The peer a run acts on: the one with the given peer_id or name, undefined when there is none. Several
 * with the name is a situation the user must resolve (the error says how).
 */
export function targetOf(found: Found): Peer | undefined {
  return single(found);
}

/** The peers of the account that are still there after the plan is carried out (needs a listing lookup). */
export function remainingPeers(found: Found, plan: Plan): Peer[] {
  const gone = plan.operation === 'deleted' ? plan.peer.id : undefined;
  return (found.listed ?? []).filter((peer) => peer.id !== gone);
}

/** The one peer to act on, or undefined when there is none; several with one name is an error. */
function single(found: Found): Peer | undefined {
  if (found.by === 'id') return found.peer;
  if (found.peers.length > 1) {
    const ids = found.peers.map((peer) => peer.id).join(', ');
    throw new PlanError(
      `${found.peers.length} peers are named "${found.name}" (${ids}); names are not unique on Cloudflare. ` +
        'Set input `peer_id` to the one to act on.',
    );
  }
  return found.peers[0];
}

/** The full object to PUT: the peer as it is, with the given fields laid over it. */
function desiredBody(peer: Peer, name: string | undefined, desired: DesiredFields): PeerBody {
  const merged: PeerBody = {
    name: name ?? peer.name,
    ip: desired.ip ?? (peer.ip || undefined),
    port: desired.port ?? (peer.port || undefined),
    ixfr_enable: desired.ixfr_enable ?? peer.ixfr_enable ?? undefined,
    tsig_id: desired.tsig_id ?? (peer.tsig_id || undefined),
  };
  return definedOnly(merged);
}

function diff(peer: Peer, body: PeerBody): Change[] {
  return FIELDS.flatMap((field) => {
    const before = display(peer[field]);
    const after = display(body[field]);
    const same = field === 'ip' ? canonicalIp(before) === canonicalIp(after) : before === after;
    return same ? [] : [{ field, before, after }];
  });
}

/** 2001:DB8:0::53 and 2001:db8::53 are one address; compare IPv6 in its canonical (RFC 5952) form. */
function canonicalIp(ip: string): string {
  return ip.includes(':') ? new URL(`http://[${ip}]`).hostname : ip;
}

/** Cloudflare reports unset fields as "", 0 or absent; all of them display (and output) as "". */
export function display(value: string | number | boolean | null | undefined): string {
  if (value === undefined || value === null || value === '' || value === 0) return '';
  return String(value);
}
