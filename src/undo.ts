// The one place that undoes what a run did. Every object the run creates is recorded the moment it
// exists, in memory and in GITHUB_STATE, so that a failure later in the main step deletes it again
// (rollBack) and the post step can delete it at the end of the job (cleanup: true). Undo goes newest
// first: the peer before the key it links.
import type { Connection } from './cloudflare/collection.js';
import { describeError } from './cloudflare/errors.js';
import { PeersApi } from './cloudflare/peers.js';

export type Kind = 'peer' | 'tsig';

/** An object this run created. Never holds a secret: it is saved in GITHUB_STATE. */
export interface Created {
  kind: Kind;
  id: string;
  name: string;
}

/** Deletes one created object; 'gone' when it was not there any more. */
export type Remove = (entry: Created) => Promise<'deleted' | 'gone'>;

const NOUN: Record<Kind, string> = { peer: 'peer', tsig: 'TSIG key' };

/** "peer primary-ns1 (id)" */
export function describeCreated(entry: Created): string {
  return `${NOUN[entry.kind]} ${entry.name} (${entry.id})`;
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
  return (
    typeof entry?.id === 'string' && typeof entry.name === 'string' && (entry.kind === 'peer' || entry.kind === 'tsig')
  );
}

/** How created objects are deleted; the TSIG client is loaded only when a key is among them. */
export function remover(connection: Connection): Remove {
  return async (entry) => {
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
    this.#entries.push({ kind: entry.kind, id: entry.id, name: entry.name });
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
    const byHand = left.map(({ entry }) => `${NOUN[entry.kind]} ${entry.id} ("${entry.name}")`);
    const failures = left.map(({ entry, error }) => `Delete ${NOUN[entry.kind]} ${entry.id}: ${describeError(error)}`);
    return new Error(
      `The run failed after creating ${list(created)}; deleting ${list(left.map(({ entry }) => describeCreated(entry)))} ` +
        `again failed too, so ${them} left on the account: remove ${list(byHand)} by hand.\n${why}\n${failures.join('\n')}`,
    );
  }

  #persist(): void {
    this.#save(this.#entries.length > 0 ? JSON.stringify(this.#entries) : '');
  }
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
