// verify_peer end to end through dist/ against BIND (named on a loopback port, its key made by tsig-keygen):
// the right key proves the zone and the transfer reaches BIND's serial; a wrong secret is BADSIG, a wrong
// name BADKEY and a runner's clock an hour off BADTIME, all before any write; a key linked by tsig_id is read
// from Cloudflare and proves the zone too; a serial bumped on BIND and a forced transfer end in sync. Runs in
// CI (.ci/run installs bind9); skips only where named is missing outside CI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bind, bindProgram, startBind } from './dns/bind.ts';
import { clockSkew, everythingShown, maskedFirst, runStep, tokenInputs, visibleLog, zonesOutput } from './harness.ts';
import { useEmulator, writes } from './use-emulator.ts';

const ZONE = 'example.com';
const installed = bindProgram('named') !== undefined;
const emulator = useEmulator();

describe.runIf(installed || process.env.CI)('verify_peer against BIND', () => {
  let bind: Bind;
  beforeAll(async () => {
    if (!installed) throw new Error('named is not installed: CI must install bind9 (see .ci/run)');
    bind = await startBind({ zones: [{ name: ZONE, serial: 2026120701 }] });
  }, 30_000);
  afterAll(() => bind?.close());

  // BIND's key as a user would copy it from tsig-keygen's output into the inputs.
  const step = (inputs: Record<string, string> = {}, env: Record<string, string> = {}) =>
    runStep({
      env,
      inputs: {
        ...tokenInputs(emulator, 'bind-ns1'),
        ip: bind.ip,
        port: String(bind.port),
        tsig_name: bind.key.name,
        tsig_secret: bind.key.secret,
        tsig_algo: bind.key.algo,
        zones: ZONE,
        zone_role: 'secondary',
        ...inputs,
      },
    });

  it("the right key proves the zone, and the transfer reaches BIND's serial", async () => {
    emulator.seedZone({ name: ZONE, type: 'secondary' });
    const serial = bind.serial(ZONE);
    const run = await step({ transfer: 'force', wait_for_transfer: '15' });
    expect(run.code, visibleLog(run)).toBe(0);
    expect(zonesOutput(run)).toMatchObject([
      { name: ZONE, soa_serial: serial, peer_serial: serial, in_sync: true, transferred: true },
    ]);
  });

  it('a key on Cloudflare linked by tsig_id is read back and proves the zone against BIND', async () => {
    emulator.seedZone({ name: ZONE, type: 'secondary' });
    // As Cloudflare keeps it: the name and algorithm with a trailing dot.
    const key = emulator.seedTsig({ name: `${bind.key.name}.`, algo: `${bind.key.algo}.`, secret: bind.key.secret });
    const run = await step({
      tsig_name: '',
      tsig_secret: '',
      tsig_algo: '',
      tsig_id: key.id,
      transfer: 'force',
      wait_for_transfer: '15',
    });
    expect(run.code, visibleLog(run)).toBe(0);
    expect(zonesOutput(run)).toMatchObject([{ name: ZONE, peer_serial: bind.serial(ZONE), in_sync: true }]);
    // Read from Cloudflare with its secret, which is masked before anything is printed and shown nowhere.
    expect(maskedFirst(run)).toContain(bind.key.secret);
    expect(everythingShown(run)).not.toContain(bind.key.secret);
  });

  it('a wrong secret fails with BADSIG before any write', async () => {
    emulator.seedZone({ name: ZONE, type: 'secondary' });
    const run = await step({ tsig_secret: 'd3Jvbmctc2VjcmV0LWZvci1iaW5k' });
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain(`the nameserver at 127.0.0.1:${bind.port} answered BADSIG`);
    expect(writes(emulator)).toEqual([]);
  });

  it('a wrong key name fails with BADKEY before any write', async () => {
    emulator.seedZone({ name: ZONE, type: 'secondary' });
    const run = await step({ tsig_name: 'other.example.' });
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain('answered BADKEY to a query signed with TSIG key other.example.');
    expect(writes(emulator)).toEqual([]);
  });

  it('a runner whose clock is an hour off: BIND answers BADTIME, and the run stops before any write', async () => {
    emulator.seedZone({ name: ZONE, type: 'secondary' });
    const run = await step({}, clockSkew(3600));
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain(`the nameserver at 127.0.0.1:${bind.port} answered BADTIME`);
    expect(visibleLog(run)).toContain("its clock and the runner's differ by more than 5 minutes");
    expect(writes(emulator)).toEqual([]);
  });

  it('a serial bumped on BIND and a forced transfer end in sync', { timeout: 60_000 }, async () => {
    emulator.seedZone({ name: ZONE, type: 'secondary' });
    const first = await step({ transfer: 'force', wait_for_transfer: '15' });
    expect(first.code, visibleLog(first)).toBe(0);
    const bumped = await bind.bump(ZONE, 7);
    const again = await step({ transfer: 'force', wait_for_transfer: '15' });
    expect(again.code, visibleLog(again)).toBe(0);
    expect(zonesOutput(again)).toMatchObject([
      { operation: 'unchanged', soa_serial: bumped, peer_serial: bumped, in_sync: true, transferred: true },
    ]);
  });

  it('a zone BIND does not serve: REFUSED, a warning with auto and a failure with true', async () => {
    emulator.seedZone({ name: 'other.example', type: 'secondary' });
    const auto = await step({ zones: 'other.example' });
    expect(auto.code, visibleLog(auto)).toBe(0);
    const warnings = auto.stdout.split('\n').filter((line) => line.startsWith('::warning::'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`zone other.example: the nameserver at 127.0.0.1:${bind.port} answered REFUSED`);
    emulator.reset();
    emulator.seedZone({ name: 'other.example', type: 'secondary' });
    const strict = await step({ zones: 'other.example', verify_peer: 'true' });
    expect(strict.code).toBe(1);
    expect(visibleLog(strict)).toContain('answered REFUSED');
    expect(writes(emulator)).toEqual([]);
  });

  it('zone_role primary: a wrong secret is a warning, and a dry run reports the check', async () => {
    emulator.seedZone({ name: ZONE });
    const primary = await step({ zone_role: 'primary', tsig_secret: 'd3Jvbmctc2VjcmV0LWZvci1iaW5k', dry_run: 'true' });
    expect(primary.code, visibleLog(primary)).toBe(0);
    expect(primary.stdout).toMatch(/::warning::.*answered BADSIG.*Cloudflare is primary for it/);
    expect(primary.summary).toContain('TSIG error BADSIG (warning)');
    expect(writes(emulator)).toEqual([]);
  });
});
