// The fault matrix: each fault on each call the action makes, through the bundled dist/ as a child
// process. Every run must end with exactly one peer as asked, or fail naming the cause with nothing
// of its own left behind, and no credential anywhere.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectContract } from './contract/exchanges.ts';
import { type Emulator, type Fault, startEmulator } from './emulator/index.ts';
import { everythingShown, ROOT, runStep, type StepRun, tokenInputs } from './harness.ts';

type Call = 'list' | 'create' | 'configure' | 'delete';

/** How each call is provoked, and which requests it is. */
const CALLS: Record<Call, { method: string; path: RegExp; inputs: Record<string, string>; seed?: boolean }> = {
  list: { method: 'GET', path: /\/peers$/, inputs: {} },
  create: { method: 'POST', path: /\/peers$/, inputs: {} },
  configure: { method: 'PUT', path: /\/peers\/\w+$/, inputs: { ip: '192.0.2.53', port: '53' } },
  delete: { method: 'DELETE', path: /\/peers\/\w+$/, inputs: { state: 'absent' }, seed: true },
};

const TRANSIENT: Record<string, Fault> = {
  '429 + Retry-After': { kind: 'status', status: 429, retryAfter: '0' },
  '500 JSON': { kind: 'status', status: 500 },
  '502 HTML': { kind: 'html', status: 502 },
  'reset before': { kind: 'reset-before' },
  'reset after commit': { kind: 'reset-after' },
  'delay > timeout': { kind: 'delay', ms: 1_500, commit: true },
  'truncated body': { kind: 'truncate' },
  'wrong-shape result': { kind: 'wrong-shape' },
};

interface Expectation {
  code: 0 | 1;
  peers: number;
  /** Text the failure message must contain: the cause. */
  cause?: RegExp;
}

const done = (call: Call): Expectation => ({ code: 0, peers: call === 'delete' ? 0 : 1 });

interface Case {
  call: Call;
  fault: string;
  rule: Fault;
  times: number;
  expect: Expectation;
}

const cases: Case[] = [
  ...Object.keys(CALLS).flatMap((call) =>
    Object.entries(TRANSIENT).map(([fault, rule]) => ({
      call: call as Call,
      fault: `${fault} once`,
      rule,
      times: 1,
      expect: done(call as Call),
    })),
  ),
  // Cloudflare says no in a 200: a verdict, not retried. The pre-existing peer of `delete` stays; nothing of ours does.
  ...(Object.keys(CALLS) as Call[]).map((call) => ({
    call,
    fault: '200 success:false',
    rule: { kind: 'success-false' } as Fault,
    times: 1,
    expect: { code: 1 as const, peers: call === 'delete' ? 1 : 0, cause: /code 1000: Internal error/ },
  })),
  // The fault never stops: out of attempts, fail with the cause and leave nothing of ours behind.
  ...(Object.keys(CALLS) as Call[]).map((call) => ({
    call,
    fault: '502 HTML always',
    rule: { kind: 'html', status: 502 } as Fault,
    times: 99,
    expect: {
      code: 1 as const,
      peers: call === 'delete' ? 1 : 0,
      cause: /HTTP 502, cf-ray [0-9a-f]{16}-EMU\): Cloudflare answered with an HTML page/,
    },
  })),
  {
    call: 'configure',
    fault: '400 rejected value',
    rule: { kind: 'status', status: 400, code: 1001, message: 'Invalid request: ip' },
    times: 1,
    expect: {
      code: 1,
      peers: 0,
      cause: /so it was undone \(nothing is left behind\)[\s\S]*code 1001: Invalid request: ip/,
    },
  },
  {
    call: 'create',
    fault: 'lost answer every time',
    rule: { kind: 'reset-after' },
    times: 99,
    expect: { code: 0, peers: 1 },
  },
];

const table: string[] = [];
afterAll(() => {
  // A readable copy of the matrix for people (gitignored).
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  writeFileSync(
    join(ROOT, '.tmp/fault-matrix.md'),
    ['| call | fault | outcome |', '|---|---|---|', ...table.sort()].join('\n'),
  );
});

async function provoke(emulator: Emulator, c: Case): Promise<StepRun> {
  const call = CALLS[c.call];
  if (call.seed) emulator.seedPeer({ name: 'primary-ns1', ip: '', port: 0, ixfr_enable: false });
  emulator.inject({ method: call.method, path: call.path, times: c.times, fault: c.rule });
  return runStep({
    inputs: { ...tokenInputs(emulator), ...call.inputs, request_timeout: '1', max_attempts: '3' },
  });
}

describe.concurrent('fault matrix', () => {
  it.each(cases)('$call × $fault', async (c) => {
    const emulator = await startEmulator();
    try {
      const run = await provoke(emulator, c);
      const shown = everythingShown(run);
      const peers = emulator.peers();

      expect(run.code, shown).toBe(c.expect.code);
      expect(peers, 'peers left on the account').toHaveLength(c.expect.peers);
      expect(shown).not.toContain(emulator.token);
      if (c.expect.code === 0) {
        const operation = c.call === 'delete' ? 'deleted' : 'created';
        expect(run.outputs.operation).toBe(operation);
        expect(run.outputs.peer_id).toMatch(/^[0-9a-f]{32}$/);
        if (c.call !== 'delete') expect(peers[0]?.id).toBe(run.outputs.peer_id);
        if (c.call === 'configure') expect(peers[0]).toMatchObject({ ip: '192.0.2.53', port: 53 });
      } else {
        expect(run.stdout).toMatch(/^::error::/m);
        expect(run.stdout.replaceAll('%0A', '\n')).toMatch(c.expect.cause as RegExp);
        expect(run.outputs).toEqual({});
        expect(run.summary).toContain('**operation failed**');
        expect(shown).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
      }
      expectContract(emulator); // retried requests are as valid as first ones, faults aside
      const posts = emulator.requests.filter((r) => r.method === 'POST').length;
      const outcome = c.expect.code === 0 ? `ok, ${run.outputs.operation}` : 'fails with cause';
      table.push(`| ${c.call} | ${c.fault} | ${outcome}; ${peers.length} peer(s) left; ${posts} POST |`);
    } finally {
      await emulator.close();
    }
  });
});
