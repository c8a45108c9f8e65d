// The step outputs, derived from the outcome in one place so every mode reports the same way.

import { definedOnly } from './objects.js';
import { type Report, type VerifyOutcome, verificationByName, type ZoneOutcome } from './outcome.js';
import { display } from './plan/peer.js';

export type OutputName =
  | 'peer_id'
  | 'name'
  | 'ip'
  | 'port'
  | 'ixfr_enable'
  | 'tsig_id'
  | 'peer'
  | 'operation'
  | 'tsig_name'
  | 'tsig_operation'
  | 'zones';

export function outputsOf(report: Report): Record<OutputName, string> {
  const { peer: outcome, tsig, zone, verify } = report.outcomes;
  const peer = outcome.peer;
  return {
    peer_id: peer?.id ?? '',
    name: peer?.name ?? outcome.name ?? '',
    ip: display(peer?.ip),
    port: display(peer?.port),
    // false is a real value here (AXFR), not "unset".
    ixfr_enable: typeof peer?.ixfr_enable === 'boolean' ? String(peer.ixfr_enable) : '',
    tsig_id: display(peer?.tsig_id),
    peer: peer?.id ? JSON.stringify(peer) : '',
    operation: outcome.operation,
    // Name, id and algorithm only: a key's secret is never an output.
    tsig_name: tsig?.key.name ?? '',
    tsig_operation: tsig?.operation ?? '',
    zones: zone ? JSON.stringify(withVerification(zone.zones, verify)) : '',
  };
}

/** Each zone with what the check of the peer's nameserver found: peer_serial and in_sync, when known. */
export function withVerification(
  zones: ZoneOutcome[],
  verify: VerifyOutcome | undefined,
): (ZoneOutcome & { peer_serial?: number; in_sync?: boolean })[] {
  const byName = verificationByName(verify);
  return zones.map((zone) => {
    const checked = byName.get(zone.name);
    if (!checked) return zone;
    return definedOnly({ ...zone, peer_serial: checked.peer_serial, in_sync: checked.in_sync });
  });
}
