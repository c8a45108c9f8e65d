// The TSIG key's decisions, as pure functions: given the key the user asked for and the keys that
// exist (and, to remove one, the peers that remain), what should happen? No I/O here.
import { sameSecret } from '../base64.js';
import type { Peer } from '../cloudflare/peer.js';
import type { Tsig, TsigBody } from '../cloudflare/tsig.js';
import type { DesiredKey, Settings } from '../inputs.js';
import { sameName } from '../names.js';
import { PlanError } from './error.js';

export type TsigOperation = 'created' | 'updated' | 'unchanged' | 'deleted' | 'kept' | 'not_found';

/** What a rotation changes. The secret's values are never carried here, only the fact. */
export type TsigChange = { field: 'algo'; before: string; after: string } | { field: 'secret' };

/** Every key whose name is the asked-for name, by sameName (the lookup filters). */
export interface KeysFound {
  name: string;
  keys: Tsig[];
}

export type TsigPlan =
  | { operation: 'created'; body: TsigBody }
  | { operation: 'updated'; key: Tsig; body: TsigBody; changes: TsigChange[] }
  | { operation: 'unchanged'; key: Tsig }
  | { operation: 'deleted'; key: Tsig }
  | { operation: 'kept'; key: Tsig; usedBy: Peer[] }
  | { operation: 'not_found'; name: string };

/** state: present. None: create it; one: as if_exists says (update rotates algo or secret); several: fail. */
export function decideKey(desired: DesiredKey, ifExists: Settings['ifExists'], found: KeysFound): TsigPlan {
  const { secret } = desired;
  if (secret === undefined) {
    throw new PlanError('Input `tsig_secret` is required with `tsig_name` for state: present.');
  }
  const key = single(found);
  if (!key) return { operation: 'created', body: { name: desired.name, algo: desired.algo, secret } };
  if (ifExists === 'fail') {
    throw new PlanError(
      `A TSIG key named "${key.name}" already exists (id ${key.id}) and if_exists is fail. ` +
        'Set if_exists: update to converge it, reuse to adopt it, or remove it first.',
    );
  }
  if (ifExists === 'reuse') return { operation: 'unchanged', key };

  const changes: TsigChange[] = [];
  if (!sameName(key.algo, desired.algo)) changes.push({ field: 'algo', before: key.algo, after: desired.algo });
  if (!sameSecret(key.secret, secret)) changes.push({ field: 'secret' });
  // The key keeps its name as Cloudflare spells it: another spelling of one DNS name is no change.
  const body = { name: key.name, algo: desired.algo, secret };
  return changes.length === 0 ? { operation: 'unchanged', key } : { operation: 'updated', key, body, changes };
}

/** state: absent. Delete the key, unless a peer that stays still uses it; no key is not an error. */
export function decideKeyRemoval(found: KeysFound, remaining: Peer[]): TsigPlan {
  const key = single(found);
  if (!key) return { operation: 'not_found', name: found.name };
  const usedBy = remaining.filter((peer) => peer.tsig_id?.toLowerCase() === key.id.toLowerCase());
  return usedBy.length > 0 ? { operation: 'kept', key, usedBy } : { operation: 'deleted', key };
}

/** The id the peer should link: known unless the key is still to be created. */
export function plannedKeyId(plan: TsigPlan): string {
  return 'key' in plan ? plan.key.id : '';
}

function single(found: KeysFound): Tsig | undefined {
  if (found.keys.length > 1) {
    const ids = found.keys.map((key) => key.id).join(', ');
    throw new PlanError(
      `${found.keys.length} TSIG keys are named "${found.name}" (${ids}); key names compare without regard to case ` +
        'and trailing dot, and Cloudflare does not keep them unique. Delete all but one, or link one by `tsig_id` ' +
        'instead of `tsig_name`.',
    );
  }
  return found.keys[0];
}
