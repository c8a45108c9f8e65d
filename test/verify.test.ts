// verify_peer end to end through dist/, against the small primary on a loopback port: before any write the
// action asks the peer's nameserver for each zone's SOA, signed with the peer's key, and stops on what proves
// the transfer cannot work; after a transfer it waits until the serials agree, and reports both.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TsigKey } from '../src/dns/tsig.ts';
import { closedPort, type Primary, startPrimary } from './dns/primary.ts';
import { clockSkew, runStep, type StepRun, tokenInputs, visibleLog, zonesOutput } from './harness.ts';
import { useEmulator, writes } from './use-emulator.ts';

const emulator = useEmulator();
const KEY: TsigKey = { name: 'xfr.example.', algo: 'hmac-sha256.', secret: 'c2VjcmV0LW9uZS1mb3ItdGVzdHM=' };
const SERIAL = 2026120701;

let primary: Primary;
beforeAll(async () => {
  primary = await startPrimary({ zones: [{ name: 'example.com', serial: SERIAL }, 'example.net'], keys: [KEY] });
});
afterAll(() => primary.close());
beforeEach(() => {
  primary.received.length = 0;
  primary.setMode('example.com', 'serve');
});

/** A run against the small primary, signed with KEY unless the inputs say otherwise. */
const step = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runStep({
    env,
    inputs: {
      ...tokenInputs(emulator, 'primary-ns1'),
      ip: primary.ip,
      port: String(primary.port),
      tsig_name: KEY.name,
      tsig_secret: KEY.secret,
      zones: 'example.com',
      zone_role: 'secondary',
      ...inputs,
    },
  });

const warnings = (run: StepRun) => run.stdout.split('\n').filter((line) => line.startsWith('::warning::'));

describe('the right key', () => {
  it('proves the zone before any write, and after a forced transfer Cloudflare holds the peer serial', async () => {
    emulator.seedZone({ name: 'example.com', type: 'secondary' });
    const run = await step({ transfer: 'force', wait_for_transfer: '10' });

    expect(run.code, visibleLog(run)).toBe(0);
    expect(primary.received[0]).toEqual({ zone: 'example.com', type: 'SOA', key: 'xfr.example.', outcome: 'NOERROR' });
    expect(zonesOutput(run)).toMatchObject([
      { name: 'example.com', soa_serial: SERIAL, peer_serial: SERIAL, in_sync: true, transferred: true },
    ]);
    expect(run.summary).toContain('| peer_serial | in_sync |');
    expect(run.summary).toContain(`| ${SERIAL} | ${SERIAL} | yes |`);
    expect(run.summary).toContain(`peer's nameserver: serves serial ${SERIAL}, key xfr.example. accepted`);
    expect(warnings(run)).toEqual([]);
  });

  it('without a transfer or a wait, reports that Cloudflare holds an older serial than the peer: not in sync', async () => {
    const other = emulator.seedPeer({ name: 'other-ns', ip: '198.51.100.7', port: 53 });
    const zone = emulator.seedZone({
      name: 'example.com',
      type: 'secondary',
      soaSerial: SERIAL - 5,
      incoming: { peers: [other.id] },
    });
    emulator.transfers({ never: true });
    const run = await step({ tsig_name: '', tsig_secret: '' });
    expect(run.code, visibleLog(run)).toBe(0);
    expect(zonesOutput(run)).toMatchObject([
      { id: zone.id, soa_serial: SERIAL - 5, peer_serial: SERIAL, in_sync: false },
    ]);
    expect(run.summary).toContain(`| ${SERIAL - 5} | ${SERIAL} | **no** |`);
  });

  it('a zone that transfers no new serial is not counted as transferred: the wait ends on the serials', async () => {
    // Unsigned: the primary answers the SOA query but refuses an unsigned AXFR, so Cloudflare's transfer fails
    // and only its check time moves (which the rule without a peer serial would count).
    emulator.seedZone({ name: 'example.com', type: 'secondary' });
    const run = await step({ tsig_name: '', tsig_secret: '', transfer: 'force', wait_for_transfer: '2' });

    expect(run.code).toBe(1);
    const log = visibleLog(run);
    expect(log).toContain('Waited 2 s, but not every zone reported a transfer');
    expect(log).toMatch(
      new RegExp(`- zone example\\.com: soa_serial 0, checked [^;]+; the peer's nameserver serves serial ${SERIAL}`),
    );
    // Cloudflare holds no serial yet (0): in_sync is known only when both serials are.
    expect(zonesOutput(run)).toMatchObject([{ peer_serial: SERIAL, transferred: false }]);
    expect(zonesOutput(run)[0]).not.toHaveProperty('in_sync');
  });
});

