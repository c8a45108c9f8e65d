// The one place that undoes what a run did. Every object the run creates is recorded the moment it
// exists, in memory and in GITHUB_STATE, so that a failure later in the main step deletes it again
// (rollBack) and the post step can delete it at the end of the job (cleanup: true). Undo goes newest
// first: the zone links and configurations before the peer they use, the peer before the key it links.
import type { Connection } from './cloudflare/collection.js';
import { describeError } from './cloudflare/errors.js';
import { PeersApi } from './cloudflare/peers.js';
import type { ZoneRole } from './cloudflare/zones.js';
import { definedOnly } from './objects.js';

export type Kind = 'peer' | 'tsig' | 'zone_config' | 'zone_link';
const KINDS: readonly string[] = ['peer', 'tsig', 'zone_config', 'zone_link'] satisfies Kind[];

/**
 * Something this run created. Never holds a secret: it is saved in GITHUB_STATE. For zone entries, id
 * and name are the zone's; a zone_config is a transfer configuration the run created, a zone_link this
 * run's peer added to a configuration that existed.
 */
export interface Created {
  kind: Kind;
  id: string;
  name: string;
  role?: ZoneRole;
  peerId?: string;
}

/** Deletes one created object; 'gone' when it was not there any more. */
export type Remove = (entry: Created) => Promise<'deleted' | 'gone'>;

const NOUN: Record<Kind, string> = {
  peer: 'peer',
  tsig: 'TSIG key',
  zone_config: 'transfer configuration',
  zone_link: 'link',
};

/** "peer primary-ns1 (id)", "link of peer <id> to zone example.com (<zone id>)" */
export function describeCreated(entry: Created): string {
  switch (entry.kind) {
    case 'zone_config':
      return `${entry.role === 'primary' ? 'outgoing' : 'incoming'} transfer configuration of zone ${entry.name} (${entry.id})`;
    case 'zone_link':
      return `link of peer ${entry.peerId} to zone ${entry.name} (${entry.id})`;
    default:
      return `${NOUN[entry.kind]} ${entry.name} (${entry.id})`;
  }
}

/** The journal the main step saved, as the post step reads it back; nothing readable means nothing created. */
export function readJournal(saved: string): Created[] {
  try {
    const entries: unknown = JSON.parse(saved);
    return Array.isArray(entries) ? entries.filter(isCreated) : [];
  } catch {
    return [];
  }
}

function isCreated(value: unknown): value is Created {
  const entry = value as Partial<Created> | null;
  return typeof entry?.id === 'string' && typeof entry.name === 'string' && KINDS.includes(entry.kind ?? '');
}

/** How created objects are deleted; the TSIG and zone clients are loaded only when such an entry is there. */
export function remover(connection: Connection): Remove {
  return async (entry) => {
    if (entry.kind === 'zone_config' || entry.kind === 'zone_link') {
      // Through the zones step's chunk, so the bundle holds the zones client once.
      return (await import('./zone-links.js')).undoZone(connection, entry);
    }
    const api =
      entry.kind === 'peer'
        ? new PeersApi(connection)
        : // Deleting answers with an id only: no secret to reveal.
          new (await import('./cloudflare/tsigs.js')).TsigsApi(connection, () => {});
    // 'gone' is confirmed by the List (see Collection.delete): a 404 alone proves nothing.
    return api.delete(entry.id);
  };
}

export class Journal {
  readonly #entries: Created[] = [];
  readonly #save: (value: string) => void;

  /** `save` stores the journal where the post step finds it; "" when it is empty. */
  constructor(save: (value: string) => void) {
    this.#save = save;
  }

  get entries(): readonly Created[] {
    return this.#entries;
  }

  record(entry: Created): void {
    const { kind, id, name, role, peerId } = entry;
    this.#entries.push(definedOnly({ kind, id, name, role, peerId }));
    this.#persist();
  }

  /**
   * After a failure: deletes what this run created, newest first, and returns the error to fail with.
   * What could not be deleted stays in the journal (the post step may still remove it) and is named
   * in the message, to be removed by hand.
   */
  async rollBack(cause: unknown, remove: Remove): Promise<unknown> {
    if (this.#entries.length === 0) return cause;
    const created = this.#entries.map(describeCreated);
    const left: { entry: Created; error: unknown }[] = [];
    for (const entry of [...this.#entries].reverse()) {
      try {
        await remove(entry);
      } catch (error) {
        left.push({ entry, error });
      }
    }
    this.#entries.splice(0, this.#entries.length, ...left.map(({ entry }) => entry).reverse());
    this.#persist();

    const why = describeError(cause);
    if (left.length === 0) {
      const what = created.length === 1 ? 'it was' : 'they were';
      return new Error(
        `The run failed after creating ${list(created)}, so ${what} deleted again (nothing is left behind).\n${why}`,
      );
    }
    const them = left.length === 1 ? 'it is' : 'they are';
    const byHand = left.map(({ entry }) =>
      isObject(entry) ? `${NOUN[entry.kind]} ${entry.id} ("${entry.name}")` : describeCreated(entry),
    );
    const failures = left.map(({ entry, error }) =>
      isObject(entry)
        ? `Delete ${NOUN[entry.kind]} ${entry.id}: ${describeError(error)}`
        : `Undo the ${describeCreated(entry)}: ${describeError(error)}`,
    );
    return new Error(
      `The run failed after creating ${list(created)}; deleting ${list(left.map(({ entry }) => describeCreated(entry)))} ` +
        `again failed too, so ${them} left on the account: remove ${list(byHand)} by hand.\n${why}\n${failures.join('\n')}`,
    );
  }

  #persist(): void {
    this.#save(this.#entries.length > 0 ? JSON.stringify(this.#entries) : '');
  }
}

/** A peer or key: an account object with an id of its own (zone entries are changes to a zone). */
function isObject(entry: Created): boolean {
  return entry.kind === 'peer' || entry.kind === 'tsig';
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
