// Waiting for zone transfers: poll each zone's transfer configuration until Cloudflare reports a
// transfer after this run's change, or the time is up. The clock and sleep are injected for tests.
import { describeError } from '../cloudflare/errors.js';
import type { TransferConfig, ZoneRole } from '../cloudflare/zone.js';
import { inSync } from '../dns/serial.js';
import type { PeerReading } from '../plan/verify.js';
import { shortList } from '../short-list.js';

export interface WaitingZone {
  name: string;
  /** secondary: Cloudflare transfers in (incoming); primary: Cloudflare is transferred from (outgoing). */
  role?: ZoneRole;
  /** The configuration as it was once this run's change (link, forced transfer) was made. */
  baseline: TransferConfig;
  /** Reads the configuration again; undefined when the zone has none (any more). */
  read: () => Promise<TransferConfig | undefined>;
  /** This run's peer: a configuration without it has lost the link, and no transfer counts then. */
  peerId?: string;
  /** Adds this run's peer back to the configuration (once; another writer removed it). */
  relink?: (config: TransferConfig) => Promise<void>;
  /**
   * Secondary zones: the serial the peer's nameserver serves (verify_peer); a transfer counts only once
   * Cloudflare's soa_serial has reached it.
   */
  peerSerial?: number;
  /**
   * Primary zones: asks the peer's nameserver which serial it serves now (verify_peer); a transfer counts
   * only once it serves Cloudflare's soa_serial.
   */
  askPeer?: () => Promise<PeerReading>;
}

export interface WaitOptions {
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  log: (line: string) => void;
  /** Called once for each zone as its transfer shows. */
  onTransferred?: () => void;
}

export interface WaitResult {
  name: string;
  transferred: boolean;
  last: TransferConfig;
  /** Why the last poll got no answer, if it did not: the wait goes on, and a timeout reports it. */
  error?: string;
  /** Why this zone cannot transfer as asked, found while waiting: it is not polled again. */
  problem?: string;
  /** This run's peer was added back once, after another writer removed it. */
  relinked?: boolean;
  /** What the last check of the peer's nameserver found (verify_peer). */
  peer?: string;
}

/**
 * A transfer happened since the baseline. Cloudflare as secondary (incoming): the serial, the last check
 * or the last transfer moved. Cloudflare as primary (outgoing): only a moved last transfer counts, since
 * Cloudflare's own serial moves with every edit of the zone. A new configuration reports "never" as Go's
 * zero time, which is no move from a baseline without one.
 */
export function transferredSince(baseline: TransferConfig, now: TransferConfig, role: ZoneRole = 'secondary'): boolean {
  const moved = knownTime(now.last_transferred_time) !== knownTime(baseline.last_transferred_time);
  if (role === 'primary') return moved;
  return (
    moved ||
    (now.soa_serial ?? 0) !== (baseline.soa_serial ?? 0) ||
    knownTime(now.checked_time) !== knownTime(baseline.checked_time)
  );
}

/** Between polls: a tenth of the wait, from 1 to 10 seconds, so short waits stay short and long ones cheap. */
export function pollInterval(timeoutMs: number): number {
  return Math.min(10_000, Math.max(1_000, Math.round(timeoutMs / 10)));
}

export async function waitForTransfers(zones: WaitingZone[], options: WaitOptions): Promise<WaitResult[]> {
  const { timeoutMs, sleep, now, log } = options;
  const deadline = now() + timeoutMs;
  const results: WaitResult[] = zones.map((zone) => ({ name: zone.name, transferred: false, last: zone.baseline }));
  const interval = pollInterval(timeoutMs);
  const open = (result: WaitResult) => !result.transferred && result.problem === undefined;
  for (;;) {
    const pending = results.flatMap((result, index) => (open(result) ? [index] : []));
    await Promise.all(
      pending.map(async (index) => {
        const zone = zones[index] as WaitingZone;
        const result = results[index] as WaitResult;
        // A poll that fails is no reason to undo links that are right: keep waiting, and say so at the end.
        try {
          await poll(zone, result);
          if (result.transferred) options.onTransferred?.();
          delete result.error;
        } catch (error) {
          result.error = describeError(error);
        }
      }),
    );
    const waiting = results.filter(open);
    const leftMs = deadline - now();
    if (waiting.length === 0 || leftMs <= 0) return results;
    log(
      `Waiting for zone transfers: ${results.length - waiting.length} of ${results.length} done; ` +
        `still waiting for ${shortList(waiting.map((result) => `${result.name} (${status(result.last)})`))}; ` +
        `${Math.ceil(leftMs / 1000)} s left`,
    );
    await sleep(Math.min(interval, leftMs));
  }
}

/** One poll of one zone: a transfer counts only while the configuration exists and lists this run's peer. */
async function poll(zone: WaitingZone, result: WaitResult): Promise<void> {
  const config = await zone.read();
  if (!config) {
    result.problem = 'its transfer configuration was deleted during the wait (by another run or a person)';
    return;
  }
  result.last = config;
  if (zone.peerId !== undefined && !config.peers.includes(zone.peerId)) {
    if (result.relinked || !zone.relink) {
      result.problem = `another writer removed this peer (${zone.peerId}) from its transfer configuration during the wait`;
      return;
    }
    // Another run's write dropped the link (Cloudflare replaces the whole peer list): add it back once.
    result.relinked = true;
    try {
      await zone.relink(config);
    } catch (error) {
      // The zone lacks the peer now: never reported as "linked and waiting".
      result.problem =
        `another writer removed this peer (${zone.peerId}) from its transfer configuration during the wait, and ` +
        `adding it back failed: ${describeError(error)}`;
    }
    return;
  }
  result.transferred = await transferCounts(zone, config, result);
}

/**
 * Without a serial of the peer's, a transfer since the baseline counts. With one, the serials decide:
 * Cloudflare as secondary holds what the peer serves; the peer as secondary serves what Cloudflare holds.
 */
async function transferCounts(zone: WaitingZone, config: TransferConfig, result: WaitResult): Promise<boolean> {
  const ours = config.soa_serial ?? 0;
  if (zone.peerSerial !== undefined) {
    result.peer = `serves serial ${zone.peerSerial}`;
    return ours > 0 && inSync('secondary', ours, zone.peerSerial);
  }
  if (zone.askPeer) {
    const answer = await zone.askPeer();
    result.peer = answer.words;
    return ours > 0 && answer.serial !== undefined && inSync('primary', ours, answer.serial);
  }
  return transferredSince(zone.baseline, config, zone.role);
}

/** A time Cloudflare reports, or undefined for "never" (empty, or Go's zero time 0001-01-01T00:00:00Z). */
export function knownTime(time: string | null | undefined): string | undefined {
  return time && !time.startsWith('0001-') ? time : undefined;
}

/** A zone's transfer state in a few words, for progress lines and the timeout error. */
export function status(config: TransferConfig): string {
  const checked = knownTime(config.checked_time);
  const transferred = knownTime(config.last_transferred_time);
  const parts = [`soa_serial ${config.soa_serial ?? 0}`, checked ? `checked ${checked}` : 'never checked'];
  if (transferred) parts.push(`last transferred ${transferred}`);
  return parts.join(', ');
}
