// Waiting for zone transfers and running zones side by side, on a fake clock: no test waits.
import { describe, expect, it } from 'vitest';
import type { TransferConfig } from '../src/cloudflare/zone.ts';
import { settleAll } from '../src/concurrency.ts';
import { pollInterval, transferredSince, waitForTransfers } from '../src/steps/zone-wait.ts';

const NEVER = '0001-01-01T00:00:00Z';
const fresh: TransferConfig = { peers: ['p'], soa_serial: 0, checked_time: NEVER };

function clock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe('transferredSince', () => {
  it('sees a moved serial, check time or transfer time, and nothing else', () => {
    expect(transferredSince(fresh, { ...fresh })).toBe(false);
    expect(transferredSince(fresh, { ...fresh, peers: ['p', 'q'] })).toBe(false);
    expect(transferredSince({ peers: [] }, { ...fresh, last_transferred_time: NEVER })).toBe(false);
    expect(transferredSince(fresh, { ...fresh, soa_serial: 2026113001 })).toBe(true);
    expect(transferredSince(fresh, { ...fresh, checked_time: '2026-11-30T18:00:00Z' })).toBe(true);
    expect(transferredSince({ peers: [] }, { peers: [], last_transferred_time: '2026-11-30T18:00:00Z' })).toBe(true);
  });

  it('polls every tenth of the wait, between 1 and 10 seconds', () => {
    expect([2_000, 30_000, 600_000].map(pollInterval)).toEqual([1_000, 3_000, 10_000]);
  });
});

describe('waitForTransfers', () => {
  it('polls until every zone transferred, logging progress', async () => {
    const c = clock();
    const log: string[] = [];
    const serials = { 'a.example': [0, 0, 7], 'b.example': [5] };
    const zone = (name: keyof typeof serials) => ({
      name,
      baseline: fresh,
      read: async () => ({ ...fresh, soa_serial: serials[name].shift() ?? 7 }),
    });
    const results = await waitForTransfers([zone('a.example'), zone('b.example')], {
      ...c,
      timeoutMs: 30_000,
      log: (line) => log.push(line),
    });

    expect(results.map((result) => [result.name, result.transferred, result.last.soa_serial])).toEqual([
      ['a.example', true, 7],
      ['b.example', true, 5],
    ]);
    expect(c.sleeps).toEqual([3_000, 3_000]);
    expect(log[0]).toBe(
      `Waiting for zone transfers: 1 of 2 done; still waiting for a.example (soa_serial 0, never checked); 30 s left`,
    );
  });

  it('stops at the deadline and reports what it saw last', async () => {
    const c = clock();
    const results = await waitForTransfers([{ name: 'stuck.example', baseline: fresh, read: async () => fresh }], {
      ...c,
      timeoutMs: 2_500,
      log: () => {},
    });
    expect(results).toEqual([{ name: 'stuck.example', transferred: false, last: fresh }]);
    expect(c.sleeps).toEqual([1_000, 1_000, 500]);
  });
});

describe('settleAll', () => {
  it('keeps at most `limit` calls in flight, results in order, failures included', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await settleAll([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      if (n === 4) throw new Error('four');
      return n * 10;
    });
    expect(most).toBe(3);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      10,
      20,
      30,
      'four',
      50,
      60,
      70,
    ]);
  });
});

describe('waitForTransfers with the peer serial (verify_peer)', () => {
  const options = (c: ReturnType<typeof clock>) => ({ timeoutMs: 5_000, sleep: c.sleep, now: c.now, log: () => {} });

  it('a secondary zone counts only once soa_serial has reached the peer serial, not at the first check', async () => {
    const c = clock();
    const answers: TransferConfig[] = [
      { ...fresh, soa_serial: 0, checked_time: '2026-12-07T10:00:00Z' },
      { ...fresh, soa_serial: 2026120700, checked_time: '2026-12-07T10:00:01Z' },
      { ...fresh, soa_serial: 2026120702, checked_time: '2026-12-07T10:00:02Z' },
    ];
    const read = async () => answers.shift() ?? { ...fresh, soa_serial: 2026120702 };
    const [result] = await waitForTransfers(
      [{ name: 'a.example', baseline: fresh, read, peerSerial: 2026120701 }],
      options(c),
    );
    expect(result).toMatchObject({ transferred: true, peer: 'serves serial 2026120701' });
    expect(c.sleeps).toHaveLength(2);
  });

  it('a serial that wrapped past 2^32 has still reached the peer serial (RFC 1982)', async () => {
    const c = clock();
    const read = async () => ({ ...fresh, soa_serial: 5 });
    const [result] = await waitForTransfers(
      [{ name: 'a.example', baseline: fresh, read, peerSerial: 2 ** 32 - 10 }],
      options(c),
    );
    expect(result?.transferred).toBe(true);
  });

  it("a primary zone counts once the peer serves Cloudflare's serial, asked on each poll", async () => {
    const c = clock();
    const serials = [undefined, 2026120700, 2026120701];
    const asked: number[] = [];
    const askPeer = async () => {
      const serial = serials.shift();
      asked.push(c.now());
      return serial === undefined ? { words: 'REFUSED' } : { serial, words: `serves serial ${serial}` };
    };
    const config = { ...fresh, soa_serial: 2026120701, last_transferred_time: '2026-12-07T10:00:00Z' };
    const [result] = await waitForTransfers(
      [{ name: 'a.example', role: 'primary', baseline: fresh, read: async () => config, askPeer }],
      options(c),
    );
    expect(result).toMatchObject({ transferred: true, peer: 'serves serial 2026120701' });
    expect(asked).toHaveLength(3);
  });

  it('on timeout the result says what the last check of the peer found', async () => {
    const c = clock();
    const askPeer = async () => ({ serial: 7, words: 'serves serial 7' });
    const [result] = await waitForTransfers(
      [
        {
          name: 'a.example',
          role: 'primary',
          baseline: fresh,
          read: async () => ({ ...fresh, soa_serial: 9 }),
          askPeer,
        },
      ],
      options(c),
    );
    expect(result).toMatchObject({ transferred: false, peer: 'serves serial 7' });
  });
});
