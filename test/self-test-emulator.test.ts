// The helper action behind .github/workflows/self-test.yml, run the way the runner runs it: its main step
// starts the emulator in the background and outlives itself; the action runs against it; its post step
// checks the peers left and stops the emulator.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPeersLeft, names } from '../scripts/self-test/peers-left.ts';
import { POST, ROOT, runStep, type StepRun, zonesOutput } from './harness.ts';

const MAIN_ENTRY = join(ROOT, 'scripts/self-test/emulator-main.ts');
const POST_ENTRY = join(ROOT, 'scripts/self-test/emulator-post.ts');
/** The self-test's key: the emulator's, not a real secret. */
const KEY = { tsig_name: 'self-test.transfer.example.', tsig_secret: 'c2VsZi10ZXN0LW9ubHktc2VjcmV0' };

const running: StepRun[] = [];
afterEach(async () => {
  for (const main of running.splice(0)) {
    stop(Number(main.state.pid));
    rmSync(dirname(main.state.log ?? ''), { recursive: true, force: true });
  }
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function stop(pid: number): void {
  if (alive(pid)) process.kill(pid);
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(20);
  return !alive(pid);
}

async function startEmulatorStep(): Promise<StepRun> {
  const main = await runStep({ entry: MAIN_ENTRY, inputs: { secondary_zones: 'self-test.example\n' } });
  running.push(main);
  expect(main.code, main.stdout + main.stderr).toBe(0);
  return main;
}

const checkStep = (main: StepRun, inputs: Record<string, string>) =>
  runStep({ entry: POST_ENTRY, inputs, state: main.state });

function peerInputs(main: StepRun, name: string): Record<string, string> {
  return {
    api_url: main.outputs.url ?? '',
    account_id: main.outputs.account_id ?? '',
    api_token: main.outputs.token ?? '',
    name,
  };
}

describe('self-test emulator helper', () => {
  // Six steps and a transfer waited for: room for a loaded CI machine.
  it('keeps the emulator running after its main step, for the action and the post steps', {
    timeout: 60_000,
  }, async () => {
    const main = await startEmulatorStep();
    expect(main.outputs.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
    expect(main.outputs.account_id).toMatch(/^[0-9a-f]{32}$/);
    expect(alive(Number(main.state.pid))).toBe(true);

    // The self-test's flow: a peer with its key, the same step again, a zone linked and transferred,
    // an ephemeral peer with cleanup.
    // An address, as in the workflow: the emulator transfers only from a peer that has one.
    const first = await runStep({ inputs: { ...peerInputs(main, 'self-test-ns1'), ip: '192.0.2.53', ...KEY } });
    expect(first.outputs.tsig_operation, first.stdout).toBe('created');
    expect(first.outputs.tsig_id).toMatch(/^[0-9a-f]{32}$/);
    const again = await runStep({ inputs: { ...peerInputs(main, 'self-test-ns1'), ip: '192.0.2.53', ...KEY } });
    expect(again.outputs.tsig_operation).toBe('unchanged');
    const zones = await runStep({
      inputs: {
        ...peerInputs(main, ''),
        peer_id: first.outputs.peer_id ?? '',
        zones: 'self-test.example',
        zone_role: 'secondary',
        transfer: 'force',
        wait_for_transfer: '20',
        // The peer is at a documentation address, which no test may contact.
        verify_peer: 'false',
      },
    });
    expect(zones.code, zones.stdout).toBe(0);
    expect(zonesOutput(zones)).toMatchObject([{ name: 'self-test.example', operation: 'linked', transferred: true }]);
    const ephemeralInputs = { ...peerInputs(main, 'self-test-ephemeral'), cleanup: 'true' };
    const ephemeral = await runStep({ inputs: ephemeralInputs });
    expect([first.outputs.operation, again.outputs.operation, ephemeral.outputs.operation]).toEqual([
      'created',
      'unchanged',
      'created',
    ]);
    // Post steps in reverse order: the action's cleanup, then the helper's check.
    const cleanup = await runStep({ entry: POST, inputs: ephemeralInputs, state: ephemeral.state });
    expect(cleanup.code).toBe(0);

    const check = await checkStep(main, {
      peers_after_job: 'self-test-ns1\n',
      no_peers_after_job: 'self-test-ephemeral',
    });
    expect(check.code, check.stdout).toBe(0);
    expect(check.stdout).toContain('Peers left on the emulator: self-test-ns1');
    expect(await gone(Number(main.state.pid))).toBe(true);
  });

  it('fails its post step when the peers left are not as expected, and still stops the emulator', async () => {
    const main = await startEmulatorStep();
    await runStep({ inputs: { ...peerInputs(main, 'kept-by-mistake'), cleanup: 'true' } });

    const check = await checkStep(main, { peers_after_job: 'self-test-ns1', no_peers_after_job: 'kept-by-mistake' });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('::error::peer "self-test-ns1": expected exactly one after the job, found 0');
    expect(check.stdout).toContain('::error::peer "kept-by-mistake": expected none after the job (cleanup), found 1');
    expect(await gone(Number(main.state.pid))).toBe(true);
  });
});

describe('checkPeersLeft', () => {
  it('wants every present name exactly once and every absent name not at all', () => {
    const expected = { present: ['ns1', 'ns2'], absent: ['tmp'] };
    expect(checkPeersLeft(['ns1', 'ns2'], expected)).toEqual([]);
    expect(checkPeersLeft(['ns1', 'ns1', 'tmp'], expected)).toEqual([
      'peer "ns1": expected exactly one after the job, found 2',
      'peer "ns2": expected exactly one after the job, found 0',
      'peer "tmp": expected none after the job (cleanup), found 1',
    ]);
  });

  it('reads one name per line, CRLF included, ignoring blank lines', () => {
    expect(names(' ns1\r\n\nns2 \n')).toEqual(['ns1', 'ns2']);
    expect(names(undefined)).toEqual([]);
  });
});