describe('refused before any write', () => {
  it('a wrong secret: BADSIG, naming the zone, the address, the key and what to compare', async () => {
    emulator.seedZone({ name: 'example.com', type: 'secondary' });
    const run = await step({ tsig_secret: 'd3Jvbmctc2VjcmV0LWZvci10ZXN0cw==' });

    expect(run.code).toBe(1);
    const log = visibleLog(run);
    expect(log).toContain(
      `Zone example.com: the nameserver at 127.0.0.1:${primary.port} answered BADSIG to a query signed with TSIG key ` +
        'xfr.example. (hmac-sha256.): it knows the key, but its secret differs. Compare the secret of key "xfr.example." ' +
        '(hmac-sha256.) there with tsig_secret',
    );
    expect(log).toContain('Nothing was written');
    expect(writes(emulator)).toEqual([]);
    expect(emulator.peers()).toEqual([]);
    expect(emulator.tsigs()).toEqual([]);
  });

  it('a wrong key name: BADKEY', async () => {
    emulator.seedZone({ name: 'example.com', type: 'secondary' });
    const run = await step({ tsig_name: 'other.example.' });
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain('answered BADKEY to a query signed with TSIG key other.example. (hmac-sha256.)');
    expect(writes(emulator)).toEqual([]);
  });

  it('a runner whose clock is an hour off: BADTIME, before any write', async () => {
    emulator.seedZone({ name: 'example.com', type: 'secondary' });
    const run = await step({}, clockSkew(3600));
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain(`the nameserver at 127.0.0.1:${primary.port} answered BADTIME`);
    expect(primary.received.map((query) => query.outcome)).toEqual(['BADTIME']);
    expect(writes(emulator)).toEqual([]);
  });

  it.each([
    ['unsigned', 'without signing its answer: it does not use the key for this zone'],
    ['forged', 'but the signature does not verify'],
  ] as const)('an answer %s is not trusted: the run stops before any write', async (signing, words) => {
    emulator.seedZone({ name: 'example.com', type: 'secondary' });
    primary.signAnswers(signing);
    try {
      const run = await step({});
      expect(run.code).toBe(1);
      expect(visibleLog(run)).toContain(words);
      expect(writes(emulator)).toEqual([]);
    } finally {
      primary.signAnswers('signed');
    }
  });

  it('the key tsig_id names is read from Cloudflare (its secret masked) and checked', async () => {
    emulator.seedZone({ name: 'example.com', type: 'secondary' });
    const tsig = emulator.seedTsig({ ...KEY, secret: 'd3Jvbmctc2VjcmV0LWZvci10ZXN0cw==' });
    const run = await step({ tsig_name: '', tsig_secret: '', tsig_id: tsig.id });
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain('answered BADSIG');
    expect(visibleLog(run)).not.toContain('d3Jvbmctc2VjcmV0LWZvci10ZXN0cw');
    expect(writes(emulator)).toEqual([]);
  });

  it.each([
    ['NXDOMAIN', 'NXDOMAIN'],
    ['NOTAUTH', 'NOTAUTH'],
    ['not_authoritative', 'an answer that is not authoritative'],
  ] as const)('a zone the nameserver does not serve (%s)', async (mode, words) => {
    emulator.seedZone({ name: 'example.com', type: 'secondary' });
    primary.setMode('example.com', mode);
    const run = await step({});
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain(
      `Zone example.com: the nameserver at 127.0.0.1:${primary.port} does not serve the zone (it answered ${words})`,
    );
    expect(writes(emulator)).toEqual([]);
  });
});

