// What a run did (or, in a dry run, would do), per resource: the data the outputs, the log lines and the
// job summary are made from. Plain types, so the reporting code needs none of the steps.
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
  checked_time?: string;
  last_transferred_time?: string;
  /** Primary zones: whether Cloudflare sends transfers ("Enabled", "Disabled"). */
  outgoing?: string;
  /** The run created the zone's transfer configuration (or would, in a dry run). */
  config_created?: boolean;
  /** With wait_for_transfer: whether a transfer was reported in time. */
  transferred?: boolean;
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
