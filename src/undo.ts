// The one place that undoes what a run did. Everything the run creates or changes is recorded before
// (or the moment) it happens, in memory and in GITHUB_STATE, so that a failure later in the main step
// undoes it again (rollBack) and the post step can undo it at the end of the job (cleanup: true). Undo
// goes newest first: the zone links before the peer they use, the peer before the key it links; and it
// stops at the first undo that fails, since what came before may still be in use by it.
import type { Connection } from './cloudflare/collection.js';
import { describeError } from './cloudflare/errors.js';
import { type PeerBody, PeersApi } from './cloudflare/peers.js';
import type { ZoneRole } from './cloudflare/zones.js';
import { definedOnly } from './objects.js';

/**
 * - peer, tsig: an object the run created (undo: delete it).
 * - peer_update: an existing peer the run changed (undo: put `previous` back); main step only.
 * - zone_config, zone_link: this run's peer added to a zone's transfer configuration that the run
 *   created, or that existed (undo: take the peer out again; a configuration left with no peer goes).
 */
export type Kind = 'peer' | 'tsig' | 'peer_update' | 'zone_config' | 'zone_link';
const KINDS: readonly string[] = ['peer', 'tsig', 'peer_update', 'zone_config', 'zone_link'] satisfies Kind[];

/**
 * What the run did, never holding a secret: it is saved in GITHUB_STATE. For zone entries, id and name
 * are the zone's and peerId the peer linked; for a peer_update, `previous` is the peer as it was.
 */
export interface Created {
  kind: Kind;
  id: string;
  name: string;
  role?: ZoneRole;
  peerId?: string;
  previous?: PeerBody;
}

/** Undoes one entry; 'gone' when there was nothing left to undo. */
export type Remove = (entry: Created) => Promise<'deleted' | 'gone'>;

/** "peer primary-ns1 (id)", "link of peer <id> to zone example.com (<zone id>)" */
export function describeCreated(entry: Created): string {
  switch (entry.kind) {
    case 'peer':
      return `peer ${entry.name} (${entry.id})`;
    case 'tsig':
      return `TSIG key ${entry.name} (${entry.id})`;
    case 'peer_update':
      return `the changes to peer ${entry.name} (${entry.id})`;
    case 'zone_config':
      return `${direction(entry)} transfer configuration of zone ${entry.name} (${entry.id})`;
    case 'zone_link':
      return `link of peer ${entry.peerId} to zone ${entry.name} (${entry.id})`;
  }
}

/** What a person does to undo the entry when the action could not. */
function byHand(entry: Created): string {
  switch (entry.kind) {
    case 'peer':
    case 'tsig':
      return `delete ${entry.kind === 'peer' ? 'peer' : 'TSIG key'} ${entry.id} ("${entry.name}")`;
    case 'peer_update':
      return `set peer ${entry.id} back to ${JSON.stringify(entry.previous ?? {})}`;
    case 'zone_config':
    case 'zone_link':
      return `remove peer ${entry.peerId} from the ${direction(entry)} transfer configuration of zone ${entry.name} (${entry.id})`;
  }
}

function direction(entry: Created): string {
  return entry.role === 'primary' ? 'outgoing' : 'incoming';
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

/** How entries are undone; the TSIG and zone code is loaded only when such an entry is there. */
export function remover(connection: Connection): Remove {
  return async (entry) => {
    switch (entry.kind) {
      case 'zone_config':
      case 'zone_link':
        // Through the zones step's chunk, so the bundle holds the zones client once.
        return (await import('./zone-links.js')).undoZone(connection, entry);
      case 'peer_update':
        await new PeersApi(connection).update(entry.id, entry.previous ?? { name: entry.name });
        return 'deleted';
      case 'peer':
        // 'gone' is confirmed by the List (see Collection.delete): a 404 alone proves nothing.
        return new PeersApi(connection).delete(entry.id);
      case 'tsig':
        // Through the key step's chunk, so the bundle holds the TSIG client once. Deleting answers with
        // an id only: no secret to reveal.
        return (await import('./key.js')).keysApi(connection, () => {}).delete(entry.id);
    }
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
    const { kind, id, name, role, peerId, previous } = entry;
    this.#entries.push(definedOnly({ kind, id, name, role, peerId, previous }));
    this.#persist();
  }

  /**
   * The run succeeded: drop what only a rollback needs (peer_update), so the post step is left with what
   * cleanup may undo, and exits at once when that is nothing.
   */
  settle(): void {
    const kept = this.#entries.filter((entry) => entry.kind !== 'peer_update');
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
  async rollBack(cause: unknown, remove: Remove): Promise<unknown> {
    if (this.#entries.length === 0) return cause;
    const done = this.#entries.map(describeCreated);
    while (this.#entries.length > 0) {
      const entry = this.#entries.at(-1) as Created;
      try {
        await remove(entry);
      } catch (error) {
        this.#persist();
        const left = [...this.#entries].reverse();
        return new Error(
          `The run failed after it made ${list(done)}; undoing ${describeCreated(entry)} failed too, so ` +
            `${left.length === 1 ? 'it is' : 'it and what came before it are'} left on the account. By hand: ` +
            `${list(left.map(byHand))}.\n${describeError(cause)}\nUndo ${describeCreated(entry)}: ${describeError(error)}`,
        );
      }
      this.#entries.pop();
    }
    this.#persist();
    const what = done.length === 1 ? 'it was' : 'they were';
    return new Error(
      `The run failed after it made ${list(done)}, so ${what} undone (nothing is left behind).\n${describeError(cause)}`,
    );
  }

  #persist(): void {
    this.#save(this.#entries.length > 0 ? JSON.stringify(this.#entries) : '');
  }
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
