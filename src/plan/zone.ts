// The rules for a peer's links to zones, as pure functions: given what a zone's transfer configuration
// holds (or that it has none), what happens to the link? Every refusal is found before anything is
// written, for all zones at once, so the user fixes them in one go.
import type { Peer } from '../cloudflare/peer.js';
import type { TransferBody, TransferConfig, Zone, ZoneRole } from '../cloudflare/zone.js';
import { shortList } from '../short-list.js';
import { PlanError } from './error.js';
import type { Plan } from './peer.js';

/** Cloudflare links at most this many peers to one zone. */
export const MAX_PEERS_PER_ZONE = 30;

export type ZoneOperation = 'linked' | 'unchanged' | 'unlinked' | 'not_linked';

/** A zone as the lookup found it: the zone, the role asked for, and its configuration for that role. */
export interface ZoneFound {
  zone: Zone;
  role: ZoneRole;
  config?: TransferConfig;
  /** Primary zones with a configuration: Cloudflare's word for whether it sends transfers ("Enabled"). */
  outgoing?: string;
  /** state: absent: the zone's configuration for the other role, so no role is left pointing at a deleted peer. */
  other?: TransferConfig;
  /** create_zones: the account has no zone of this name, so the run creates it (zone.id is '' until then). */
  createsZone?: boolean;
}

export interface ZonePlan extends ZoneFound {
  operation: ZoneOperation;
  /** linked: the zone has no configuration yet, so the run creates one. */
  createsConfig: boolean;
}

/** The peer as it will be after the run: its id (undefined while it does not exist yet) and TSIG key. */
export interface PeerLink {
  id?: string;
  name: string;
  tsigId: string;
}

/** The TSIG key of each peer of the account ('' for none), and its name, for the zones' other peers. */
export type PeerDirectory = ReadonlyMap<string, { name: string; tsigId: string }>;

/**
 * The peer as its plan leaves it. `newKey` names a TSIG key this run creates: its id is not known yet,
 * and no other peer can use it.
 */
export function peerLinkOf(plan: Plan, newKey?: string): PeerLink {
  const tsig = (id: string | null | undefined) => (newKey ? `${newKey} (created by this run)` : (id ?? ''));
  switch (plan.operation) {
    case 'created':
      return { name: plan.name, tsigId: tsig(plan.configure?.tsig_id) };
    case 'updated':
      return { id: plan.peer.id, name: plan.body.name, tsigId: tsig(plan.body.tsig_id) };
    case 'unchanged':
    case 'deleted':
      return { id: plan.peer.id, name: plan.peer.name, tsigId: tsig(plan.peer.tsig_id) };
    case 'not_found':
      return { name: plan.name ?? '', tsigId: '' };
  }
}

/** Each peer of the account by id, with its TSIG key, from the peers' List. */
export function directoryOf(listed: Peer[]): PeerDirectory {
  return new Map(listed.map((peer) => [peer.id, { name: peer.name, tsigId: peer.tsig_id ?? '' }]));
}

/**
 * Links the peer to each zone. The rules hold for every zone given, linked already or not: a peer that
 * is linked and gets another key this run would leave the zone with mixed keys.
 */
export function decideLinks(found: ZoneFound[], peer: PeerLink, directory: PeerDirectory): ZonePlan[] {
  const problems: string[] = [];
  const plans = found.map((zone): ZonePlan => {
    const peers = zone.config?.peers ?? [];
    const linked = peer.id !== undefined && peers.includes(peer.id);
    const others = peers.filter((id) => id !== peer.id);
    if (!linked && peers.length + 1 > MAX_PEERS_PER_ZONE) {
      problems.push(
        `Zone ${zone.zone.name}: it already has ${peers.length} peers, and Cloudflare links at most ${MAX_PEERS_PER_ZONE} ` +
          'to one zone. Remove a peer from it first.',
      );
    }
    const mismatch = tsigMismatch(others, peer, directory);
    if (mismatch) problems.push(`Zone ${zone.zone.name}: ${mismatch}`);
    const unfit = unfitType(zone);
    if (unfit) problems.push(`Zone ${zone.zone.name}: ${unfit}`);
    if (linked) return { ...zone, operation: 'unchanged', createsConfig: false };
    return { ...zone, operation: 'linked', createsConfig: zone.config === undefined };
  });
  if (problems.length > 0) throw refusal(problems);
  return plans;
}

/**
 * Unlinks the peer from each zone, before the peer is deleted. `gone`: the peer no longer exists, and the
 * zones still list its id, which is removed (where it is a zone's only peer, the run refuses: a
 * configuration needs a peer). No zone may be left with a role pointing at the deleted peer: the other
 * role's configuration counts too.
 */
