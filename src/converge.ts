// One run against Cloudflare: read what exists, decide, then write — the peer and, with tsig_name,
// its TSIG key. Every read comes before the first write, so a situation the user must resolve
// (several objects with one name, if_exists: fail) stops the run before anything changed.
import { apply, lookUp, type Outcome, preview } from './apply.js';
import type { Connection } from './cloudflare/collection.js';
import { PeersApi } from './cloudflare/peers.js';
import type { Settings } from './inputs.js';
import { decide, remainingPeers } from './plan/peer.js';
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
  if (!settings.tsig) {
    const found = await lookUp(peers, settings);
    const plan = decide(settings, found);
    return settings.dryRun ? preview(plan) : apply(peers, plan, found, journal, log);
  }

  // Only runs that manage a key load its code.
  const step = await import('./key.js');
  const tsigs = step.keysApi(connection, reveal);
  const keys = await step.lookUpKeys(tsigs, settings.tsig.name);

  if (settings.state === 'absent') {
    // The key goes only if no remaining peer uses it, so this lookup lists every peer.
    const found = await lookUp(peers, settings, { listAll: true });
    const plan = decide(settings, found);
    const keyPlan = step.decideKeyRemoval(keys, remainingPeers(found, plan));
    if (settings.dryRun) return { ...preview(plan), key: step.previewKey(keyPlan) };
    const outcome = await apply(peers, plan, found, journal, log);
    return { ...outcome, key: await step.applyKey(tsigs, keyPlan, keys, journal, log) };
  }

  const found = await lookUp(peers, settings);
  const keyPlan = step.decideKey(settings.tsig, settings.ifExists, keys);
  const linkedTo = (keyId: string) => decide({ ...settings, desired: { ...settings.desired, tsig_id: keyId } }, found);
  const plan = linkedTo(step.plannedKeyId(keyPlan));
  if (settings.dryRun) return { ...preview(plan), key: step.previewKey(keyPlan) };

  const key = await step.applyKey(tsigs, keyPlan, keys, journal, log);
  // A new key's id is known only now: plan the peer again with it (the same decision, pure).
  const linked = keyPlan.operation === 'created' ? linkedTo(key.key.id) : plan;
  const outcome = await apply(peers, linked, found, journal, log);
  return { ...outcome, key };
}
