// Carries out a plan against Cloudflare (or, in a dry run, only describes it), so that a run ends
// either with exactly one peer as asked, or failed with nothing of its own left behind.
import { describeError } from './cloudflare/errors.js';
import type { Peer, PeerBody, PeersApi } from './cloudflare/peers.js';
import type { Settings } from './inputs.js';
import type { Change, Found, Operation, Plan } from './plan/peer.js';

export interface Outcome {
  operation: Operation;
  dryRun: boolean;
  /** The peer after the run (in a dry run: as it would be; id "" for a peer not yet created). */
  peer?: Peer;
  changes: Change[];
  /** For not_found: the name that was looked up. */
  name?: string;
}

/** Told the moment a peer exists that this run created, before anything else can fail. */
export type OnCreated = (peer: Peer) => void;

/** Reads what exists: one GET by id (a List too if it answers 404), or one List filtered by name. */
export async function lookUp(api: PeersApi, settings: Settings): Promise<Found> {
  if (settings.peerId) {
    return { by: 'id', peerId: settings.peerId, peer: await api.find(settings.peerId) };
  }
  const name = settings.name ?? '';
  return { by: 'name', name, peers: (await api.list()).filter((peer) => peer.name === name) };
}

export function preview(plan: Plan): Outcome {
  const outcome = { operation: plan.operation, dryRun: true, changes: [] };
  switch (plan.operation) {
    case 'created':
      // As Create Peer returns a new peer, with the Update's fields laid over it.
      return { ...outcome, peer: { id: '', ip: '', port: 0, ixfr_enable: false, name: plan.name, ...plan.configure } };
    case 'updated':
      return { ...outcome, peer: { ...plan.peer, ...plan.body }, changes: plan.changes };
    case 'unchanged':
    case 'deleted':
      return { ...outcome, peer: plan.peer };
    case 'not_found':
      return { ...outcome, name: plan.name };
  }
}

export async function apply(
  api: PeersApi,
  plan: Plan,
  found: Found,
  onCreated: OnCreated,
  log: (line: string) => void,
): Promise<Outcome> {
  const outcome: Outcome = { operation: plan.operation, dryRun: false, changes: [] };
  switch (plan.operation) {
    case 'created': {
      const existing = new Set(found.by === 'name' ? found.peers.map((peer) => peer.id) : []);
      const created = await api.create({ name: plan.name }, existing);
      onCreated(created);
      const peer = plan.configure ? await configureOrRollBack(api, created, plan.configure) : created;
      return { ...outcome, peer };
    }
    case 'updated':
      return { ...outcome, peer: await api.update(plan.peer.id, plan.body), changes: plan.changes };
    case 'deleted': {
      // Gone between lookup and delete (two absent runs at once): the state asked for holds, but this
      // run deleted nothing, so it reports not_found, as if the lookup had come a moment later.
      if ((await api.delete(plan.peer.id)) === 'gone') {
        log(`Peer ${plan.peer.id} was deleted by someone else between lookup and delete: not_found.`);
        return { ...outcome, operation: 'not_found', name: plan.peer.name };
      }
      return { ...outcome, peer: plan.peer };
    }
    case 'unchanged':
      return { ...outcome, peer: plan.peer };
    case 'not_found':
      return { ...outcome, name: plan.name };
  }
}

/** Create Peer takes only a name; the rest needs an Update. If that fails, the new peer goes again. */
async function configureOrRollBack(api: PeersApi, peer: Peer, body: PeerBody): Promise<Peer> {
  try {
    return await api.update(peer.id, body);
  } catch (cause) {
    const why = describeError(cause);
    try {
      await api.delete(peer.id);
    } catch (rollbackError) {
      throw new Error(
        `Configuring the new peer ${peer.id} failed, and deleting it again failed too, so it is left on the account: ` +
          `remove peer ${peer.id} ("${peer.name}") by hand.\nConfigure: ${why}\nDelete: ${describeError(rollbackError)}`,
      );
    }
    throw new Error(`Configuring the new peer failed, so it was deleted again (nothing is left behind).\n${why}`);
  }
}
