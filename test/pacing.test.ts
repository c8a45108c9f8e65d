// Pacing before Cloudflare's rate limit, with an injected clock and sleep: no test waits.
import { describe, expect, it } from 'vitest';
import { CloudflareError } from '../src/cloudflare/errors.ts';
import { Pacer, parseParams } from '../src/cloudflare/pacing.ts';
import { type RetryPolicy, withRetries } from '../src/cloudflare/retry.ts';

/** A pacer on a fake clock; its sleep moves the clock unless the sleeps are meant to overlap. */
function pacer(overlappingSleeps = false) {
  let now = 1_000_000;
  const waits: number[] = [];
  const log: string[] = [];
  const p = new Pacer({
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      if (!overlappingSleeps) now += ms;
    },
    log: (line) => log.push(line),
  });
  return { p, waits, log, advance: (ms: number) => (now += ms) };
}

describe('Ratelimit headers', () => {
  it('reads the parameters of the first item', () => {
    expect(parseParams('"default";r=50;t=30')).toEqual({ r: 50, t: 30 });
    expect(parseParams('"burst";q=100;w=60, "daily";q=1000;w=86400')).toEqual({ q: 100, w: 60 });
    expect(parseParams(undefined)).toEqual({});
    expect(parseParams('garbage')).toEqual({});
  });
});

