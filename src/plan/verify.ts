// What the other nameserver's answers to the SOA checks prove, as pure functions: which answers stop the run
// before any write, which only warn, and each zone's verification in words. The checks themselves are made
// by steps/verify.ts; nothing here sends a query.
import type { ZoneRole } from '../cloudflare/zone.js';
import type { SoaResult } from '../dns/soa.js';
import type { VerifyPeer } from '../inputs.js';
import { shortList } from '../short-list.js';
import { PlanError } from './error.js';

/** The peer's nameserver as the checks ask it; the key by name and algorithm only (never its secret). */
export interface PeerAddress {
  ip: string;
  port: number;
  key?: { name: string; algo: string };
}

export interface ZoneCheck {
  id: string;
  name: string;
  result: SoaResult;
}

export interface VerifyFound {
  mode: VerifyPeer;
  role: ZoneRole;
  /** Where the checks went; undefined when nothing was asked (`skipped` says why). */
  peer?: PeerAddress;
  skipped?: string;
  checks: ZoneCheck[];
  /** Asks the peer again for a zone's SOA (the zone step's wait uses it); each answer is kept in `last`. */
  query?: (zone: string) => Promise<PeerReading>;
  /** The last answer for each zone name, the lookup's or a later query's. */
  last?: Map<string, SoaResult>;
}

/** What one later question to the peer found: its serial when it served one, and the answer in words. */
export interface PeerReading {
  serial?: number;
  words: string;
}

export interface ZoneVerification {
  id: string;
  name: string;
  role: ZoneRole;
  /** The serial the peer's nameserver serves for the zone, when it answered with one. */
  peer_serial?: number;
  /** What the check found, in words. */
  verification: string;
}

/** Where Cloudflare transfers and notifies from, and where it listens (reference: "Cloudflare's addresses"). */
export const CLOUDFLARE_ADDRESSES: Record<ZoneRole, string> = {
  secondary:
    "Cloudflare's transfer requests (AXFR/IXFR) come from 104.30.167.163, 104.30.167.173 and 2a09:bac0:1000:c47::/64, " +
    'and it takes NOTIFY at 172.65.30.82, 172.65.50.145, 2606:4700:60:0:317:26ee:3bdf:5774 and ' +
    '2606:4700:60:0:35a:4be3:4144:c5ee',
  primary:
    'Cloudflare serves transfers at 172.65.64.6, and its NOTIFYs come from 104.30.167.163, 104.30.167.173 and ' +
    '2a09:bac0:1000:c47::/64',
};

export function where(peer: PeerAddress): string {
  return peer.ip.includes(':') ? `[${peer.ip}]:${peer.port}` : `${peer.ip}:${peer.port}`;
}

function keyWords(peer: PeerAddress): string {
  return peer.key ? `TSIG key ${peer.key.name} (${peer.key.algo})` : 'no TSIG key';
}

/** Why an answer stops the run (or, for the primary role, warns); undefined for a serial. */
function problemOf(check: ZoneCheck, peer: PeerAddress, mode: VerifyPeer): string | undefined {
  const { result } = check;
  const at = `the nameserver at ${where(peer)}`;
  const key = peer.key ? `"${peer.key.name}" (${peer.key.algo})` : '';
  switch (result.kind) {
    case 'serial':
      return undefined;
    case 'tsig':
      return {
        BADSIG:
          `${at} answered BADSIG to a query signed with ${keyWords(peer)}: it knows the key, but its secret differs. ` +
          `Compare the secret of key ${key} there with tsig_secret (or the key tsig_id names).`,
        BADKEY:
          `${at} answered BADKEY to a query signed with ${keyWords(peer)}: it knows no key of that name and algorithm. ` +
          `Compare the key's name (identical on both sides) and algorithm there with ${key}.`,
        BADTIME:
          `${at} answered BADTIME to a query signed with ${keyWords(peer)}: its clock and the runner's differ by more ` +
          'than 5 minutes. Check the clock (NTP) of that nameserver.',
        unsigned:
          `${at} answered a query signed with ${keyWords(peer)} without signing its answer: it does not use the key ` +
          `for this zone. Check that key ${key} is configured there and required for the zone, and that ip and port ` +
          'point at the right nameserver.',
        bad_signature:
          `${at} signed its answer to a query signed with ${keyWords(peer)}, but the signature does not verify: the ` +
          `secret differs. Compare the secret of key ${key} there with tsig_secret (or the key tsig_id names).`,
      }[result.error];
    case 'not_served': {
      const answered =
        result.rcode === 'not_authoritative'
          ? 'an answer that is not authoritative'
          : result.rcode === 'no_soa'
            ? 'no SOA record for it'
            : result.rcode;
      return (
        `${at} does not serve the zone (it answered ${answered}). Add the zone to that nameserver, or check ip and ` +
        'port and the zone name.'
      );
    }
    case 'refused':
      return (
        `${at} answered REFUSED. Either it does not serve the zone, or it does not answer queries from the runner's ` +
        'address (hidden primaries often allow only their secondaries). Check that it serves the zone, and allow ' +
        `the runner to query it${mode === 'true' ? ', or set verify_peer: auto to only warn' : ''}.`
      );
    case 'no_answer':
      return (
        `no answer from ${where(peer)} (${result.message}). Check ip and port, and that the nameserver is reachable ` +
        `from the runner${mode === 'true' ? ', or set verify_peer: auto to only warn' : ''}.`
      );
  }
}

