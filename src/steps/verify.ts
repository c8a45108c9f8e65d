// The check of the peer's nameserver (verify_peer), for runs with zones: before any write, ask it for each
// zone's SOA over TCP, signed with the peer's TSIG key, and report what that proves; the refusals are
// decided in plan/verify.ts. It writes nothing. The zone step's wait asks again through `found.query`.
// Loaded with a dynamic import, so runs without zones, or with verify_peer: false, never load it.

import type { Board, Step, StepContext } from '../base/step.js';
import type { Peer } from '../cloudflare/peer.js';
import { TsigApi } from '../cloudflare/tsig.js';
import { settleAll } from '../concurrency.js';
import { inSync } from '../dns/serial.js';
import { checkSoa, type SoaResult } from '../dns/soa.js';
import type { TsigKey } from '../dns/tsig.js';
import type { VerifyOutcome, ZoneVerificationOutcome } from '../outcome.js';
import { type Found as PeerFound, targetOf } from '../plan/peer.js';
import {
  decideVerification,
  type PeerReading,
  summaryOf,
  type VerifyFound,
  warningsOf,
  type ZoneVerification,
} from '../plan/verify.js';
import type { ZoneFound } from '../plan/zone.js';

/** SOA queries in flight at once: each is one short TCP exchange with one nameserver. */
const QUERIES_AT_ONCE = 8;
/** A firewalled nameserver costs the run seconds, not minutes. */
const QUERY_TIMEOUT_MS = 5000;

export const verifyStep: Step<'verify'> = {
  name: 'verify',
  lookUp: async (context, board) => {
    const found = await lookUpPeer(context, board);
    // Said before any write, and whatever the plans decide.
    for (const warning of warningsOf(found)) context.warn(warning);
    return found;
  },
  decide: (_settings, board) => decideVerification(board.found.verify as VerifyFound),
  preview: (plan, board) => outcomeOf(plan, board),
  apply: async (plan, _context, board) => outcomeOf(plan, board),
  entries: {},
};

/** Where the peer's nameserver is, its key, and each zone's answer. */
async function lookUpPeer(context: StepContext, board: Board): Promise<VerifyFound> {
  const { settings } = context;
  const zones = settings.zones;
  if (!zones) throw new Error('The verify step runs only with zones.');
  const base: VerifyFound = { mode: zones.verifyPeer, role: zones.role, checks: [] };
  const existing = existingPeer(board.found.peer as PeerFound | undefined);
  // if_exists: reuse leaves a peer found by name as it is: its own address and key count.
  const reused = settings.ifExists === 'reuse' && settings.peerId === undefined && existing !== undefined;
  const desired = reused ? {} : settings.desired;
  const ip = desired.ip ?? (existing?.ip || undefined);
  if (!ip) return { ...base, skipped: 'the peer has no ip' };
  const port = desired.port ?? (existing?.port || 53);

  const key = await keyOf(context, reused, existing);
  if (key === 'missing') return { ...base, skipped: 'the TSIG key the peer names was not found' };
  const peer = { ip, port, ...(key ? { key: { name: key.name, algo: key.algo } } : {}) };
  const timeoutMs = Math.min(QUERY_TIMEOUT_MS, settings.requestTimeoutMs);
  const last = new Map<string, SoaResult>();
  const ask = async (zone: string): Promise<SoaResult> => {
    const result = await checkSoa({ ip, port, zone, key, timeoutMs });
    last.set(zone, result);
    return result;
  };
  const query = async (zone: string): Promise<PeerReading> => {
    const result = await ask(zone);
    return { serial: result.kind === 'serial' ? result.serial : undefined, words: summaryOf(result) };
  };

  const targets = ((board.found.zone as ZoneFound[] | undefined) ?? []).map(({ zone }) => zone);
  const results = await settleAll(targets, QUERIES_AT_ONCE, (zone) => ask(zone.name));
  const checks = results.map((result, index) => {
    const zone = targets[index] as { id: string; name: string };
    if (result.status === 'rejected') throw result.reason;
    return { id: zone.id, name: zone.name, result: result.value };
  });
  return { ...base, peer, checks, query, last };
}

/** The peer the lookup found, if any (several with one name are the peer step's refusal). */
function existingPeer(found: PeerFound | undefined): Peer | undefined {
  if (!found) return undefined;
  try {
    return targetOf(found);
  } catch {
    return undefined;
  }
}

/**
 * The key the peer will use: the one tsig_name manages, or the one tsig_id names (the given one, else the
 * found peer's), read from Cloudflare; its secret is masked as it arrives.
 */
async function keyOf(
  { settings, connection, reveal }: StepContext,
  reused: boolean,
  existing: Peer | undefined,
): Promise<TsigKey | undefined | 'missing'> {
  if (settings.tsig?.secret && !reused) return { ...settings.tsig, secret: settings.tsig.secret };
  const id = (reused ? undefined : settings.desired.tsig_id) ?? (existing?.tsig_id || undefined);
  if (!id) return undefined;
  const stored = await new TsigApi(connection, reveal).find(id);
  return stored ? { name: stored.name, algo: stored.algo, secret: stored.secret } : 'missing';
}

/**
 * Each zone's verification, with whether Cloudflare's serial and the peer's agree: for secondary zones
 * Cloudflare's soa_serial has reached the peer's; for primary zones the peer serves Cloudflare's (its
 * latest answer, the wait's included).
 */
function outcomeOf(plans: ZoneVerification[], board: Board): VerifyOutcome {
  const zones = board.outcomes.zone?.zones ?? [];
  const last = (board.found.verify as VerifyFound).last;
  return {
    zones: plans.map((plan): ZoneVerificationOutcome => {
      const latest = last?.get(plan.name);
      const peerSerial = latest?.kind === 'serial' ? latest.serial : plan.peer_serial;
      // By name: a zone this run creates has no id yet when the peer is asked about it.
      const created = zones.find((zone) => zone.name === plan.name);
      const ours = created?.soa_serial ?? 0;
      const id = plan.id || created?.id || '';
      const outcome: ZoneVerificationOutcome = { id, name: plan.name, verification: plan.verification };
      if (peerSerial === undefined) return outcome;
      outcome.peer_serial = peerSerial;
      if (latest?.kind === 'serial' && peerSerial !== plan.peer_serial) {
        outcome.verification = `${plan.verification}; now serves serial ${peerSerial}`;
      }
      if (ours > 0) {
        outcome.in_sync = inSync(plan.role, ours, peerSerial);
      }
      return outcome;
    }),
  };
}
