// Onboarding a zone the account lacks (create_zones: true, zone_role: secondary): the zones step creates
// it as a secondary zone before it links the peer, undoes that when the run fails, and says when the zone
// may be delegated to the nameservers Cloudflare assigned.

import type { Entry, EntryHandler, Journal } from '../base/journal.js';
import type { Connection } from '../cloudflare/collection.js';
import { CloudflareError, describeError } from '../cloudflare/errors.js';
import { lacksZoneEdit, ZoneApi } from '../cloudflare/zone.js';
import { settleAll, valuesOrFailure } from '../concurrency.js';
import { delegation, type ZoneOutcome } from '../outcome.js';
import type { ZoneFound, ZonePlan } from '../plan/zone.js';

export interface CreateIo {
  log: (line: string) => void;
  journal: Journal;
  /** Checks the rules against a zone another run created first (its type, its peers). */
  recheck: (found: ZoneFound) => void;
  /** Zones created at once: as many as the zones step links at once. */
  atOnce: number;
}

/**
 * Creates every zone the plans call for, side by side, and returns the plans with the zones as Cloudflare
 * made them. Each creation is recorded before its POST (under the zone's name, its id once known), so a
 * failure anywhere later deletes it again. A zone another run created since the lookup is joined, as that
 * run's: not recorded, and reported with zone_created false.
 */
export async function createZones(api: ZoneApi, plans: ZonePlan[], io: CreateIo): Promise<ZonePlan[]> {
  const results = await settleAll(plans, io.atOnce, async (plan): Promise<ZonePlan> => {
    if (!plan.createsZone) return plan;
    const recorded = io.journal.record({ kind: 'zone', id: '', name: plan.zone.name, role: plan.role });
    let made: Awaited<ReturnType<ZoneApi['createZone']>>;
    try {
      made = await api.createZone(plan.zone.name);
    } catch (error) {
      // Refused for sure (not a lost answer): nothing was created, so there is nothing to undo.
      if (error instanceof CloudflareError && !error.ambiguous) io.journal.resolve(recorded, undefined);
      if (!lacksZoneEdit(error)) throw error;
      throw new Error(
        'creating it needs the permission Zone → Zone → Edit on the account (a token scoped to zones cannot ' +
          `create one); add it to the token, or create the zone yourself as a secondary zone.\n${describeError(error)}`,
      );
    }
    io.journal.resolve(recorded, made.created ? made.zone.id : undefined);
    const ready: ZonePlan = { ...plan, zone: made.zone, createsZone: made.created };
    if (made.created) io.log(`Created zone ${made.zone.name} (${made.zone.id}) as a secondary zone.`);
    else {
      io.log(`Zone ${made.zone.name} (${made.zone.id}) was created by another run since the lookup: joining it.`);
      io.recheck(ready);
    }
    return ready;
  });
  return fulfilled(
    results,
    plans.map((plan) => plan.zone.name),
    'Creating the zones failed',
  );
}

/** The zones' settled work, or one error naming each zone that failed ("- zone a.example: why"). */
export function fulfilled<T>(results: PromiseSettledResult<T>[], names: string[], what: string): T[] {
  return valuesOrFailure(
    results,
    names.map((name) => `zone ${name}`),
    what,
  );
}

/** A zone this run created goes again, with its transfer configurations; one whose id never came back stays. */
export const createdZoneEntry: EntryHandler = {
  describe: (entry) => `zone ${entry.name}${entry.id ? ` (${entry.id})` : ''}`,
  byHand: (entry) => `delete zone ${entry.name}${entry.id ? ` (${entry.id})` : ''} if nothing should use it`,
  undo: (entry, connection) => undoCreatedZone(connection, entry),
  kept: (entry) =>
    `zone ${entry.name} may have been created by this run (the answer to Create Zone was lost), so it was left ` +
    'alone: check the account, and delete it by hand if it is not wanted',
};

async function undoCreatedZone(connection: Connection, entry: Entry): Promise<'deleted' | 'gone' | 'kept'> {
  const api = new ZoneApi(connection);
  if (entry.id) return api.deleteZone(entry.id);
  // The POST's answer never came and no lookup found the zone: only a zone that is there now may be ours.
  const [zone] = await api.byName(entry.name);
  return zone ? 'kept' : 'gone';
}

/**
 * A warning for each new secondary zone whose transfer the run did not confirm: delegated now, it would
 * answer empty, and resolvers would cache that.
 */
export function delegationWarnings(zones: ZoneOutcome[], waited: boolean): string[] {
  return zones
    .filter((zone) => delegation(zone) === 'not_yet')
    .map((zone) => {
      const why = waited
        ? 'no transfer was reported within wait_for_transfer'
        : 'this run did not wait for a transfer (wait_for_transfer: 0)';
      const servers = zone.name_servers.length > 0 ? ` to ${zone.name_servers.join(', ')}` : '';
      return (
        `Zone ${zone.name}: do not delegate it${servers} yet: ${why}. Cloudflare answers for the zone as soon as it ` +
        'exists, with empty answers until its first transfer, and resolvers cache empty answers. Run again with ' +
        'transfer: force and wait_for_transfer, or check its records on those nameservers, before you delegate.'
      );
    });
}