/** An answer that only warns with verify_peer: auto (and every answer for the primary role). */
function warnsOnly(found: VerifyFound, result: SoaResult): boolean {
  if (found.role === 'primary') return true;
  return found.mode === 'auto' && (result.kind === 'refused' || result.kind === 'no_answer');
}

/**
 * The warnings of the lookup, before any write: each REFUSED zone with both readings, one line for every
 * zone that got no answer (with the addresses Cloudflare uses), and, for the primary role, every failure.
 */
export function warningsOf(found: VerifyFound): string[] {
  const { peer } = found;
  if (!peer) return [];
  const warnings: string[] = [];
  const silent: string[] = [];
  for (const check of found.checks) {
    if (check.result.kind === 'serial' || !warnsOnly(found, check.result)) continue;
    if (check.result.kind === 'no_answer') {
      silent.push(check.name);
      continue;
    }
    const primary =
      found.role === 'primary'
        ? ' Cloudflare is primary for it, so the peer is a secondary that may not have the zone yet: the run goes on.'
        : ' The run goes on (verify_peer: auto).';
    warnings.push(`verify_peer: zone ${check.name}: ${problemOf(check, peer, found.mode)}${primary}`);
  }
  if (silent.length > 0) {
    const first = found.checks.find((check) => check.result.kind === 'no_answer')?.result;
    const why = first?.kind === 'no_answer' ? first.message : '';
    warnings.push(
      `verify_peer: no answer from the nameserver at ${where(peer)} (${why}) for ${silent.length === 1 ? 'zone' : 'zones'} ` +
        `${shortList(silent)}; the run goes on without the check (the runner may simply not be allowed to reach it). ` +
        `That nameserver must allow Cloudflare: ${CLOUDFLARE_ADDRESSES[found.role]}.`,
    );
  }
  return warnings;
}

/**
 * Each zone's verification; a refusal (PlanError) when an answer proves the transfer cannot work: a TSIG
 * error, a zone the nameserver does not serve, or, with verify_peer: true, REFUSED or no answer. For the
 * primary role nothing refuses: the peer is a secondary that may not have the zone yet.
 */
export function decideVerification(found: VerifyFound): ZoneVerification[] {
  const { peer } = found;
  if (!peer) return [];
  const problems: string[] = [];
  const plans = found.checks.map((check): ZoneVerification => {
    const base = { id: check.id, name: check.name, role: found.role };
    const { result } = check;
    if (result.kind === 'serial') {
      const key = peer.key ? `, key ${peer.key.name} accepted` : '';
      return { ...base, peer_serial: result.serial, verification: `serves serial ${result.serial}${key}` };
    }
    const problem = problemOf(check, peer, found.mode) ?? '';
    if (!warnsOnly(found, result)) problems.push(`Zone ${check.name}: ${problem}`);
    return { ...base, verification: `${summaryOf(result)} (warning)` };
  });
  if (problems.length > 0) {
    const head =
      `Nothing was written: the peer's nameserver at ${where(peer)}, asked for each zone's SOA with ` +
      `${keyWords(peer)}, shows that the transfer cannot work:\n- `;
    throw new PlanError(head + shortList(problems, '\n- '), head + problems.join('\n- '));
  }
  return plans;
}

/** An answer in a few words, for the summary, the outputs and the wait's status. */
export function summaryOf(result: SoaResult): string {
  switch (result.kind) {
    case 'serial':
      return `serves serial ${result.serial}`;
    case 'tsig':
      return `TSIG error ${result.error}`;
    case 'not_served':
      return `does not serve the zone (${result.rcode})`;
    case 'refused':
      return 'REFUSED';
    case 'no_answer':
      return `no answer (${result.reason})`;
  }
}
