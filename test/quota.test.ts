// Runs sharing Cloudflare's quota, through the real transport, pacer and retries against the emulator's
// quota, on a fake clock that both share: the clock moves only when every client is waiting, so no test
// waits on a real one, and HTTP answers arrive in no time on it.
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Pacer } from '../src/cloudflare/pacing.ts';
import { Quota } from '../src/cloudflare/quota.ts';
import { RETRY_DEFAULTS, type RetryPolicy, withRetries } from '../src/cloudflare/retry.ts';
import { createTransport } from '../src/cloudflare/transport.ts';
import { useEmulator } from './use-emulator.ts';

/**
 * A clock that moves to the earliest wake-up once every live worker sleeps, and wakes everyone due then
 * together, as a real clock would.
 */
function fakeTime() {
  let now = 0;
  let live = 0;
  const sleepers: { at: number; wake: () => void }[] = [];
  const step = () => {
    if (sleepers.length === 0 || sleepers.length < live) return;
    const at = Math.min(...sleepers.map((sleeper) => sleeper.at));
    now = Math.max(now, at);
    for (const due of sleepers.filter((sleeper) => sleeper.at === at)) {
      sleepers.splice(sleepers.indexOf(due), 1);
      due.wake();
    }
  };
  return {
    now: () => now,
    sleep: (ms: number) =>
      new Promise<void>((wake) => {
        sleepers.push({ at: now + ms, wake });
        step();
      }),
    /** Runs `count` workers at once: all count as live before the first one sleeps. */
    async workers(count: number, work: () => Promise<void>): Promise<void> {
      live += count;
      await Promise.all(
        Array.from({ length: count }, () =>
          work().finally(() => {
            live--;
            step();
          }),
        ),
      );
    },
  };
}

let clock = fakeTime();
// A fresh clock before the emulator's reset, so each test's windows start on it.
beforeEach(() => {
  clock = fakeTime();
});
const emulator = useEmulator({ now: () => clock.now() });

/** Each request takes this long on the fake clock, as on a real network. */
const LATENCY_MS = 50;

/** One run (a job): its own transport, pacer and retries, `requests` GETs sent 8 at a time. */
async function run(requests: number, log: string[] = []) {
  const quota = new Quota({ now: clock.now, sleep: clock.sleep, log: (line) => log.push(line) });
  const send = createTransport({
    apiUrl: emulator.url,
    credentials: { scheme: 'token', token: emulator.token },
    userAgent: 'test',
    timeoutMs: 5_000,
    pacer: new Pacer({ sleep: clock.sleep, log: () => {}, quota }),
  });
  const retry: RetryPolicy = { ...RETRY_DEFAULTS, maxAttempts: 2, sleep: clock.sleep, log: () => {}, quota };
  let done = 0;
  quota.progress(() => `${done} of ${requests} done`);
  const path = `/accounts/${emulator.accountId}/secondary_dns/peers`;
  let left = requests;
  const worker = async () => {
    while (left-- > 0) {
      await withRetries(retry, async () => {
        await clock.sleep(LATENCY_MS);
        return send({ method: 'GET', path }, z.array(z.unknown()));
      });
      done++;
    }
  };
  await clock.workers(8, worker);
  return { seconds: clock.now() / 1000, done };
}

const statuses = () => emulator.requests.map((request) => request.answer?.status);
const throttled = () => statuses().filter((status) => status === 429).length;

describe('40 requests at a 120-per-30 s quota', () => {
  it('with the window fresh: at once (5 rounds of 50 ms), no 429', async () => {
    emulator.rateLimit({ quota: 120, windowSeconds: 30 });
    expect(await run(40)).toEqual({ seconds: 0.25, done: 40 });
    expect(throttled()).toBe(0);
  });

  it('with 10 left: 10 spread to the reset, the other 30 at once after it, no 429', async () => {
    emulator.rateLimit({ quota: 120, windowSeconds: 30, remaining: 10 });
    const result = await run(40);
    expect(result.seconds).toBeGreaterThanOrEqual(30);
    expect(result.seconds).toBeLessThan(31);
    expect(throttled()).toBe(0);
  });

  it('with nothing left: one 429 per request sent blind, the window waited out once, all done right after', async () => {
    emulator.rateLimit({ quota: 120, windowSeconds: 30, remaining: 0 });
    const log: string[] = [];
    const result = await run(40, log);
    expect(result.seconds).toBeLessThan(31);
    expect(throttled()).toBe(8);
    expect(log[0]).toMatch(/429 \(code 971\); waiting 30 s for the rate-limit window to reset .*, 0 of 40 done$/);
    expect(log.slice(1)).toEqual([]);
  });
});

describe("one credential's quota shared by runs at once", () => {
  it('three runs of 100 requests at 120 per 30 s all finish, in the time the quota allows', async () => {
    emulator.rateLimit({ quota: 120, windowSeconds: 30 });
    const results = await Promise.all([run(100), run(100), run(100)]);
    expect(results.map((result) => result.done)).toEqual([100, 100, 100]);
    // 300 requests: 120 now, 120 after 30 s, 60 after 60 s.
    const seconds = Math.max(...results.map((result) => result.seconds));
    expect(seconds).toBeGreaterThanOrEqual(60);
    expect(seconds).toBeLessThan(66);
    expect(throttled()).toBeLessThanOrEqual(24);
  });

  it("three runs of 500 at Cloudflare's 1200 per 300 s: no 429, done right after the first reset", async () => {
    emulator.rateLimit({ quota: 1200, windowSeconds: 300 });
    const results = await Promise.all([run(500), run(500), run(500)]);
    expect(results.map((result) => result.done)).toEqual([500, 500, 500]);
    expect(throttled()).toBe(0);
    // 1500 requests: 1200 now, 300 after 300 s.
    expect(Math.max(...results.map((result) => result.seconds))).toBeLessThan(300 * 1.1);
  });

  it("1500 requests at Cloudflare's 1200 per 300 s, 200 already spent by another job: within 1.1x of the bound", async () => {
    emulator.rateLimit({ quota: 1200, windowSeconds: 300, remaining: 1000 });
    const result = await run(1500);
    expect(result.done).toBe(1500);
    expect(result.seconds).toBeLessThan(300 * 1.1);
    expect(throttled()).toBe(0);
  });
});