describe('Pacer', () => {
  it('does not wait while plenty of the quota is left, or when no header came', async () => {
    const { p, waits } = pacer();
    await p.beforeRequest();
    p.observe('"default";r=1100;t=200', '"default";q=1200;w=300');
    await p.beforeRequest();
    p.observe(undefined, undefined);
    await p.beforeRequest();
    expect(waits).toEqual([]);
  });

  it('spreads the last requests over what is left of the window, and says so', async () => {
    const { p, waits, log } = pacer();
    p.observe('"default";r=3;t=40', '"default";q=1200;w=300');
    await p.beforeRequest();
    expect(waits).toEqual([10_000]);
    expect(log).toEqual([
      'Cloudflare rate limit nearly reached: 3 of 1200 requests left for this credential, the window resets in 40 s ' +
        '(every job using this credential shares them); waiting 10.0 s',
    ]);
  });

  it('does not hold a request past its deadline: it fails at once and takes no slot', async () => {
    const { p, waits } = pacer();
    p.observe('"default";r=3;t=40', '"default";q=1200;w=300');
    const deadline = { at: 1_000_000 + 5_000, what: 'the end of the test' };
    await expect(p.beforeRequest(deadline)).rejects.toThrow(
      'Cloudflare rate limit nearly reached: 3 of 1200 requests left for this credential, the window resets in ' +
        '40 s (every job using this credential shares them); the request would wait 10.0 s, past the end of the ' +
        'test, so it was not sent',
    );
    expect(waits).toEqual([]);
    // The slot it did not take is the next request's.
    await p.beforeRequest();
    expect(waits).toEqual([10_000]);
  });

  it('waits for the reset when nothing is left', async () => {
    const { p, waits } = pacer();
    p.observe('"default";r=0;t=7', '"default";q=1200;w=300');
    await p.beforeRequest();
    expect(waits).toEqual([7_000]);
  });

  it('counts time already spent since the answer', async () => {
    const { p, waits, advance } = pacer();
    p.observe('"default";r=1;t=10', undefined);
    advance(4_000);
    await p.beforeRequest();
    expect(waits).toEqual([1_000]);
  });

  it('gives requests sent at once a slot each', async () => {
    const { p, waits } = pacer(true);
    p.observe('"default";r=4;t=50', '"default";q=100;w=60');
    await Promise.all([p.beforeRequest(), p.beforeRequest(), p.beforeRequest()]);
    expect(waits).toEqual([10_000, 20_000, 30_000]);
  });

  it('stops pacing once an answer shows the window was reset', async () => {
    const { p, waits } = pacer();
    p.observe('"default";r=0;t=5', undefined);
    p.observe('"default";r=1200;t=300', undefined);
    await p.beforeRequest();
    expect(waits).toEqual([]);
  });

  it('never waits longer than the policy window', async () => {
    const { p, waits } = pacer();
    p.observe('"default";r=0;t=9999', '"default";q=1200;w=300');
    await p.beforeRequest();
    expect(waits.reduce((sum, ms) => sum + ms, 0)).toBe(300_000);
  });

  it('keeps its schedule when answers come in: requests sent at once never share a slot', async () => {
    const { p, waits } = pacer(true);
    const earlier = await p.beforeRequest();
    p.observe('"default";r=9;t=50', '"default";q=100;w=60');
    const first = [p.beforeRequest(), p.beforeRequest(), p.beforeRequest()];
    // An answer for a request sent before them: the 3 slots given stay taken, the next one comes after
    // them, and what is left is still spread evenly.
    p.observe('"default";r=8;t=50', '"default";q=100;w=60', earlier);
    await Promise.all([...first, p.beforeRequest()]);
    expect(waits).toEqual([5_000, 10_000, 15_000, 20_834]);
  });

  it('plans for its share of what is left when other jobs spend the same quota', async () => {
    const { p, waits } = pacer(true);
    const tickets = [];
    for (let i = 0; i < 10; i++) tickets.push(await p.beforeRequest());
    // While this run sent 8 requests, 24 were counted: two other jobs are as busy as this one.
    p.observe('"default";r=60;t=30', '"default";q=400;w=60', tickets[0]);
    p.observe('"default";r=36;t=30', '"default";q=400;w=60', tickets[8]);
    p.observe('"default";r=33;t=30', '"default";q=400;w=60', tickets[9]);
    await Promise.all([p.beforeRequest(), p.beforeRequest(), p.beforeRequest()]);
    // A third of the 33 left is this run's: 11 spread to the reset (alone, it would plan for all 33).
    expect(waits).toEqual([2_500, 5_000, 7_500]);
  });

  it('requests refused for their deadline do not count as sent: the share and the schedule stay', async () => {
    const scenario = async (refusals: number) => {
      const { p, waits } = pacer(true);
      const first = await p.beforeRequest();
      p.observe('"default";r=30;t=30', '"default";q=400;w=60', first);
      for (let i = 0; i < refusals; i++) {
        await expect(p.beforeRequest({ at: 1_000_000 + 1, what: 'now' })).rejects.toThrow(/so it was not sent$/);
      }
      const sent = [];
      for (let i = 0; i < 8; i++) sent.push(await p.beforeRequest());
      // 24 counted while this run sent 8: other jobs spend two thirds of what is left.
      p.observe('"default";r=6;t=30', '"default";q=400;w=60', sent[7]);
      await p.beforeRequest();
      return waits.at(-1);
    };
    expect(await scenario(50)).toBe(await scenario(0));
  });

  it('sends everything queued at once when the window resets', async () => {
    const { p, waits, advance } = pacer(true);
    p.observe('"default";r=0;t=30', '"default";q=120;w=30');
    await Promise.all([p.beforeRequest(), p.beforeRequest(), p.beforeRequest()]);
    expect(waits).toEqual([30_000, 30_000, 30_000]);
    advance(30_000);
    await Promise.all([p.beforeRequest(), p.beforeRequest()]);
    expect(waits).toHaveLength(3);
  });
});

/** A fake clock for overlapping sleeps: the earliest sleeper wakes first and moves the clock. */
function scheduler() {
  let now = 0;
  const timers: { at: number; wake: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((wake) => timers.push({ at: now + ms, wake })),
    /** Runs until everything settled, then gives the clock. */
    async run(work: Promise<unknown>): Promise<number> {
      let done = false;
      work.finally(() => {
        done = true;
      });
      for (;;) {
        // Let every promise that can move on do so before the clock moves.
        for (let i = 0; i < 20; i++) await new Promise((settled) => setImmediate(settled));
        if (done) return now;
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift();
        if (!next) throw new Error('stuck: nothing scheduled and the work is not done');
        now = Math.max(now, next.at);
        next.wake();
      }
    },
  };
}

/**
 * Cloudflare's quota as the emulator enforces it (N per W seconds, shared by everyone using the
 * credential), `requests` requests sent `concurrency` at a time with `latencyMs` each, paced by one
 * Pacer and retried by withRetries (429s waited out), on a fake clock.
 */
