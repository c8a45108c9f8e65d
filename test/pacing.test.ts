// Pacing before Cloudflare's rate limit, with an injected clock and sleep: no test waits.
import { describe, expect, it } from 'vitest';
import { Pacer, parseParams } from '../src/cloudflare/pacing.ts';

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
    expect(waits).toEqual([300_000]);
  });
});
