// The journal of what a run did, and the one place that undoes it. Everything the run creates or changes
// is recorded before (or the moment) it happens, in memory and in GITHUB_STATE, so that a failure later
// in the main step undoes it again (rollBack) and the post step can undo it at the end of the job
// (cleanup: true). Undo goes newest first: the zone links before the peer they use, the peer before the
// key it links; and it stops at the first undo that fails, since what came before may still be in use by
// it. The journal knows no step: how each kind of entry is undone and named comes from the step that
// wrote it (see registry.ts).
import type { Connection } from '../cloudflare/collection.js';
import { describeError } from '../cloudflare/errors.js';
import type { PeerBody } from '../cloudflare/peer.js';
import type { ZoneRole } from '../cloudflare/zone.js';
import { definedOnly } from '../objects.js';
import { MAX_LISTED, shortList } from '../short-list.js';

/**
 * What the run did, never holding a secret: it is saved in GITHUB_STATE. `kind` says which step wrote it
 * (peer, peer_update, tsig, zone_config, zone_link). For zone entries, id and name are the zone's and
 * peerId the peer linked; for a peer_update, `previous` is the peer as it was.
 */
export interface Entry {
  kind: string;
  id: string;
  name: string;
  role?: ZoneRole;
  peerId?: string;
  previous?: PeerBody;
}

/** How a step undoes one kind of journal entry, and how it names it for people. */
export interface EntryHandler {
  /** "peer primary-ns1 (id)" */
  describe: (entry: Entry) => string;
  /** What a person does when the action could not undo it. */
  byHand: (entry: Entry) => string;
  /** 'gone' when there was nothing left to undo; 'kept' when it cannot be undone (see `kept`). */
  undo: (entry: Entry, connection: Connection) => Promise<'deleted' | 'gone' | 'kept'>;
  /** For an entry that cannot be undone: what stays, and what a person does about it. */
  kept?: (entry: Entry) => string;
}

/** The handler of each entry (registry.ts loads the steps that wrote them). */
export type Handlers = (entry: Entry) => EntryHandler;

/**
 * The journal the main step saved, as the post step reads it back; nothing readable means nothing
 * created, and an entry of a kind no step writes is dropped.
 */
export function readJournal(saved: string, kinds: readonly string[]): Entry[] {
  try {
    const entries: unknown = JSON.parse(saved);
    return Array.isArray(entries) ? entries.filter((entry) => isEntry(entry, kinds)) : [];
  } catch {
    return [];
  }
}

function isEntry(value: unknown, kinds: readonly string[]): value is Entry {
  const entry = value as Partial<Entry> | null;
  return typeof entry?.id === 'string' && typeof entry.name === 'string' && kinds.includes(entry.kind ?? '');
}

export class Journal {
  readonly #entries: Entry[] = [];
  /** Entries that only a rollback undoes (an existing object changed): a successful run drops them. */
  readonly #rollbackOnly = new WeakSet<Entry>();
  readonly #save: (value: string) => void;

  /** `save` stores the journal where the post step finds it; "" when it is empty. */
  constructor(save: (value: string) => void) {
    this.#save = save;
  }

  get entries(): readonly Entry[] {
    return this.#entries;
  }

  /** `rollbackOnly`: undone if this run fails, but kept (not cleaned up) when it succeeds. */
  record(entry: Entry, options: { rollbackOnly?: boolean } = {}): void {
    const { kind, id, name, role, peerId, previous } = entry;
    const saved = definedOnly({ kind, id, name, role, peerId, previous });
    if (options.rollbackOnly) this.#rollbackOnly.add(saved);
    this.#entries.push(saved);
    this.#persist();
  }

  /**
   * The run succeeded: drop what only a rollback needs (a changed peer), so the post step is left with what
   * cleanup may undo, and exits at once when that is nothing.
   */
  settle(): void {
    const kept = this.#entries.filter((entry) => !this.#rollbackOnly.has(entry));
    if (kept.length === this.#entries.length) return;
    this.#entries.splice(0, this.#entries.length, ...kept);
    this.#persist();
  }

  /**
   * After a failure: undoes what this run did, newest first, and returns the error to fail with. At the
   * first undo that fails it stops: the older entries (the peer a zone still lists, the key a peer still
   * uses) stay as they are, in the journal for the post step, and are named in the message with what to
   * do by hand.
   */
  async rollBack(cause: unknown, handlers: Handlers, connection: Connection): Promise<unknown> {
    if (this.#entries.length === 0) return cause;
    const describe = (entry: Entry) => handlers(entry).describe(entry);
    const done = this.#entries.map(describe);
    const kept: string[] = [];
    while (this.#entries.length > 0) {
      const entry = this.#entries.at(-1) as Entry;
      try {
        if ((await handlers(entry).undo(entry, connection)) === 'kept') {
          kept.push(handlers(entry).kept?.(entry) ?? `${describe(entry)} stays`);
        }
      } catch (error) {
        this.#persist();
        const left = [...this.#entries].reverse();
        return new Error(
          `The run failed after it made ${list(done)}; undoing ${describe(entry)} failed too, so ` +
            `${left.length === 1 ? 'it is' : 'it and what came before it are'} left on the account. By hand: ` +
            `${list(left.map((each) => handlers(each).byHand(each)))}.\n${describeError(cause)}\n` +
            `Undo ${describe(entry)}: ${describeError(error)}`,
          { cause },
        );
      }
      this.#entries.pop();
    }
    this.#persist();
    if (kept.length > 0) {
      return new Error(
        `The run failed after it made ${list(done)}; the rest was undone, but ${list(kept)}.\n${describeError(cause)}`,
        { cause },
      );
    }
    const what = done.length === 1 ? 'it was' : 'they were';
    return new Error(
      `The run failed after it made ${list(done)}, so ${what} undone (nothing is left behind).\n${describeError(cause)}`,
      { cause },
    );
  }

  #persist(): void {
    this.#save(this.#entries.length > 0 ? JSON.stringify(this.#entries) : '');
  }
}

function list(items: string[]): string {
  if (items.length > MAX_LISTED) return shortList(items);
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
