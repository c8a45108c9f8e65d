// Request starts are held to Cloudflare's 200 per second per IP, however fast answers come: on a fake
// clock, no test waits.
import { expect, it } from 'vitest';
import { MAX_PER_SECOND, StartSpacing } from '../src/cloudflare/spacing.ts';

it('lets no second hold more than 200 request starts, and makes no one wait while there is room', async () => {
  let now = 0;
  let slept = 0;
  const spacing = new StartSpacing({
    sleep: async (ms) => {
      slept = ms;
    },
    now: () => now,
  });
  // 500 requests asked for at once, as many workers with instant answers would.
  const starts: number[] = [];
  for (let i = 0; i < 500; i++) {
    slept = 0;
    await spacing.take();
    starts.push(now + slept);
  }
  // The first 200 go at once; every later one waits until a start leaves the last second.
  expect(starts.filter((start) => start === 0)).toHaveLength(MAX_PER_SECOND);
  for (const start of starts) {
    const inWindow = starts.filter((other) => other >= start && other < start + 1000).length;
    expect(inWindow).toBeLessThanOrEqual(MAX_PER_SECOND);
  }
  expect(Math.max(...starts)).toBe(2000);

  // Long after, a request starts at once.
  now = 10_000;
  slept = 0;
  await spacing.take();
  expect(slept).toBe(0);
});