describe('REFUSED and no answer', () => {
  it('REFUSED with auto: a warning with both readings, and the run goes on', async () => {
    emulator.seedZone({ name: 'other.example', type: 'secondary' });
    const run = await step({ zones: 'other.example' });
    expect(run.code, visibleLog(run)).toBe(0);
    expect(primary.received).toEqual([{ zone: 'other.example', type: 'SOA', key: 'xfr.example.', outcome: 'REFUSED' }]);
    const [warning, ...more] = warnings(run);
    expect(more).toEqual([]);
    expect(warning).toContain('zone other.example: the nameserver at 127.0.0.1');
    expect(warning).toContain('Either it does not serve the zone, or it does not answer queries from the runner');
    expect(zonesOutput(run)).toMatchObject([{ operation: 'linked' }]);
    expect(zonesOutput(run)[0]).not.toHaveProperty('peer_serial');
  });

  it('REFUSED with true: fails before any write', async () => {
    emulator.seedZone({ name: 'other.example', type: 'secondary' });
    const run = await step({ zones: 'other.example', verify_peer: 'true' });
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain('answered REFUSED');
    expect(visibleLog(run)).toContain('or set verify_peer: auto to only warn');
    expect(writes(emulator)).toEqual([]);
  });

  it("no answer with auto: one warning for the run, listing Cloudflare's addresses; the run goes on", async () => {
    emulator.seedZone({ name: 'example.com', type: 'secondary' });
    emulator.seedZone({ name: 'example.net', type: 'secondary' });
    const port = await closedPort();
    const run = await step({ port: String(port), zones: 'example.com\nexample.net' });
    expect(run.code, visibleLog(run)).toBe(0);
    const all = warnings(run);
    expect(all).toHaveLength(1);
    expect(all[0]).toContain(`no answer from the nameserver at 127.0.0.1:${port}`);
    expect(all[0]).toContain('zones example.com, example.net');
    for (const address of ['104.30.167.163', '104.30.167.173', '2a09:bac0:1000:c47::/64']) {
      expect(all[0]).toContain(address);
    }
    expect(emulator.zones().every((zone) => zone.incoming !== undefined)).toBe(true);
  });

  it('a nameserver that takes the connection and never answers: a warning after request_timeout', async () => {
    emulator.seedZone({ name: 'example.com', type: 'secondary' });
    primary.silent(true);
    try {
      const started = Date.now();
      const run = await step({ request_timeout: '1' });
      expect(run.code, visibleLog(run)).toBe(0);
      expect(warnings(run)).toHaveLength(1);
      expect(warnings(run)[0]).toContain(
        `no answer from the nameserver at 127.0.0.1:${primary.port} (no answer from 127.0.0.1:${primary.port} within 1000 ms)`,
      );
      // One query's timeout (request_timeout, shorter than the 5 s default), not a hang.
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      primary.silent(false);
    }
  });

  it('asks at most eight queries at once, however many zones', async () => {
    const names = Array.from({ length: 20 }, (_, n) => `z${n}.example`);
    for (const name of names) emulator.seedZone({ name, type: 'secondary' });
    const many = await startPrimary({ zones: names, keys: [KEY] });
    // Answers wait until no query has come for 500 ms: every query the run has in flight is held at once.
    many.holdAnswers(500);
    try {
      const run = await step({ port: String(many.port), zones: names.join('\n') });
      expect(run.code, visibleLog(run)).toBe(0);
      const checks = many.received.filter((query) => query.type === 'SOA');
      expect(checks.map((query) => query.outcome)).toEqual(names.map(() => 'NOERROR'));
      expect(many.mostHeld).toBeGreaterThan(1);
      expect(many.mostHeld).toBeLessThanOrEqual(8);
    } finally {
      await many.close();
    }
  });

  it('no answer with true: fails before any write', async () => {
    emulator.seedZone({ name: 'example.com', type: 'secondary' });
    const run = await step({ port: String(await closedPort()), verify_peer: 'true' });
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain('no answer from 127.0.0.1:');
    expect(writes(emulator)).toEqual([]);
  });
});

