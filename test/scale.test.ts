// Hundreds of zones (issue #17), end to end through dist/: the requests a run sends per zone, three runs
// sharing one credential's quota, short messages for many zones, and progress lines on long runs.
import { describe, expect, it } from 'vitest';
import { runStep, tokenInputs, visibleLog, zonesOutput } from './harness.ts';
import { useEmulator } from './use-emulator.ts';

const emulator = useEmulator();

const N = 100;
const names = (prefix: string, count = N) => Array.from({ length: count }, (_, n) => `z${n}.${prefix}.example`);
// The peer is at a documentation address: its nameserver is not asked (test/verify.test.ts does that).
const step = (peer: string, inputs: Record<string, string>) =>
  runStep({ inputs: { ...tokenInputs(emulator, peer), ip: '192.0.2.53', verify_peer: 'false', ...inputs } });

describe('requests per zone', () => {
  it(`linking ${N} new secondary zones with a forced transfer sends at most 3.2 N + 5 requests`, async () => {
    for (const name of names('new')) emulator.seedZone({ name, type: 'secondary' });
    const run = await step('ns1', { zones: names('new').join('\n'), zone_role: 'secondary', transfer: 'force' });

    expect(run.code, visibleLog(run)).toBe(0);
    expect(zonesOutput<{ operation: string }>(run).filter((zone) => zone.operation === 'linked')).toHaveLength(N);
    expect(emulator.requests.length).toBeLessThanOrEqual(3.2 * N + 5);
  });

  it(`linking ${N} zones that have configurations sends at most 4.2 N + 5 requests`, async () => {
    const other = emulator.seedPeer({ name: 'other', ip: '198.51.100.7', port: 53, ixfr_enable: false });
    for (const name of names('old')) emulator.seedZone({ name, type: 'secondary', incoming: { peers: [other.id] } });
    const run = await step('ns1', { zones: names('old').join('\n'), zone_role: 'secondary' });

    expect(run.code, visibleLog(run)).toBe(0);
    expect(zonesOutput<{ operation: string }>(run).filter((zone) => zone.operation === 'linked')).toHaveLength(N);
    // Per zone: its configuration, read again right before the write, the update, and the read-back.
    expect(emulator.requests.length).toBeLessThanOrEqual(4.2 * N + 5);
  });

  it(`a re-run with all ${N} zones linked sends at most 1.2 N + 2 requests`, async () => {
    const peer = emulator.seedPeer({ name: 'ns1', ip: '192.0.2.53', port: 0, ixfr_enable: false });
    for (const name of names('done')) emulator.seedZone({ name, type: 'secondary', incoming: { peers: [peer.id] } });
    const run = await step('ns1', { zones: names('done').join('\n'), zone_role: 'secondary' });

    expect(run.code, visibleLog(run)).toBe(0);
    expect(zonesOutput<{ operation: string }>(run).every((zone) => zone.operation === 'unchanged')).toBe(true);
    expect(emulator.requests.every((request) => request.method === 'GET')).toBe(true);
    expect(emulator.requests.length).toBeLessThanOrEqual(1.2 * N + 2);
  });
});

describe('one credential, three jobs', () => {
  it('three runs of 100 zones each on one shared quota all finish; none fails on a 429', {
    timeout: 120_000,
  }, async () => {
    // 300 requests per 30 s window (Cloudflare's clock), run ten times faster: the three runs need
    // about 900 requests, so they must share the quota over several windows.
    emulator.rateLimit({ quota: 300, windowSeconds: 30, timeScale: 10 });
    for (const job of ['a', 'b', 'c']) for (const name of names(job)) emulator.seedZone({ name, type: 'secondary' });
    const runs = await Promise.all(
      ['a', 'b', 'c'].map((job) =>
        step(`ns-${job}`, { zones: names(job).join('\n'), zone_role: 'secondary', transfer: 'force' }),
      ),
    );

    for (const run of runs) {
      expect(run.code, visibleLog(run).slice(-3000)).toBe(0);
      expect(zonesOutput<{ operation: string }>(run).filter((zone) => zone.operation === 'linked')).toHaveLength(N);
    }
    for (const job of ['a', 'b', 'c']) {
      const peer = emulator.peers().find((each) => each.name === `ns-${job}`);
      const linked = emulator.zones().filter((zone) => zone.incoming?.peers.includes(peer?.id ?? '-'));
      expect(linked).toHaveLength(N);
    }
  });
});

describe('many zones in messages and the log', () => {
  it('an error names at most 10 zones and says how many more; the summary lists them all', async () => {
    const unknown = names('missing', 30);
    const run = await step('ns1', { zones: unknown.join('\n'), zone_role: 'secondary' });

    expect(run.code).toBe(1);
    const log = visibleLog(run);
    expect(log).toContain('and 20 more (see the job summary)');
    expect(log).not.toContain('z10.missing.example');
    for (const line of log.split('\n')) expect(line.length).toBeLessThanOrEqual(4_100);
    for (const name of unknown) expect(run.summary).toContain(name);
  });

  it('a run of more than 20 zones says how far it is at least every 10 s', { timeout: 60_000 }, async () => {
    const zones = names('slow', 25);
    for (const name of zones) emulator.seedZone({ name, type: 'secondary' });
    emulator.transfers({ never: true });
    const run = await step('ns1', { zones: zones.join('\n'), zone_role: 'secondary', wait_for_transfer: '12' });

    expect(run.code).toBe(1);
    expect(visibleLog(run)).toMatch(/^Zones: 25 looked up, 25 linked, 0 forced, 0 transferred \(of 25\)$/m);
  });
});
