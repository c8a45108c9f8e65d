// Retries and safe create, in process against the emulator, with an injected sleep: no test waits.
import { type AddressInfo, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CloudflareError } from '../src/cloudflare/errors.ts';
import { PeerApi } from '../src/cloudflare/peer.ts';
import { Quota } from '../src/cloudflare/quota.ts';
import { delayBefore, type RetryPolicy, withRetries } from '../src/cloudflare/retry.ts';
import { createTransport, parseRetryAfter } from '../src/cloudflare/transport.ts';
import { makeSelfSignedCert, startEmulator } from './emulator/index.ts';
import { useEmulator } from './use-emulator.ts';

// Every request the action sends and every answer it gets is what Cloudflare publishes (useEmulator checks).
const emulator = useEmulator();

function policy(overrides: Partial<RetryPolicy> = {}) {
  const waits: number[] = [];
  const log: string[] = [];
  const retry: RetryPolicy = {
    maxAttempts: 5,
    budgetMs: 120_000,
    baseDelayMs: 1_000,
    maxDelayMs: 20_000,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
    log: (line) => log.push(line),
    ...overrides,
  };
  return { retry, waits, log };
}

function client(retry: RetryPolicy, timeoutMs = 2_000) {
  const send = createTransport({
    apiUrl: emulator.url,
    credentials: { scheme: 'token', token: emulator.token },
    userAgent: 'test',
    timeoutMs,
  });
  return new PeerApi({ send, retry, accountId: emulator.accountId });
}

const methods = () => emulator.requests.map((request) => request.method);

describe('backoff', () => {
  const error = (retryAfterMs?: number) =>
    new CloudflareError('api', { method: 'GET', path: '/x' }, 'busy', { status: 503, retryAfterMs });

  it('grows exponentially with full jitter up to the cap', () => {
    const { retry } = policy({ random: () => 0.999999 });
    const ceilings = [2, 3, 4, 5, 6, 7, 8].map((attempt) => delayBefore(attempt, error(), retry));
    expect(ceilings).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 20_000, 20_000]);
    expect(delayBefore(3, error(), policy({ random: () => 0 }).retry)).toBe(0);
  });

  it('waits at least a second after a 429 without Retry-After, whatever the jitter draws', () => {
    const throttled = new CloudflareError('api', { method: 'GET', path: '/x' }, 'slow down', { status: 429 });
    const { retry } = policy({ random: () => 0 });
    expect([2, 3, 4].map((attempt) => delayBefore(attempt, throttled, retry))).toEqual([1_000, 1_000, 1_000]);
    expect(delayBefore(4, throttled, policy({ random: () => 0.999999 }).retry)).toBe(4_000);
    // Other statuses keep full jitter from zero.
    expect(delayBefore(2, error(), retry)).toBe(0);
  });

  it('honours Retry-After in seconds and as an HTTP date', () => {
    expect(parseRetryAfter('12', 0)).toBe(12_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:30 GMT', 10_000)).toBe(20_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(delayBefore(2, error(7_000), policy().retry)).toBe(7_000);
  });
});

