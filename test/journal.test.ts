// The undo journal: what a run created is saved at once, and a rollback deletes it newest first,
// saying what was deleted or what is left to remove by hand.
import { describe, expect, it } from 'vitest';
import { type Entry as Created, type Handlers, Journal, readJournal } from '../src/base/journal.ts';
import type { Connection } from '../src/cloudflare/collection.ts';
import { CloudflareError } from '../src/cloudflare/errors.ts';
import { ENTRY_KINDS, handlersFor } from '../src/run/registry.ts';

const key: Created = { kind: 'tsig', id: 'a'.repeat(32), name: 'xfr.example.' };
const peer: Created = { kind: 'peer', id: 'b'.repeat(32), name: 'ns1' };
const cause = new Error('Update Peer failed');

function journal(...entries: Created[]) {
  const saved: string[] = [];
  const j = new Journal((value) => saved.push(value));
  // As the peer step records a change to an existing peer: undone on failure, dropped on success.
  for (const entry of entries) j.record(entry, { rollbackOnly: entry.kind === 'peer_update' });
  return { journal: j, saved };
}

const connection = {} as Connection;

/** The steps' own descriptions of each entry, with `remove` in place of the requests that undo it. */
async function handlersWith(remove: (entry: Created) => Promise<'deleted' | 'gone'>): Promise<Handlers> {
  const real = await handlersFor([key, peer]);
  return (entry) => ({ ...real(entry), undo: remove });
}

const read = (saved: string) => readJournal(saved, ENTRY_KINDS);

describe('Journal', () => {
  it('saves the whole list each time an object is recorded', () => {
    const { saved } = journal(key, peer);
    expect(saved.map((value) => JSON.parse(value))).toEqual([[key], [key, peer]]);
    expect(read(saved.at(-1) ?? '')).toEqual([key, peer]);
  });

  it('rolls back newest first (the peer before its key) and empties the saved list', async () => {
    const { journal: j, saved } = journal(key, peer);
    const removed: string[] = [];
    const error = await j.rollBack(
      cause,
      await handlersWith(async (entry) => {
        removed.push(entry.kind);
        return 'deleted';
      }),
      connection,
    );

    expect(removed).toEqual(['peer', 'tsig']);
    expect((error as Error).message).toBe(
      `The run failed after it made TSIG key xfr.example. (${key.id}) and peer ns1 (${peer.id}), ` +
        'so they were undone (nothing is left behind).\nUpdate Peer failed',
    );
    expect(saved.at(-1)).toBe('');
    expect(j.entries).toEqual([]);
  });

  it('stops at the first undo that fails: that object and the older ones stay, named with what to do by hand', async () => {
    const { journal: j, saved } = journal(key, peer);
    const refused = new CloudflareError('api', { method: 'DELETE', path: '/peers/b' }, 'Internal', { status: 500 });
    const removed: string[] = [];
    const error = await j.rollBack(
      cause,
      await handlersWith(async (entry) => {
        removed.push(entry.kind);
        if (entry.kind === 'peer') throw refused;
        return 'deleted';
      }),
      connection,
    );

    // The key stays: the peer that could not be deleted still uses it.
    expect(removed).toEqual(['peer']);
    expect((error as Error).message).toContain(
      `undoing peer ns1 (${peer.id}) failed too, so it and what came before it are left on the account. ` +
        `By hand: delete peer ${peer.id} ("ns1") and delete TSIG key ${key.id} ("xfr.example.").`,
    );
    expect((error as Error).message).toContain(
      `Undo peer ns1 (${peer.id}): Cloudflare DELETE /peers/b failed (HTTP 500)`,
    );
    expect(read(saved.at(-1) ?? '')).toEqual([key, peer]);
  });

  it('puts a changed peer back, and a successful run forgets that (the post step only cleans up)', async () => {
    const previous = { name: 'ns1', ip: '192.0.2.1' };
    const update: Created = { kind: 'peer_update', id: peer.id, name: 'ns1', previous };
    const { journal: j, saved } = journal(key, update);
    expect(read(saved.at(-1) ?? '')).toEqual([key, update]);
    j.settle();
    expect(read(saved.at(-1) ?? '')).toEqual([key]);
  });

  it('counts an object already gone as undone', async () => {
    const { journal: j } = journal(peer);
    const error = await j.rollBack(cause, await handlersWith(async () => 'gone'), connection);
    expect((error as Error).message).toContain('so it was undone (nothing is left behind)');
  });

  it('hands the cause back untouched when the run created nothing', async () => {
    const { journal: j, saved } = journal();
    expect(await j.rollBack(cause, await handlersWith(async () => 'deleted'), connection)).toBe(cause);
    expect(saved).toEqual([]);
  });

  it('reads nothing from a state that is empty or not a journal', () => {
    expect(read('')).toEqual([]);
    expect(read('{"kind":"peer"}')).toEqual([]);
    expect(read(JSON.stringify([peer, { kind: 'zone', id: 'x', name: 'y' }]))).toEqual([peer]);
  });
});