describe('zone_role primary: the peer is a secondary', () => {
  it('any failed check is a warning, not a refusal', async () => {
    emulator.seedZone({ name: 'example.com' });
    const run = await step({
      zone_role: 'primary',
      tsig_secret: 'd3Jvbmctc2VjcmV0LWZvci10ZXN0cw==',
      verify_peer: 'true',
    });
    expect(run.code, visibleLog(run)).toBe(0);
    const [warning] = warnings(run);
    expect(warning).toContain('answered BADSIG');
    expect(warning).toContain('Cloudflare is primary for it');
    expect(zonesOutput(run)).toMatchObject([{ operation: 'linked', role: 'primary' }]);
  });

  it("the wait ends when the peer serves Cloudflare's serial, asking it on each poll", async () => {
    // The emulator's outgoing transfers (on enabling, on force_notify) move Cloudflare's serial one up each:
    // the peer serves where they end.
    emulator.seedZone({ name: 'example.com', soaSerial: SERIAL - 2 });
    const run = await step({ zone_role: 'primary', transfer: 'force', wait_for_transfer: '10' });
    expect(run.code, visibleLog(run)).toBe(0);
    expect(zonesOutput(run)).toMatchObject([{ soa_serial: SERIAL, peer_serial: SERIAL, in_sync: true }]);
  });

  it('times out while the peer serves another serial, and says which', async () => {
    emulator.seedZone({ name: 'example.com', soaSerial: SERIAL + 10 });
    const run = await step({ zone_role: 'primary', transfer: 'force', wait_for_transfer: '2' });
    expect(run.code).toBe(1);
    const log = visibleLog(run);
    expect(log).toMatch(
      new RegExp(
        `- zone example\\.com: soa_serial 20261207\\d\\d, checked [^;]+; the peer's nameserver serves serial ${SERIAL}`,
      ),
    );
    // The check before the writes, then at least one poll.
    expect(primary.received.filter((query) => query.type === 'SOA').length).toBeGreaterThan(1);
    expect(zonesOutput(run)).toMatchObject([{ peer_serial: SERIAL, in_sync: false }]);
  });
});

describe('dry run and verify_peer: false', () => {
  it('a dry run makes the checks and reports them, writing nothing', async () => {
    emulator.seedZone({ name: 'example.com', type: 'secondary' });
    const run = await step({ dry_run: 'true' });
    expect(run.code, visibleLog(run)).toBe(0);
    expect(primary.received).toHaveLength(1);
    expect(zonesOutput(run)).toMatchObject([{ operation: 'linked', peer_serial: SERIAL }]);
    expect(run.summary).toContain(`serves serial ${SERIAL}`);
    expect(writes(emulator)).toEqual([]);
  });

  it('a dry run with a wrong secret fails as the real run would', async () => {
    emulator.seedZone({ name: 'example.com', type: 'secondary' });
    const run = await step({ dry_run: 'true', tsig_secret: 'd3Jvbmctc2VjcmV0LWZvci10ZXN0cw==' });
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain('answered BADSIG');
  });

  it('verify_peer: false sends no DNS query, and reports no peer serial', async () => {
    emulator.seedZone({ name: 'example.com', type: 'secondary' });
    emulator.transfers({ never: true });
    const run = await step({ verify_peer: 'false', tsig_secret: 'd3Jvbmctc2VjcmV0LWZvci10ZXN0cw==' });
    expect(run.code, visibleLog(run)).toBe(0);
    expect(primary.received).toEqual([]);
    expect(zonesOutput(run)[0]).not.toHaveProperty('peer_serial');
  });

  it('a peer without an ip is not checked', async () => {
    emulator.seedZone({ name: 'example.com', type: 'secondary' });
    const run = await step({ ip: '', port: '' });
    expect(run.code, visibleLog(run)).toBe(0);
    expect(primary.received).toEqual([]);
  });
});

describe('onboarding a new zone (create_zones) with the check', () => {
  it('proves the peer serves the zone, creates it, and says it is ready to delegate once the serials agree', async () => {
    const run = await step({ create_zones: 'true', transfer: 'force', wait_for_transfer: '10' });

    expect(run.code, visibleLog(run)).toBe(0);
    // The SOA question came before the zone was created.
    expect(primary.received[0]).toMatchObject({ zone: 'example.com', type: 'SOA', outcome: 'NOERROR' });
    const [zone] = zonesOutput(run);
    expect(zone).toMatchObject({ name: 'example.com', zone_created: true, peer_serial: SERIAL, in_sync: true });
    expect(zone?.soa_serial).toBe(SERIAL);
    expect(run.summary).toContain('**ready to delegate**');
    expect(warnings(run)).toEqual([]);
  });

  it('a wrong secret stops the onboarding before the zone is created', async () => {
    const run = await step({ create_zones: 'true', tsig_secret: 'd3Jvbmctc2VjcmV0LWZvci10ZXN0cw==' });

    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain('BADSIG');
    expect(writes(emulator)).toEqual([]);
    expect(emulator.zones()).toEqual([]);
  });
});