async function quotaRun(shape: {
  quota: number;
  windowSeconds: number;
  requests: number;
  concurrency: number;
  latencyMs: number;
  remaining?: number;
  resetSeconds?: number;
}) {
  const clock = scheduler();
  const log: string[] = [];
  const p = new Pacer({ now: clock.now, sleep: clock.sleep, log: (line) => log.push(line) });
  let remaining = shape.remaining ?? shape.quota;
  let resetAt = (shape.resetSeconds ?? shape.windowSeconds) * 1000;
  let throttled = 0;
  let sent = 0;
  const send = async () => {
    const ticket = await p.beforeRequest();
    const now = clock.now();
    if (now >= resetAt) {
      remaining = shape.quota;
      resetAt = now + shape.windowSeconds * 1000;
    }
    const t = Math.max(1, Math.ceil((resetAt - now) / 1000));
    const policy = `"default";q=${shape.quota};w=${shape.windowSeconds}`;
    const limited = remaining === 0;
    if (!limited) remaining--;
    const ratelimit = `"default";r=${remaining};t=${t}`;
    sent++;
    await clock.sleep(shape.latencyMs);
    p.observe(ratelimit, policy, ticket);
    if (limited) {
      throttled++;
      throw new CloudflareError('api', { method: 'GET', path: '/x' }, 'throttled', {
        status: 429,
        retryAfterMs: t * 1000,
        notProcessed: true,
      });
    }
  };
  const retry: RetryPolicy = {
    maxAttempts: 1,
    budgetMs: 120_000,
    baseDelayMs: 1_000,
    maxDelayMs: 20_000,
    random: () => 0.5,
    sleep: clock.sleep,
    log: (line) => log.push(line),
    quota: p.quota,
  };
  const queue = Array.from({ length: shape.requests }, (_, i) => i);
  const worker = async () => {
    while (queue.shift() !== undefined) await withRetries(retry, send);
  };
  const ms = await clock.run(Promise.all(Array.from({ length: shape.concurrency }, worker)));
  return { seconds: ms / 1000, throttled, sent, log };
}

describe('Pacer and retries on a shared quota', () => {
  it('sends no 429 when the requests fit in what is left, spreading them up to the reset', async () => {
    const run = await quotaRun({
      quota: 120,
      windowSeconds: 30,
      requests: 10,
      concurrency: 8,
      latencyMs: 50,
      remaining: 10,
      resetSeconds: 30,
    });
    expect(run.throttled).toBe(0);
    expect(run.seconds).toBeLessThan(30);
  });

  it('runs 40 requests on a spent quota in one window, not a window apart per request', async () => {
    // 10 left of 120 per 30 s: 10 in this window, the other 30 at once when it resets.
    const run = await quotaRun({
      quota: 120,
      windowSeconds: 30,
      requests: 40,
      concurrency: 8,
      latencyMs: 50,
      remaining: 10,
      resetSeconds: 30,
    });
    expect(run.throttled).toBe(0);
    expect(run.seconds).toBeGreaterThanOrEqual(30);
    expect(run.seconds).toBeLessThan(31);
  });

  it('after 429s with nothing left, the retries wait out the window once and finish right after it', async () => {
    // The first requests know nothing of the quota yet: each of the 8 sent at once gets a 429.
    const run = await quotaRun({
      quota: 120,
      windowSeconds: 30,
      requests: 40,
      concurrency: 8,
      latencyMs: 50,
      remaining: 0,
      resetSeconds: 30,
    });
    expect(run.throttled).toBe(8);
    expect(run.seconds).toBeLessThan(31);
  });

  it("runs 1500 requests at Cloudflare's 1200-per-300 s shape, 200 spent by another job, within 1.1x of what the quota allows", async () => {
    // 200 already spent by another job: 1000 now, the rest at the first reset.
    const run = await quotaRun({
      quota: 1200,
      windowSeconds: 300,
      requests: 1500,
      concurrency: 8,
      latencyMs: 50,
      remaining: 1000,
      resetSeconds: 300,
    });
    expect(run.throttled).toBe(0);
    expect(run.seconds).toBeLessThan(300 * 1.1);
  });
});