describe('withRetries', () => {
  it('logs one line per retry with the reason, the wait and the attempt', async () => {
    emulator.inject({ method: 'GET', fault: { kind: 'status', status: 503, retryAfter: '12' } });
    const { retry, waits, log } = policy();

    expect(await client(retry).list()).toEqual([]);
    expect(waits).toEqual([12_000]);
    expect(log).toEqual([
      `Cloudflare GET /accounts/${emulator.accountId}/secondary_dns/peers: 503 (code 1000); waiting 12 s before attempt 2 of 5`,
    ]);
  });

  it('fails at once, briefly, when Retry-After is longer than a quota window', async () => {
    emulator.inject({ method: 'GET', fault: { kind: 'status', status: 429, retryAfter: '301' } });
    const { retry, waits } = policy();

    const failed = client(retry).list();
    await expect(failed).rejects.toThrow(
      "Cloudflare's rate limit for this credential: it asks to wait 301 s, longer than its 300 s window, so the action stops now; re-run the job later",
    );
    expect(waits).toEqual([]);
    expect(emulator.requests).toHaveLength(1);
  });

  it('gives up after max_attempts with the last cause', async () => {
    emulator.inject({ method: 'GET', times: 10, fault: { kind: 'html', status: 502 } });
    const { retry, waits } = policy({ maxAttempts: 3 });

    await expect(client(retry).list()).rejects.toThrow(/HTML page instead of JSON/);
    expect(emulator.requests).toHaveLength(3);
    expect(waits).toEqual([500, 1_000]);
  });

  it('does not retry a 4xx verdict', async () => {
    const { retry, waits } = policy();
    const wrongToken = createTransport({
      apiUrl: emulator.url,
      credentials: { scheme: 'token', token: 'nope' },
      userAgent: 'test',
      timeoutMs: 2_000,
    });
    await expect(new PeerApi({ send: wrongToken, retry, accountId: emulator.accountId }).list()).rejects.toMatchObject({
      status: 403,
      codes: [9109],
    });
    expect(waits).toEqual([]);
  });

  it('retries a timeout, then succeeds', async () => {
    emulator.inject({ method: 'GET', fault: { kind: 'delay', ms: 1_000 } });
    const { retry, log } = policy();

    expect(await client(retry, 100).list()).toEqual([]);
    expect(log[0]).toMatch(/no answer in time; waiting 0.5 s before attempt 2 of 5/);
  });

  it('rethrows what is not a Cloudflare failure without retrying', async () => {
    const { retry } = policy();
    let calls = 0;
    await expect(
      withRetries(retry, async () => {
        calls++;
        throw new TypeError('bug');
      }),
    ).rejects.toThrow('bug');
    expect(calls).toBe(1);
  });
});

