// Request starts are spaced to Cloudflare's 200 per second per IP, however fast answers come: on a fake
// clock, no test waits.
import { expect, it } from 'vitest';
import { MAX_PER_SECOND, StartSpacing } from '../src/cloudflare/spacing.ts';

it('lets no second hold more than 200 request starts, and makes no one wait when there is room', async () => {
  let now = 0;
  // 500 requests asked for at once, as 10 workers with instant answers would: each start is the next slot
  // (the first goes at once, the others sleep until theirs).
  const slots: number[] = [];
  const probe = new StartSpacing({
    sleep: async (ms) => {
      slots.push(now + ms);
    },
    now: () => now,
  });
  for (let i = 0; i < 500; i++) await probe.take();
  expect(slots).toHaveLength(499);
  const starts = [0, ...slots];
  for (const start of starts) {
    const inWindow = starts.filter((other) => other >= start && other < start + 1000).length;
    expect(inWindow).toBeLessThanOrEqual(MAX_PER_SECOND);
  }
  // A request long after the last one starts at once.
  now = 10_000;
  let slept = false;
  const idle = new StartSpacing({
    sleep: async () => {
      slept = true;
    },
    now: () => now,
  });
  await idle.take();
  expect(slept).toBe(false);
});