export function decideUnlinks(
  found: ZoneFound[],
  peerId: string | undefined,
  options: { gone?: boolean } = {},
): ZonePlan[] {
  const problems: string[] = [];
  const plans = found.map((zone): ZonePlan => {
    const peers = zone.config?.peers ?? [];
    if (peerId !== undefined && !options.gone && zone.other?.peers.includes(peerId)) {
      const other = zone.role === 'secondary' ? 'primary' : 'secondary';
      const last = zone.other.peers.length === 1 ? ' as its only peer' : '';
      problems.push(
        `Zone ${zone.zone.name}: this peer is also linked to its ${ENDPOINT_WORD[other]} transfer configuration${last}, ` +
          `which deleting the peer would leave pointing at nothing. Unlink it there first (zone_role: ${other}), ` +
          'or link the zone to another peer.',
      );
    }
    if (peerId === undefined || !peers.includes(peerId)) {
      return { ...zone, operation: 'not_linked', createsConfig: false };
    }
    if (peers.length === 1) {
      problems.push(
        options.gone
          ? `Zone ${zone.zone.name}: its only peer is ${peerId}, which no longer exists, so the zone transfers nothing. ` +
              'Link the zone to a peer that exists, then run again.'
          : `Zone ${zone.zone.name}: this peer is its only peer, and removing it would stop the zone's transfers. ` +
              'Link the zone to another peer first, or remove its transfer configuration yourself if the zone is going away.',
      );
    }
    return { ...zone, operation: 'unlinked', createsConfig: false };
  });
  if (problems.length > 0) throw refusal(problems);
  return plans;
}

const ENDPOINT_WORD: Record<ZoneRole, string> = { secondary: 'incoming', primary: 'outgoing' };

/** The configuration to send for a link: every other peer and setting kept, this peer added. */
export function linkBody(plan: ZonePlan, peerId: string, autoRefreshSeconds: number): TransferBody {
  const peers = [...(plan.config?.peers ?? []), peerId];
  const name = plan.config?.name || plan.zone.name;
  if (plan.role === 'primary') return { name, peers };
  return { name, peers, auto_refresh_seconds: plan.config?.auto_refresh_seconds ?? autoRefreshSeconds };
}

/** The configuration without this peer, everything else as it is. */
export function unlinkBody(config: TransferConfig, zone: Zone, role: ZoneRole, peerId: string): TransferBody {
  const body: TransferBody = { name: config.name || zone.name, peers: config.peers.filter((id) => id !== peerId) };
  if (role === 'secondary' && typeof config.auto_refresh_seconds === 'number') {
    body.auto_refresh_seconds = config.auto_refresh_seconds;
  }
  return body;
}

/**
 * Cloudflare transfers only into a secondary zone: a full or partial zone (it serves its own records) is
 * refused, with the conversion Cloudflare documents; converting it changes how the zone is served, so a
 * person decides.
 */
function unfitType(found: ZoneFound): string | undefined {
  const { type, id } = found.zone;
  if (found.role !== 'secondary' || (type !== 'full' && type !== 'partial')) return undefined;
  return (
    `it is a ${type} zone, and Cloudflare transfers only into secondary zones. To make it one, convert it ` +
    `(PATCH /zones/${id} with {"type": "secondary"}, as Cloudflare documents; its records are kept, but Cloudflare ` +
    'then serves what the primary sends), or use zone_role: primary if Cloudflare is to stay its primary.'
  );
}

/** Cloudflare requires one TSIG key for all of a zone's peers, or none for all. */
function tsigMismatch(zonePeers: string[], peer: PeerLink, directory: PeerDirectory): string | undefined {
  const others = zonePeers
    .map((id) => ({ id, ...directory.get(id) }))
    .filter((other) => other.tsigId !== undefined && other.tsigId !== peer.tsigId);
  if (others.length === 0) return undefined;
  const key = (tsigId: string | undefined) => (tsigId ? `TSIG key ${tsigId}` : 'no TSIG key');
  const listed = others.map((other) => `${other.name ?? other.id} (${other.id}) uses ${key(other.tsigId)}`).join(', ');
  return (
    `peer ${peer.name} would use ${key(peer.tsigId)}, but ${listed}. Cloudflare requires one TSIG key for all ` +
    'peers of a zone, or none for all: give this peer the same key (tsig_id or tsig_name), or change the others first.'
  );
}

/** Every problem found, before any write: the message names at most 10, its detail all of them. */
function refusal(problems: string[]): PlanError {
  const text = (list: string) => `Nothing was written, because this is not possible as asked:\n- ${list}`;
  return new PlanError(text(shortList(problems, '\n- ')), text(problems.join('\n- ')));
}
