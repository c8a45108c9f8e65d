// The action against the emulator's scripted rate-limit budget and its cf-ray ids, end to end through
// dist/: the headers the emulator sends are the ones the action reads.
import { expect, it } from 'vitest';
import { runStep, tokenInputs, visibleLog } from './harness.ts';
import { useEmulator } from './use-emulator.ts';

const emulator = useEmulator();

const step = (inputs: Record<string, string> = {}) => runStep({ inputs: { ...tokenInputs(emulator), ...inputs } });

it('paces its requests when the Ratelimit header says the budget is nearly spent', async () => {
  emulator.rateLimit({ remaining: 4, resetSeconds: 1, quota: 100, windowSeconds: 60 });
  const run = await step();

  expect(run.code, visibleLog(run)).toBe(0);
  expect(visibleLog(run)).toContain('Cloudflare rate limit nearly reached: 3 of 100 requests left');
  expect(emulator.requests.every((r) => r.answer?.status === 200)).toBe(true);
});

it('waits out a spent budget (429 with Retry-After) and carries on when the window resets', async () => {
  emulator.rateLimit({ remaining: 0, resetSeconds: 1 });
  const run = await step();

  expect(run.code, visibleLog(run)).toBe(0);
  const [throttled, ...after] = emulator.requests.map((r) => r.answer?.status);
  expect([throttled, new Set(after)]).toEqual([429, new Set([200])]);
  expect(emulator.requests[0]?.answer?.headers['retry-after']).toBe('1');
  expect(emulator.peers()).toHaveLength(1);
});

it('shows the cf-ray of the answer that failed the run', async () => {
  const run = await step({ api_token: 'cfut_wrong_token_abcdefghijklmnopqrstuv' });

  expect(run.code).toBe(1);
  const [refused] = emulator.requests;
  expect(refused?.ray).toMatch(/^[0-9a-f]{16}-EMU$/);
  expect(visibleLog(run)).toContain(`cf-ray ${refused?.ray}`);
});
