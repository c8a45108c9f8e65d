// Carries out the peer's plan against Cloudflare (or, in a dry run, only describes it). What it
// creates goes into the undo journal, so a run ends with the peer as asked or with nothing of its own.
import type { Peer, PeerBody, PeersApi } from './cloudflare/peers.js';
import type { Settings } from './inputs.js';
import type { KeyOutcome } from './key.js';
import { definedOnly } from './objects.js';
import type { Change, Found, Operation, Plan } from './plan/peer.js';
import type { Journal } from './undo.js';
import type { ZoneOutcome } from './zone-links.js';

export interface Outcome {
  operation: Operation;
  dryRun: boolean;
  /** The peer after the run (in a dry run: as it would be; id "" for a peer not yet created). */
  peer?: Peer;
  changes: Change[];
  /** For not_found: the name that was looked up. */
  name?: string;
  /** With tsig_name: what happened (or would happen) to the key. */
  key?: KeyOutcome;
  /** With zones: what happened (or would happen) to each zone's link. */
  zones?: ZoneOutcome[];
  /** The step fails with this although nothing is undone (a wait for transfers that timed out). */
  failure?: string;
}

/**
 * Reads what exists: one GET by id (a List too if it answers 404), or one List filtered by name; or,
 * when every peer is needed too, one List for either.
 */
export async function lookUp(api: PeersApi, settings: Settings, options: { listAll?: boolean } = {}): Promise<Found> {
  const { peerId } = settings;
  if (peerId && !options.listAll) return { by: 'id', peerId, peer: await api.find(peerId) };
  const listed = await api.list();
  if (peerId) return { by: 'id', peerId, peer: listed.find((peer) => peer.id === peerId), listed };
  const name = settings.name ?? '';
  return { by: 'name', name, peers: listed.filter((peer) => peer.name === name), listed };
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

/** A peer this run creates goes into the journal at once, so a failure after it (configuring it too) undoes it. */
export async function apply(
  api: PeersApi,
  plan: Plan,
  found: Found,
  journal: Journal,
  log: (line: string) => void,
): Promise<Outcome> {
  const outcome: Outcome = { operation: plan.operation, dryRun: false, changes: [] };
  switch (plan.operation) {
    case 'created': {
      const existing = new Set(found.by === 'name' ? found.peers.map((peer) => peer.id) : []);
      const created = await api.create({ name: plan.name }, existing);
      journal.record({ kind: 'peer', id: created.id, name: created.name });
      // Create Peer takes only a name; the other fields need an Update.
      const peer = plan.configure ? await api.update(created.id, plan.configure) : created;
      return { ...outcome, peer };
    }
    case 'updated':
      // Recorded first: if a later part of the run fails, the peer is put back as it was (a key this run
      // created is deleted then, and the peer must not be left pointing at it).
      journal.record({ kind: 'peer_update', id: plan.peer.id, name: plan.peer.name, previous: bodyOf(plan.peer) });
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

/** The peer as an Update body: what puts it back as it is now. */
function bodyOf(peer: Peer): PeerBody {
  return definedOnly({
    name: peer.name,
    ip: peer.ip || undefined,
    port: peer.port || undefined,
    ixfr_enable: peer.ixfr_enable ?? undefined,
    tsig_id: peer.tsig_id || undefined,
  });
}