describe('waiting out the quota (429)', () => {
  /** A retry policy whose quota waits run on a fake clock that the injected sleep moves. */
  function onClock(overrides: Partial<RetryPolicy> = {}) {
    let now = 0;
    const log: string[] = [];
    const sleep = async (ms: number) => {
      now += ms;
    };
    const quota = new Quota({ now: () => now, sleep, log: (line) => log.push(`${now / 1000}: ${line}`) });
    const { retry } = policy({ sleep, log: (line) => log.push(`${now / 1000}: ${line}`), quota, ...overrides });
    return { retry, quota, log, now: () => now };
  }

  it('waits a whole window, with a progress line every 30 s, whatever the attempts and the budget', async () => {
    emulator.inject({ method: 'GET', fault: { kind: 'status', status: 429, retryAfter: '140' } });
    const { retry, quota, log, now } = onClock({ maxAttempts: 1, budgetMs: 1_000 });
    let linked = 212;
    quota.progress(() => `${linked++} of 300 zones linked`);

    expect(await client(retry).list()).toEqual([]);
    expect(now()).toBe(140_000);
    const path = `/accounts/${emulator.accountId}/secondary_dns/peers`;
    expect(log).toEqual([
      `0: Cloudflare GET ${path}: 429 (code 971); waiting 140 s for the rate-limit window to reset ` +
        '(not counted as an attempt), 212 of 300 zones linked',
      '30: rate limit: waiting 110 s more, 213 of 300 zones linked',
      '60: rate limit: waiting 80 s more, 214 of 300 zones linked',
      '90: rate limit: waiting 50 s more, 215 of 300 zones linked',
      '120: rate limit: waiting 20 s more, 216 of 300 zones linked',
    ]);
  });

  it('does not count 429s as attempts: many in a row, then success', async () => {
    emulator.inject({ method: 'GET', times: 6, fault: { kind: 'status', status: 429, retryAfter: '20' } });
    const { retry } = onClock({ maxAttempts: 2 });

    expect(await client(retry).list()).toEqual([]);
    expect(emulator.requests.map((r) => r.answer?.status)).toEqual([429, 429, 429, 429, 429, 429, 200]);
  });

  it('fails when the quota is still spent after a whole window of waiting', async () => {
    emulator.inject({ method: 'GET', times: 3, fault: { kind: 'status', status: 429, retryAfter: '200' } });
    const { retry, now } = onClock();

    await expect(client(retry).list()).rejects.toThrow(
      "Cloudflare's rate limit for this credential: the quota was still spent after waiting 400 s (a whole window, in which " +
        "none of this run's requests got through): " +
        'other jobs or people are using the same credential; re-run later, or run fewer jobs with it at once',
    );
    expect(now()).toBe(400_000);
    expect(emulator.requests).toHaveLength(3);
  });

  it('keeps waiting past a whole window while other requests of the run get through (a shared quota)', async () => {
    emulator.inject({ method: 'GET', times: 4, fault: { kind: 'status', status: 429, retryAfter: '200' } });
    let now = 0;
    const quota: Quota = new Quota({
      now: () => now,
      // While this request waits, another of the run's requests is answered: the run is taking turns
      // with other jobs in each window, not shut out of it.
      sleep: async (ms) => {
        now += ms;
        quota.markServed();
      },
      log: () => {},
    });
    const { retry } = policy({ quota });

    expect(await client(retry).list()).toEqual([]);
    expect(now).toBe(800_000);
    expect(emulator.requests.map((r) => r.answer?.status)).toEqual([429, 429, 429, 429, 200]);
  });

  it('starts no wait, a 429 or a backoff, that would end past the deadline', async () => {
    emulator.inject({ method: 'GET', fault: { kind: 'status', status: 429, retryAfter: '20' } });
    const { retry, now } = onClock({ deadline: { at: 10_000, what: 'the end of the test' } });
    await expect(client(retry).list()).rejects.toThrow(
      /a retry would wait 20 s, past the end of the test, so it was not tried$/,
    );
    expect(now()).toBe(0);

    emulator.inject({ method: 'GET', fault: { kind: 'status', status: 503 } });
    const backoff = onClock({ deadline: { at: 10_000, what: 'the end of the test' }, baseDelayMs: 20_000 });
    await expect(client(backoff.retry).list()).rejects.toThrow(/past the end of the test, so it was not tried$/);
    expect(emulator.requests).toHaveLength(2);

    emulator.inject({ method: 'GET', fault: { kind: 'status', status: 503 } });
    const inTime = onClock({ deadline: { at: 10_000, what: 'the end of the test' } });
    expect(await client(inTime.retry).list()).toEqual([]);
  });

  it("takes the window from Cloudflare's Ratelimit-Policy, as the pacer read it", async () => {
    emulator.inject({ method: 'GET', fault: { kind: 'status', status: 429, retryAfter: '61' } });
    const { retry, quota } = onClock();
    quota.setWindowMs(60_000);

    await expect(client(retry).list()).rejects.toThrow(/asks to wait 61 s, longer than its 60 s window/);
  });

  it('prints one line for requests that wait side by side, and keeps a line every 30 s', async () => {
    let now = 0;
    const log: string[] = [];
    const timers: { at: number; wake: () => void }[] = [];
    // A fake clock shared by overlapping sleeps: the earliest sleeper wakes first and moves the clock.
    const sleep = (ms: number) => new Promise<void>((wake) => timers.push({ at: now + ms, wake }));
    const quota = new Quota({ now: () => now, sleep, log: (line) => log.push(`${now / 1000}: ${line}`) });
    const waits = [quota.wait(45_000, 'first'), quota.wait(100_000, 'second'), quota.wait(70_000, 'third')];
    while (timers.length > 0) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift() as (typeof timers)[number];
      now = next.at;
      next.wake();
      await new Promise((settled) => setImmediate(settled));
    }
    await Promise.all(waits);
    expect(log).toEqual([
      '0: first',
      '30: rate limit: waiting 70 s more',
      '60: rate limit: waiting 40 s more',
      '90: rate limit: waiting 10 s more',
    ]);
  });
});

