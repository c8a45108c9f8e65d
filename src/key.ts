// The TSIG key step, for runs with tsig_name: look the key up, then carry out its plan or, in a dry
// run, only describe it. Loaded with a dynamic import, so runs without a key never load it.
import type { Connection } from './cloudflare/collection.js';
import type { Peer } from './cloudflare/peers.js';
import { sameKeyName, type Tsig, TsigsApi } from './cloudflare/tsigs.js';
import type { KeysFound, TsigChange, TsigOperation, TsigPlan } from './plan/tsig.js';
import type { Journal } from './undo.js';

export { decideKey, decideKeyRemoval, plannedKeyId } from './plan/tsig.js';

/** The key as shown in outputs and the summary: never its secret. */
export interface KeyView {
  id: string;
  name: string;
  algo: string;
}

export interface KeyOutcome {
  operation: TsigOperation;
  /** The key after the run (in a dry run: as it would be; id "" for a key not yet created). */
  key: KeyView;
  changes: TsigChange[];
  /** For kept: the peers that still use the key. */
  usedBy: Peer[];
}

/** `reveal` masks every secret Cloudflare's answers carry, before anything else sees them. */
export function keysApi(connection: Connection, reveal: (secret: string) => void): TsigsApi {
  return new TsigsApi(connection, reveal);
}

/** One List; the keys whose name is this name (see sameKeyName). */
export async function lookUpKeys(api: TsigsApi, name: string): Promise<KeysFound> {
  return { name, keys: (await api.list()).filter((key) => sameKeyName(key.name, name)) };
}

export function previewKey(plan: TsigPlan): KeyOutcome {
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
export async function applyKey(
  api: TsigsApi,
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
