// The TSIG client in process against the emulator: every secret an answer carries is revealed (to be
// masked) first, and Create TSIG is as safe to retry as Create Peer (the shared safeCreate).
import { describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../src/cloudflare/retry.ts';
import { createTransport } from '../src/cloudflare/transport.ts';
import { TsigApi } from '../src/cloudflare/tsig.ts';
import { sameName } from '../src/names.ts';
import { useEmulator } from './use-emulator.ts';

const emulator = useEmulator({ contract: false });

const body = { name: 'xfr.example.', algo: 'hmac-sha256.', secret: 'c2VjcmV0LW9uZQ==' };

function client(maxAttempts = 5) {
  const revealed: string[] = [];
  const log: string[] = [];
  const retry: RetryPolicy = {
    maxAttempts,
    budgetMs: 120_000,
    baseDelayMs: 1_000,
    maxDelayMs: 20_000,
    random: () => 0.5,
    sleep: async () => {},
    log: (line) => log.push(line),
  };
  const send = createTransport({
    apiUrl: emulator.url,
    credentials: { scheme: 'token', token: emulator.token },
    userAgent: 'test',
    timeoutMs: 2_000,
  });
  const api = new TsigApi({ send, retry, accountId: emulator.accountId }, (secret) => revealed.push(secret));
  return { api, revealed, log };
}

const methods = () => emulator.requests.map((request) => request.method);

describe('TSIG client', () => {
  it('reveals every secret of every answer: List, Get, Create and Update', async () => {
    const other = emulator.seedTsig({ name: 'other.', algo: 'hmac-sha512.', secret: 'b3RoZXI=' });
    const { api, revealed } = client();

    const created = await api.create(body, new Set());
    expect(revealed).toEqual([body.secret]);
    await api.list();
    expect(revealed.slice(1).sort()).toEqual([body.secret, other.secret].sort());
    await api.get(other.id);
    await api.update(created.id, { ...body, secret: 'bmV3LXNlY3JldA==' });
    expect(revealed.slice(3)).toEqual([other.secret, 'bmV3LXNlY3JldA==']);
  });

  it('deletes a key', async () => {
    const key = emulator.seedTsig(body);
    await client().api.delete(key.id);
    expect(emulator.tsigs()).toEqual([]);
  });
});

describe('safe Create TSIG', () => {
  it('adopts the key when the answer was lost, matching its name in another spelling', async () => {
    emulator.inject({ method: 'POST', fault: { kind: 'reset-after' } });
    const { api, log } = client();

    const key = await api.create({ ...body, name: 'XFR.Example' }, new Set());
    expect(emulator.tsigs()).toEqual([key]);
    expect(methods()).toEqual(['POST', 'GET']);
    expect(log.at(-1)).toBe(`The earlier Create TSIG went through after all: adopting TSIG key ${key.id}`);
  });

  it('does not adopt a key of that name that existed before', async () => {
    const old = emulator.seedTsig(body);
    emulator.inject({ method: 'POST', fault: { kind: 'status', status: 503 } });

    const key = await client().api.create(body, new Set([old.id]));
    expect(key.id).not.toBe(old.id);
    expect(methods()).toEqual(['POST', 'GET', 'POST']);
    expect(emulator.tsigs()).toHaveLength(2);
  });

  it('stops and lists them when several keys with the name appeared after a lost answer', async () => {
    const parallel = emulator.seedTsig({ ...body, name: 'xfr.example' });
    emulator.inject({ method: 'POST', fault: { kind: 'reset-after' } });

    const creating = client().api.create(body, new Set());
    await expect(creating).rejects.toThrow(/since then 2 TSIG keys named "xfr.example." appeared \(/);
    await expect(creating).rejects.toThrow(parallel.id);
  });

  it('says a key may exist when the last check fails too', async () => {
    emulator.inject({ method: 'POST', fault: { kind: 'reset-after' } });
    emulator.inject({ method: 'GET', times: 9, fault: { kind: 'status', status: 503 } });

    await expect(client(1).api.create(body, new Set())).rejects.toThrow(
      /That Create TSIG may have gone through, and listing the TSIG keys to check failed too, so look for a TSIG key named "xfr.example."/,
    );
  });
});

describe('key names', () => {
  it.each([
    ['a.example.', 'A.Example', true],
    ['a.example', 'a.example.', true],
    ['a.example.', 'a.example..', false],
    ['a.example', 'b.example', false],
  ])('%s and %s are one name: %s', (a, b, same) => {
    expect(sameName(a, b)).toBe(same);
  });
});