describe('safe create', () => {
  it('adopts the peer when the answer to the POST was lost', async () => {
    emulator.inject({ method: 'POST', fault: { kind: 'reset-after' } });
    const { retry, log } = policy();

    const peer = await client(retry).create({ name: 'ns1' }, new Set());
    expect(emulator.peers()).toEqual([peer]);
    expect(methods()).toEqual(['POST', 'GET']);
    expect(log.at(-1)).toBe(`The earlier Create Peer went through after all: adopting peer ${peer.id}`);
  });

  it('posts again only when no peer appeared', async () => {
    emulator.inject({ method: 'POST', fault: { kind: 'status', status: 500 } });
    const peer = await client(policy().retry).create({ name: 'ns1' }, new Set());

    expect(emulator.peers()).toEqual([peer]);
    expect(methods()).toEqual(['POST', 'GET', 'POST']);
  });

  it('does not adopt a peer of that name that existed before', async () => {
    const old = emulator.seedPeer({ name: 'ns1', ip: '', port: 0, ixfr_enable: false });
    emulator.inject({ method: 'POST', fault: { kind: 'reset-before' } });

    const peer = await client(policy().retry).create({ name: 'ns1' }, new Set([old.id]));
    expect(peer.id).not.toBe(old.id);
    expect(emulator.peers()).toHaveLength(2);
  });

  it('re-sends a rate-limited POST without listing first', async () => {
    emulator.inject({ method: 'POST', fault: { kind: 'status', status: 429, retryAfter: '1' } });
    await client(policy().retry).create({ name: 'ns1' }, new Set());

    expect(methods()).toEqual(['POST', 'POST']);
    expect(emulator.peers()).toHaveLength(1);
  });

  it('looks once more after the last attempt, so a late commit is adopted, not orphaned', async () => {
    emulator.inject({ method: 'POST', fault: { kind: 'truncate' } });
    const { retry } = policy({ maxAttempts: 1 });

    const peer = await client(retry).create({ name: 'ns1' }, new Set());
    expect(emulator.peers()).toEqual([peer]);
    expect(methods()).toEqual(['POST', 'GET']);
  });

  it('stops and lists them when several peers with the name appeared after a lost answer', async () => {
    const parallel = emulator.seedPeer({ name: 'ns1' });
    emulator.inject({ method: 'POST', fault: { kind: 'reset-after' } });

    const creating = client(policy().retry).create({ name: 'ns1' }, new Set());
    await expect(creating).rejects.toThrow(/since then 2 peers named "ns1" appeared \(/);
    await expect(creating).rejects.toThrow(parallel.id);
    expect(methods()).toEqual(['POST', 'GET']);
  });

  it('says a peer may exist when the last check fails too', async () => {
    emulator.inject({ method: 'POST', fault: { kind: 'reset-after' } });
    emulator.inject({ method: 'GET', times: 9, fault: { kind: 'status', status: 503 } });
    const { retry } = policy({ maxAttempts: 1 });

    await expect(client(retry).create({ name: 'ns1' }, new Set())).rejects.toThrow(
      /That Create Peer may have gone through, and listing the peers to check failed too, so look for a peer named "ns1"/,
    );
  });

  it('fails with the cause and leaves nothing when every POST fails', async () => {
    emulator.inject({ method: 'POST', times: 10, fault: { kind: 'html', status: 502 } });
    const { retry } = policy({ maxAttempts: 3 });

    await expect(client(retry).create({ name: 'ns1' }, new Set())).rejects.toThrow(/HTML page/);
    expect(emulator.peers()).toEqual([]);
    expect(methods()).toEqual(['POST', 'GET', 'POST', 'GET', 'POST', 'GET']);
  });

  it('treats a retried DELETE that finds nothing as done', async () => {
    const peer = emulator.seedPeer({ name: 'ns1' });
    emulator.inject({ method: 'DELETE', fault: { kind: 'reset-after' } });

    expect(await client(policy().retry).delete(peer.id)).toBe('deleted');
    expect(emulator.peers()).toEqual([]);
    // The retry's 404 is confirmed by the List before it counts as done.
    expect(methods()).toEqual(['DELETE', 'DELETE', 'GET']);
  });
});

describe('network failures', () => {
  // A server that hangs up on every connection: over https, the client sees a reset in the TLS handshake.
  async function hangUpServer() {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    return { port: (server.address() as AddressInfo).port, close: () => server.close() };
  }

  it('retries a reset during the TLS handshake', async () => {
    const server = await hangUpServer();
    try {
      const send = createTransport({
        apiUrl: `https://127.0.0.1:${server.port}/client/v4`,
        credentials: { scheme: 'token', token: 't' },
        userAgent: 'test',
        timeoutMs: 2_000,
      });
      const { retry, log } = policy({ maxAttempts: 2 });
      await expect(new PeerApi({ send, retry, accountId: emulator.accountId }).list()).rejects.toMatchObject({
        kind: 'network',
      });
      expect(log).toHaveLength(1);
      expect(log[0]).toMatch(/a connection error \(ECONNRESET/);
    } finally {
      server.close();
    }
  });

  it('does not retry a refused certificate', async () => {
    const cert = makeSelfSignedCert(['localhost']);
    const tls = await startEmulator({ tls: cert });
    try {
      const send = createTransport({
        apiUrl: tls.url,
        credentials: { scheme: 'token', token: tls.token },
        userAgent: 'test',
        timeoutMs: 2_000,
      });
      const { retry, log } = policy();
      await expect(new PeerApi({ send, retry, accountId: tls.accountId }).list()).rejects.toMatchObject({
        kind: 'network',
        permanent: true,
      });
      expect(log).toEqual([]);
    } finally {
      await tls.close();
    }
  });
});
