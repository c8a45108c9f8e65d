// What a run did (or, in a dry run, would do), per resource: the data the outputs, the log lines and the
// job summary are made from. Plain types (and what they say about delegating a zone), so the reporting
// code needs none of the steps.
import type { Peer } from './cloudflare/peer.js';
import type { ZoneRole } from './cloudflare/zone.js';
import type { Change, Operation, Plan } from './plan/peer.js';
import type { TsigChange, TsigOperation } from './plan/tsig.js';
import type { ZoneOperation } from './plan/zone.js';

export interface PeerOutcome {
  operation: Operation;
  /** The peer after the run (in a dry run: as it would be; id "" for a peer not yet created). */
  peer?: Peer;
  changes: Change[];
  /** For not_found: the name that was looked up. */
  name?: string;
  /** The plan that was carried out (a new key's id laid in): what later steps link. */
  plan: Plan;
}

/** The key as shown in outputs and the summary: never its secret. */
export interface KeyView {
  id: string;
  name: string;
  algo: string;
}

export interface KeyOutcome {
  operation: TsigOperation;
  /** The key after the run (in a dry run: as it would be; id "" for a key not yet created). */
  key: KeyView;
  changes: TsigChange[];
  /** For kept: the peers that still use the key. */
  usedBy: Peer[];
  /** For updated (rotated): the other peers that use the key, whose nameservers need the new secret too. */
  sharedWith?: Peer[];
}

/** One zone as the `zones` output and the summary show it. */
export interface ZoneOutcome {
  id: string;
  name: string;
  role: ZoneRole;
  operation: ZoneOperation;
  soa_serial: number;
  /** The nameservers Cloudflare assigned, as it lists them: where to delegate a secondary zone ([] before it exists). */
  name_servers: string[];
  /** The zone's status: pending (a new zone, not delegated yet), active, …; '' before it exists (dry run). */
  status: string;
  /** The run created the zone itself (or would, in a dry run). */
  zone_created: boolean;
  checked_time?: string;
  last_transferred_time?: string;
  /** Primary zones: whether Cloudflare sends transfers ("Enabled", "Disabled"). */
  outgoing?: string;
  /** The run created the zone's transfer configuration (or would, in a dry run). */
  config_created?: boolean;
  /** With wait_for_transfer: whether a transfer was reported in time. */
  transferred?: boolean;
}

/**
 * Whether a zone Cloudflare is secondary for, and that is not active yet (not delegated), may be delegated
 * to its nameservers: only once a transfer was confirmed, or it would answer empty.
 */
export function delegation(zone: ZoneOutcome): 'ready' | 'not_yet' | undefined {
  if (zone.role !== 'secondary' || zone.status === 'active' || !zone.status) return undefined;
  return zone.transferred ? 'ready' : 'not_yet';
}

export interface ZonesOutcome {
  zones: ZoneOutcome[];
  /** Set when the run must fail although nothing is undone: a wait for transfers that timed out. */
  failure?: string;
}

/** What the check of the peer's nameserver found for one zone (verify_peer). */
export interface ZoneVerificationOutcome {
  id: string;
  name: string;
  /** The serial the peer's nameserver serves, when it answered with one. */
  peer_serial?: number;
  /** Both serials known: whether Cloudflare's soa_serial and the peer's agree (RFC 1982: the copy has reached the source). */
  in_sync?: boolean;
  /** What the check found, in words. */
  verification: string;
}

export interface VerifyOutcome {
  zones: ZoneVerificationOutcome[];
}

/**
 * What the check found for each zone, by zone name: a zone this run creates has no id yet when the peer
 * is asked about it.
 */
export function verificationByName(verify: VerifyOutcome | undefined): Map<string, ZoneVerificationOutcome> {
  return new Map((verify?.zones ?? []).map((checked) => [checked.name, checked]));
}

/** Every step's outcome, by step; the peer's is always there. */
export interface Outcomes {
  peer: PeerOutcome;
  tsig?: KeyOutcome;
  zone?: ZonesOutcome;
  verify?: VerifyOutcome;
}

export interface Report {
  dryRun: boolean;
  outcomes: Outcomes;
  /** The step fails with this although nothing is undone (a wait for transfers that timed out). */
  failure?: string;
}
