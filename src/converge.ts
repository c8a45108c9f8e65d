// One run against Cloudflare: read what exists, decide, then write — the peer, with tsig_name its
// TSIG key, and with zones its links to them. Every read comes before the first write, so a situation
// the user must resolve (several objects with one name, if_exists: fail, a zone that cannot take the
// peer) stops the run before anything changed.
import { apply, lookUp, type Outcome, preview } from './apply.js';
import type { Connection } from './cloudflare/collection.js';
import { PeersApi } from './cloudflare/peers.js';
import type { Settings } from './inputs.js';
import { decide, remainingPeers } from './plan/peer.js';
import type { ZoneFound } from './plan/zone.js';
import type { Journal } from './undo.js';

/** reveal: masks a secret from an answer before anything else is printed; log: one line for the log. */
export interface RunnerIo {
  reveal: (secret: string) => void;
  log: (line: string) => void;
}

export async function converge(
  settings: Settings,
  connection: Connection,
  journal: Journal,
  { reveal, log }: RunnerIo,
): Promise<Outcome> {
  const peers = new PeersApi(connection);
  // Only runs that manage a key, or zones, load that code.
  const keyStep = settings.tsig ? await import('./key.js') : undefined;
  const zoneStep = settings.zones ? await import('./zone-links.js') : undefined;
  const absent = settings.state === 'absent';

  // Reads. Every peer is listed when a key may go (is another peer using it?) or zones are linked
  // (one TSIG key per zone: the zone's other peers' keys count).
  const tsigs = keyStep?.keysApi(connection, reveal);
  const keys = tsigs && settings.tsig ? await keyStep?.lookUpKeys(tsigs, settings.tsig.name) : undefined;
  const found = await lookUp(peers, settings, { listAll: (absent && Boolean(keyStep)) || Boolean(zoneStep) });
  const zonesApi = zoneStep?.zonesApi(connection);
  const zonesFound = zonesApi && settings.zones ? await zoneStep?.lookUpZones(zonesApi, settings.zones) : undefined;

  if (absent) {
    const plan = decide(settings, found);
    const keyPlan = keys && keyStep?.decideKeyRemoval(keys, remainingPeers(found, plan));
    const zonePlans = zonesFound && zoneStep?.decideUnlinks(zonesFound, zoneStep.peerLinkOf(plan).id);
    if (settings.dryRun) {
      return {
        ...preview(plan),
        key: keyPlan && keyStep?.previewKey(keyPlan),
        zones: zonePlans && zoneStep?.previewZones(zonePlans),
      };
    }
    // Zones first: a peer goes only once no zone uses it.
    const peerId = plan.operation === 'deleted' ? plan.peer.id : '';
    const zones = zonesApi && zonePlans ? await zoneStep?.unlink(zonesApi, zonePlans, peerId) : undefined;
    const outcome = await apply(peers, plan, found, journal, log);
    const key = tsigs && keyPlan && keys ? await keyStep?.applyKey(tsigs, keyPlan, keys, journal, log) : undefined;
    return { ...outcome, key, zones: zones?.zones };
  }

  const keyPlan = settings.tsig && keys ? keyStep?.decideKey(settings.tsig, settings.ifExists, keys) : undefined;
  const linkedTo = (keyId: string) => decide({ ...settings, desired: { ...settings.desired, tsig_id: keyId } }, found);
  const plan = keyPlan && keyStep ? linkedTo(keyStep.plannedKeyId(keyPlan)) : decide(settings, found);
  // The peer uses a key this run creates only when its plan writes it (not when reuse leaves it alone).
  const linksNewKey =
    keyPlan?.operation === 'created' && (plan.operation === 'created' || plan.operation === 'updated');
  const newKey = linksNewKey ? settings.tsig?.name : undefined;
  const directory = zoneStep?.directoryOf(found.listed ?? []);
  const zonePlans =
    zonesFound && directory && zoneStep?.decideLinks(zonesFound, zoneStep.peerLinkOf(plan, newKey), directory);
  if (settings.dryRun) {
    return {
      ...preview(plan),
      key: keyPlan && keyStep?.previewKey(keyPlan),
      zones: zonePlans && zoneStep?.previewZones(zonePlans),
    };
  }

  const key = tsigs && keyPlan && keys ? await keyStep?.applyKey(tsigs, keyPlan, keys, journal, log) : undefined;
  // A new key's id is known only now: plan the peer again with it (the same decision, pure).
  const linked = key && keyPlan?.operation === 'created' ? linkedTo(key.key.id) : plan;
  const outcome = await apply(peers, linked, found, journal, log);
  if (!zonesApi || !zonePlans || !outcome.peer || !settings.zones) return { ...outcome, key };
  const peerLink = zoneStep?.peerLinkOf(linked);
  const recheck = (zone: ZoneFound) => peerLink && directory && zoneStep?.decideLinks([zone], peerLink, directory);
  const zones = await zoneStep?.link(zonesApi, zonePlans, outcome.peer, settings.zones, journal, { log, recheck });
  return { ...outcome, key, zones: zones?.zones, failure: zones?.failure };
}
