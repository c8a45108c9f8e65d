// The peer step: look the peer up, then carry out its plan against Cloudflare (or, in a dry run, only
// describe it). What it creates or changes goes into the journal first, so a run ends with the peer as
// asked or with nothing of its own. Every run has a peer, so this step is in the entry bundle.

import type { Entry, Journal } from '../base/journal.js';
import type { Board, Step } from '../base/step.js';
import { type Peer, PeerApi, type PeerBody } from '../cloudflare/peer.js';
import type { Settings } from '../inputs.js';
import { definedOnly } from '../objects.js';
import type { PeerOutcome } from '../outcome.js';
import { decide, type Found, type Plan } from '../plan/peer.js';
import type { TsigPlan } from '../plan/tsig.js';

export const peerStep: Step<'peer'> = {
  name: 'peer',
  // Every peer is listed when a key is managed (which other peers use it?) or zones are linked (one TSIG
  // key per zone: the zone's other peers' keys count).
  lookUp: ({ settings, connection }) =>
    lookUp(new PeerApi(connection), settings, {
      listAll: settings.tsig !== undefined || settings.zones !== undefined,
    }),
  decide: (settings, board) => linkedTo(settings, board, board.plans.tsig && plannedKeyId(board.plans.tsig)),
  preview: (plan) => preview(plan),
  apply: async (plan, { settings, connection, journal, log }, board) => {
    // A key this run created has its id only now: the same decision again, with that id (pure).
    const key = board.outcomes.tsig;
    const linked =
      key?.operation === 'created' && settings.state === 'present' ? linkedTo(settings, board, key.key.id) : plan;
    return apply(new PeerApi(connection), linked, found(board), journal, log);
  },
  entries: {
    peer: {
      describe: (entry) => `peer ${entry.name} (${entry.id})`,
      byHand: (entry) => `delete peer ${entry.id} ("${entry.name}")`,
      // 'gone' is confirmed by the List (see Collection.delete): a 404 alone proves nothing.
      undo: (entry, connection) => new PeerApi(connection).delete(entry.id),
    },
    peer_update: {
      describe: (entry) => `the changes to peer ${entry.name} (${entry.id})`,
      byHand: (entry) => `set peer ${entry.id} back to ${JSON.stringify(entry.previous ?? {})}`,
      undo: async (entry: Entry, connection) => {
        await new PeerApi(connection).update(entry.id, entry.previous ?? { name: entry.name });
        return 'deleted';
      },
    },
  },
};

/** The id the peer should link: known unless the key is still to be created. */
function plannedKeyId(plan: TsigPlan): string {
  return 'key' in plan ? plan.key.id : '';
}

function found(board: Board): Found {
  return board.found.peer as Found;
}

/** The peer's plan; with a key step, linking that key (its id, or "" while it is still to be created). */
function linkedTo(settings: Settings, board: Board, keyId: string | undefined): Plan {
  const asked = keyId === undefined ? settings : { ...settings, desired: { ...settings.desired, tsig_id: keyId } };
  return decide(asked, found(board), { newKey: keyId === '' });
}

/**
 * Reads what exists: one GET by id (a List too if it answers 404), or one List filtered by name; or,
 * when every peer is needed too, one List for either.
 */
async function lookUp(api: PeerApi, settings: Settings, options: { listAll?: boolean } = {}): Promise<Found> {
  const { peerId } = settings;
  if (peerId && !options.listAll) return { by: 'id', peerId, peer: await api.find(peerId) };
  const listed = await api.list();
  if (peerId) return { by: 'id', peerId, peer: listed.find((peer) => peer.id === peerId), listed };
  const name = settings.name ?? '';
  return { by: 'name', name, peers: listed.filter((peer) => peer.name === name), listed };
}

function preview(plan: Plan): PeerOutcome {
  const outcome = { operation: plan.operation, changes: [], plan };
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
async function apply(
  api: PeerApi,
  plan: Plan,
  found: Found,
  journal: Journal,
  log: (line: string) => void,
): Promise<PeerOutcome> {
  const outcome: PeerOutcome = { operation: plan.operation, changes: [], plan };
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
      journal.record(
        { kind: 'peer_update', id: plan.peer.id, name: plan.peer.name, previous: bodyOf(plan.peer) },
        { rollbackOnly: true },
      );
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
