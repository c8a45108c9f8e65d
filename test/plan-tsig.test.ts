// The TSIG key's decisions, as pure functions: situation in, plan out.
import { describe, expect, it } from 'vitest';
import type { Peer } from '../src/cloudflare/peer.ts';
import type { Tsig } from '../src/cloudflare/tsig.ts';
import { PlanError } from '../src/plan/error.ts';
import { remainingPeers } from '../src/plan/peer.ts';
import { decideKey, decideKeyRemoval, plannedKeyId } from '../src/plan/tsig.ts';

const desired = { name: 'xfr.example.', algo: 'hmac-sha256.', secret: 'c2VjcmV0LW9uZQ==' };
const key = (fields: Partial<Tsig> = {}): Tsig => ({ id: 'a'.repeat(32), ...desired, ...fields });
const found = (...keys: Tsig[]) => ({ name: 'xfr.example.', keys });
const peer = (fields: Partial<Peer> = {}): Peer => ({ id: 'b'.repeat(32), name: 'ns1', ip: '', port: 0, ...fields });

describe('decideKey (state: present)', () => {
  it('creates the key from name, algo and secret when there is none', () => {
    const plan = decideKey(desired, 'update', found());
    expect(plan).toEqual({ operation: 'created', body: desired });
    expect(plannedKeyId(plan)).toBe('');
  });

  it('is unchanged when algo and secret agree, whatever the spelling', () => {
    const current = key({ name: 'XFR.Example', algo: 'HMAC-SHA256', secret: 'c2VjcmV0LW9uZQ' });
    const plan = decideKey(desired, 'update', found(current));
    expect(plan).toEqual({ operation: 'unchanged', key: current });
    expect(plannedKeyId(plan)).toBe(current.id);
  });

  it('rotates: a different secret is an update that says only that the secret changed', () => {
    const current = key({ secret: 'b2xkLXNlY3JldA==' });
    expect(decideKey(desired, 'update', found(current))).toEqual({
      operation: 'updated',
      key: current,
      body: desired,
      changes: [{ field: 'secret' }],
    });
  });

  it('converges the algorithm, keeping the name as Cloudflare spells it', () => {
    const current = key({ name: 'XFR.example', algo: 'hmac-sha512.' });
    expect(decideKey(desired, 'update', found(current))).toEqual({
      operation: 'updated',
      key: current,
      body: { ...desired, name: 'XFR.example' },
      changes: [{ field: 'algo', before: 'hmac-sha512.', after: 'hmac-sha256.' }],
    });
  });

  it('adopts the key as it is with reuse', () => {
    const current = key({ secret: 'b2xkLXNlY3JldA==' });
    expect(decideKey(desired, 'reuse', found(current))).toEqual({ operation: 'unchanged', key: current });
  });

  it('fails with fail, naming the key', () => {
    expect(() => decideKey(desired, 'fail', found(key()))).toThrow(
      `A TSIG key named "xfr.example." already exists (id ${'a'.repeat(32)}) and if_exists is fail`,
    );
  });

  it('refuses to guess between keys that share the name, for present and absent', () => {
    const keys = found(key(), key({ id: 'c'.repeat(32), name: 'xfr.example' }));
    const message = `2 TSIG keys are named "xfr.example." (${'a'.repeat(32)}, ${'c'.repeat(32)})`;
    expect(() => decideKey(desired, 'update', keys)).toThrow(PlanError);
    expect(() => decideKey(desired, 'update', keys)).toThrow(message);
    expect(() => decideKeyRemoval(keys, [])).toThrow(message);
  });
});

describe('decideKeyRemoval (state: absent)', () => {
  it('deletes the key no remaining peer uses', () => {
    expect(decideKeyRemoval(found(key()), [peer({ tsig_id: 'f'.repeat(32) })])).toEqual({
      operation: 'deleted',
      key: key(),
    });
  });

  it('keeps the key a remaining peer uses, naming that peer', () => {
    const user = peer({ name: 'ns2', tsig_id: 'A'.repeat(32) });
    expect(decideKeyRemoval(found(key()), [user])).toEqual({ operation: 'kept', key: key(), usedBy: [user] });
  });

  it('reports not_found, not an error, when there is no such key', () => {
    expect(decideKeyRemoval(found(), [])).toEqual({ operation: 'not_found', name: 'xfr.example.' });
  });

  it('does not count the peer being deleted as one that remains', () => {
    const deleted = peer({ tsig_id: 'a'.repeat(32) });
    const other = peer({ id: 'd'.repeat(32), name: 'ns2' });
    const listed = { by: 'name' as const, name: 'ns1', peers: [deleted], listed: [deleted, other] };
    expect(remainingPeers(listed, { operation: 'deleted', peer: deleted })).toEqual([other]);
    expect(remainingPeers(listed, { operation: 'not_found', name: 'ns1' })).toEqual([deleted, other]);
  });
});
