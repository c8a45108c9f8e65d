// The TSIG key step, for runs with tsig_name: look the key up, then carry out its plan or, in a dry
// run, only describe it. Loaded with a dynamic import, so runs without a key never load it.

import type { Journal } from '../base/journal.js';
import type { Board, Step } from '../base/step.js';
import type { Connection } from '../cloudflare/collection.js';
import { type Tsig, TsigApi } from '../cloudflare/tsig.js';
import type { DesiredKey } from '../inputs.js';
import { sameName } from '../names.js';
import type { KeyOutcome, KeyView } from '../outcome.js';
import type { Found as PeerFound, Plan as PeerPlan } from '../plan/peer.js';
import { remainingPeers } from '../plan/peer.js';
import { decideKey, decideKeyRemoval, type KeysFound, type TsigPlan } from '../plan/tsig.js';

export const tsigStep: Step<'tsig'> = {
  name: 'tsig',
  lookUp: async ({ settings, connection, reveal }) => lookUpKeys(keysApi(connection, reveal), key(settings.tsig).name),
  decide: (settings, board) => {
    const found = board.found.tsig as KeysFound;
    if (settings.state === 'present') return decideKey(key(settings.tsig), settings.ifExists, found);
    // Removal comes after the peer's: a key another remaining peer uses stays.
    return decideKeyRemoval(found, remainingPeers(board.found.peer as PeerFound, board.plans.peer as PeerPlan));
  },
  preview: (plan, board) => withSharing(previewKey(plan), board),
  apply: async (plan, { connection, reveal, journal, log, warn }, board) => {
    const outcome = withSharing(
      await applyKey(keysApi(connection, reveal), plan, board.found.tsig as KeysFound, journal, log),
      board,
    );
    const shared = outcome.sharedWith ?? [];
    if (shared.length > 0) {
      warn(
        `TSIG key ${outcome.key.name} (${outcome.key.id}) was rotated, and other peers use it too: ` +
          `${shared.map((peer) => `peer ${peer.name} (${peer.id})`).join(', ')}. Their nameservers need the new ` +
          'secret as well, or their transfers fail.',
      );
    }
    return outcome;
  },
  entries: {
    tsig: {
      describe: (entry) => `TSIG key ${entry.name} (${entry.id})`,
      byHand: (entry) => `delete TSIG key ${entry.id} ("${entry.name}")`,
      // Deleting answers with an id only: no secret to reveal.
      undo: (entry, connection) => keysApi(connection, () => {}).delete(entry.id),
    },
    // A rotation cannot be undone: the action never keeps a secret, the old one included.
    tsig_rotation: {
      describe: (entry) => `a new secret for TSIG key ${entry.name} (${entry.id})`,
      byHand: (entry) =>
        `give the other nameserver the new secret of TSIG key ${entry.name}, or run again with the old one`,
      undo: async () => 'kept',
      kept: (entry) =>
        `TSIG key ${entry.name} (${entry.id}) keeps its new secret: the action never keeps the old one, so it cannot ` +
        'put it back (give the other nameserver the new secret, or run again with the old one)',
    },
  },
};

/** A rotated key: the other peers that use it (their nameservers need the new secret too). */
function withSharing(outcome: KeyOutcome, board: Board): KeyOutcome {
  if (outcome.operation !== 'updated') return outcome;
  const ours = board.plans.peer && 'peer' in board.plans.peer ? board.plans.peer.peer.id : undefined;
  const listed = (board.found.peer as PeerFound | undefined)?.listed ?? [];
  const id = outcome.key.id.toLowerCase();
  const sharedWith = listed.filter((peer) => peer.tsig_id?.toLowerCase() === id && peer.id !== ours);
  return sharedWith.length > 0 ? { ...outcome, sharedWith } : outcome;
}

function key(desired: DesiredKey | undefined): DesiredKey {
  if (!desired) throw new Error('The TSIG key step runs only with tsig_name.');
  return desired;
}

/** `reveal` masks every secret Cloudflare's answers carry, before anything else sees them. */
function keysApi(connection: Connection, reveal: (secret: string) => void): TsigApi {
  return new TsigApi(connection, reveal);
}

/** One List; the keys whose name is this name (see sameName in names.ts). */
async function lookUpKeys(api: TsigApi, name: string): Promise<KeysFound> {
  return { name, keys: (await api.list()).filter((key) => sameName(key.name, name)) };
}

function previewKey(plan: TsigPlan): KeyOutcome {
  switch (plan.operation) {
    case 'created':
      return outcome(plan, { id: '', name: plan.body.name, algo: plan.body.algo });
    case 'updated':
      return outcome(plan, { ...view(plan.key), algo: plan.body.algo });
    case 'unchanged':
    case 'deleted':
    case 'kept':
      return outcome(plan, view(plan.key));
    case 'not_found':
      return outcome(plan, { id: '', name: plan.name, algo: '' });
  }
}

/** A key this run creates goes into the journal at once, so a failure of the peer's step undoes it. */
async function applyKey(
  api: TsigApi,
  plan: TsigPlan,
  found: KeysFound,
  journal: Journal,
  log: (line: string) => void,
): Promise<KeyOutcome> {
  switch (plan.operation) {
    case 'created': {
      const key = await api.create(plan.body, new Set(found.keys.map((existing) => existing.id)));
      journal.record({ kind: 'tsig', id: key.id, name: key.name });
      return outcome(plan, view(key));
    }
    case 'updated':
      // A new secret cannot be taken back (the old one is never kept): a failure later says so.
      if (plan.changes.some((change) => change.field === 'secret')) {
        journal.record({ kind: 'tsig_rotation', id: plan.key.id, name: plan.key.name }, { rollbackOnly: true });
      }
      return outcome(plan, view(await api.update(plan.key.id, plan.body)));
    case 'deleted':
      // Gone between lookup and delete (another run): as for the peer, this run deleted nothing.
      if ((await api.delete(plan.key.id)) === 'gone') {
        log(`TSIG key ${plan.key.id} was deleted by someone else between lookup and delete: not_found.`);
        return previewKey({ operation: 'not_found', name: plan.key.name });
      }
      return previewKey(plan);
    default:
      return previewKey(plan);
  }
}

function outcome(plan: TsigPlan, key: KeyView): KeyOutcome {
  return {
    operation: plan.operation,
    key,
    changes: plan.operation === 'updated' ? plan.changes : [],
    usedBy: plan.operation === 'kept' ? plan.usedBy : [],
  };
}

function view(key: Tsig): KeyView {
  return { id: key.id, name: key.name, algo: key.algo };
}
