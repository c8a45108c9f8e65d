// The peer and its TSIG key in one step, end to end through dist/: create both, re-run, rotate,
// reuse, fail, several keys with one name, a lost Create TSIG answer, rollback, cleanup, state
// absent, dry run — and, across all of these runs, no secret in anything a run shows or keeps.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Tsig } from './emulator/index.ts';
import { everythingShown, POST, runStep, type StepRun, tokenInputs, visibleLog } from './harness.ts';
import { useEmulator } from './use-emulator.ts';

const emulator = useEmulator({ reset: false });

const NAME = 'xfr.example.';
const SECRET = 'c2VjcmV0LW9uZS1mb3ItdGVzdHM=';
/** Another key of the account: every TSIG List carries its secret too. */
const OTHER = { name: 'other.example.', algo: 'hmac-sha512.', secret: 'b3RoZXIta2V5LXNlY3JldC10aHJlZQ==' };
/** Every secret any run of this file could have seen; none may show anywhere. */
const SECRETS = new Set([SECRET, SECRET.replace(/=+$/, ''), OTHER.secret]);
const runs: StepRun[] = [];

beforeEach(() => {
  emulator.reset();
  emulator.seedTsig(OTHER);
});

const step = async (inputs: Record<string, string> = {}) => {
  const run = await runStep({ inputs: { ...tokenInputs(emulator), tsig_name: NAME, tsig_secret: SECRET, ...inputs } });
  runs.push(run);
  return run;
};
const post = async (main: StepRun, inputs: Record<string, string> = {}) => {
  const run = await runStep({
    entry: POST,
    inputs: { ...tokenInputs(emulator), tsig_name: NAME, tsig_secret: SECRET, ...inputs },
    state: main.state,
  });
  runs.push(run);
  return run;
};
const seedKey = (fields: Partial<Omit<Tsig, 'id'>> = {}) => {
  const key = emulator.seedTsig({
    name: NAME,
    algo: 'hmac-sha256.',
    secret: 'b2xkLXNlY3JldC1mb3VyLWZpdmU=',
    ...fields,
  });
  SECRETS.add(key.secret);
  return key;
};
const seedPeer = (name: string, tsigId?: string) =>
  emulator.seedPeer({ name, ip: '', port: 0, ixfr_enable: false, ...(tsigId ? { tsig_id: tsigId } : {}) });
/** "GET tsigs", "POST peers", … in the order sent. */
const calls = () => emulator.requests.map((r) => `${r.method} ${/\/tsigs(\/|$)/.test(r.path) ? 'tsigs' : 'peers'}`);
const ourKeys = () => emulator.tsigs().filter((key) => key.name !== OTHER.name);
const failure = (run: StepRun) => run.stdout.replaceAll('%0A', '\n');

describe('present', () => {
  it('creates the key and the peer linked to it: List TSIGs, List peers, Create TSIG, Create Peer, one Update', async () => {
    const run = await step({ ip: '192.0.2.53' });

    expect(run.code, run.stdout).toBe(0);
    const [key] = ourKeys();
    expect(key).toMatchObject({ name: NAME, algo: 'hmac-sha256.', secret: SECRET });
    expect(emulator.peers()).toEqual([expect.objectContaining({ name: 'primary-ns1', tsig_id: key?.id })]);
    expect(calls()).toEqual(['GET tsigs', 'GET peers', 'POST tsigs', 'POST peers', 'PUT peers']);
    expect(run.outputs).toMatchObject({
      operation: 'created',
      tsig_id: key?.id,
      tsig_name: NAME,
      tsig_operation: 'created',
    });
    expect(visibleLog(run)).toContain(`Cloudflare Secondary DNS TSIG key ${NAME} (${key?.id}): created`);
    expect(run.summary).toContain(
      `#### TSIG key\n\n**operation: created**\n\n| field | value |\n|---|---|\n| name | <code>${NAME}</code> |\n` +
        `| algo | <code>hmac-sha256.</code> |\n| id | <code>${key?.id}</code> |`,
    );
    expect(JSON.parse(run.state.created ?? '')).toEqual([
      { kind: 'tsig', id: key?.id, name: NAME },
      { kind: 'peer', id: run.outputs.peer_id, name: 'primary-ns1' },
    ]);
    // The secrets of every key the List returned were masked before anything else was printed.
    expect(run.stdout).toContain(`::add-mask::${OTHER.secret}\n`);
  });

  it('re-run: the two Lists only, both unchanged, whatever the spelling of name, secret and algorithm', async () => {
    const first = await step();
    emulator.requests.length = 0;
    const second = await step({
      tsig_name: 'XFR.Example',
      tsig_secret: SECRET.replace(/=+$/, ''),
      tsig_algo: 'HMAC-SHA256',
    });

    expect(second.code, second.stdout).toBe(0);
    expect(calls()).toEqual(['GET tsigs', 'GET peers']);
    expect(second.outputs).toMatchObject({
      operation: 'unchanged',
      peer_id: first.outputs.peer_id,
      tsig_id: first.outputs.tsig_id,
      tsig_name: NAME,
      tsig_operation: 'unchanged',
    });
    expect(second.state).toEqual({});
    expect(ourKeys()).toHaveLength(1);
  });

  it('rotates the secret with one Update of the key; the summary says secret: changed', async () => {
    const key = seedKey();
    seedPeer('primary-ns1', key.id);
    const run = await step();

    expect(run.code, run.stdout).toBe(0);
    expect(calls()).toEqual(['GET tsigs', 'GET peers', 'PUT tsigs']);
    expect(ourKeys()).toEqual([{ ...key, secret: SECRET }]);
    expect(run.outputs).toMatchObject({ operation: 'unchanged', tsig_id: key.id, tsig_operation: 'updated' });
    expect(visibleLog(run)).toContain(`TSIG key ${NAME} (${key.id}): updated (secret: changed)`);
    expect(run.summary).toContain('| secret | changed |');
  });

  it('converges the algorithm and shows before → after', async () => {
    const key = seedKey({ secret: SECRET, algo: 'hmac-sha1.' });
    const run = await step({ tsig_algo: 'hmac-sha512' });

    expect(ourKeys()).toEqual([{ ...key, algo: 'hmac-sha512.' }]);
    expect(run.outputs.tsig_operation).toBe('updated');
    expect(run.summary).toContain('| algo | <code>hmac-sha1.</code> → <code>hmac-sha512.</code> |');
    expect(run.summary).not.toContain('| secret |');
  });

  it('reuse adopts the key as it is and links it', async () => {
    const key = seedKey();
    const run = await step({ if_exists: 'reuse' });

    expect(run.code, run.stdout).toBe(0);
    expect(calls()).toEqual(['GET tsigs', 'GET peers', 'POST peers', 'PUT peers']);
    expect(ourKeys()).toEqual([key]);
    expect(run.outputs).toMatchObject({ operation: 'created', tsig_id: key.id, tsig_operation: 'unchanged' });
  });

  it('fail stops before any write and names the key', async () => {
    const key = seedKey();
    const run = await step({ if_exists: 'fail' });

    expect(run.code).toBe(1);
    expect(failure(run)).toContain(`A TSIG key named "${NAME}" already exists (id ${key.id}) and if_exists is fail`);
    expect(calls()).toEqual(['GET tsigs', 'GET peers']);
    expect(emulator.peers()).toEqual([]);
  });

  it('several keys with the name (in any spelling) fail, listing their ids, for present and absent', async () => {
    const a = seedKey();
    const b = seedKey({ name: 'XFR.example' });
    for (const state of ['present', 'absent']) {
      const run = await step({ state });
      expect(run.code).toBe(1);
      expect(failure(run)).toContain(`2 TSIG keys are named "${NAME}" (${a.id}, ${b.id})`);
    }
    expect(new Set(calls())).toEqual(new Set(['GET tsigs', 'GET peers']));
    expect(ourKeys()).toHaveLength(2);
  });

  it('adopts the key when the Create TSIG answer was lost, without a duplicate', async () => {
    emulator.inject({ method: 'POST', path: /\/tsigs$/, fault: { kind: 'reset-after' } });
    const run = await step();

    expect(run.code, run.stdout).toBe(0);
    const [key] = ourKeys();
    expect(ourKeys()).toHaveLength(1);
    expect(calls()).toEqual(['GET tsigs', 'GET peers', 'POST tsigs', 'GET tsigs', 'POST peers', 'PUT peers']);
    expect(visibleLog(run)).toContain(`The earlier Create TSIG went through after all: adopting TSIG key ${key?.id}`);
    expect(run.outputs.tsig_id).toBe(key?.id);
  });
});

describe('nothing left behind', () => {
  it('deletes the new peer, then the new key, when configuring the peer fails', async () => {
    emulator.inject({
      method: 'PUT',
      fault: { kind: 'status', status: 400, code: 1001, message: 'Invalid request: ip' },
    });
    const run = await step({ ip: '192.0.2.53' });

    expect(run.code).toBe(1);
    const keyId = emulator.requests
      .find((r) => r.method === 'DELETE' && r.path.includes('/tsigs/'))
      ?.path.split('/')
      .at(-1);
    const peerId = emulator.requests
      .find((r) => r.method === 'PUT')
      ?.path.split('/')
      .at(-1);
    expect(failure(run)).toContain(
      `The run failed after it made TSIG key ${NAME} (${keyId}) and peer primary-ns1 (${peerId}), ` +
        'so they were undone (nothing is left behind).',
    );
    expect(failure(run)).toContain('code 1001: Invalid request: ip');
    expect(calls().slice(-2)).toEqual(['DELETE peers', 'DELETE tsigs']);
    expect(emulator.peers()).toEqual([]);
    expect(ourKeys()).toEqual([]);
    expect(run.outputs).toEqual({});
    expect(run.state).toEqual({ created: '' });
  });

  it('deletes the new key when Create Peer is refused', async () => {
    emulator.inject({ method: 'POST', path: /\/peers$/, fault: { kind: 'status', status: 400, code: 1001 } });
    const run = await step();

    expect(run.code).toBe(1);
    expect(failure(run)).toMatch(/The run failed after it made TSIG key xfr\.example\. \(\w{32}\), so it was undone/);
    expect(ourKeys()).toEqual([]);
  });

  it('names the key to remove by hand when deleting it again fails too, and keeps it for the post step', async () => {
    emulator.inject({ method: 'PUT', fault: { kind: 'status', status: 400, code: 1001 } });
    emulator.inject({ method: 'DELETE', path: /\/tsigs\//, times: 99, fault: { kind: 'status', status: 500 } });
    const run = await step({ ip: '192.0.2.53', max_attempts: '1' });

    const [key] = ourKeys();
    expect(run.code).toBe(1);
    expect(failure(run)).toContain(
      `undoing TSIG key ${NAME} (${key?.id}) failed too, so it is left on the account. ` +
        `By hand: delete TSIG key ${key?.id} ("${NAME}").`,
    );
    expect(emulator.peers()).toEqual([]);
    expect(JSON.parse(run.state.created ?? '')).toEqual([{ kind: 'tsig', id: key?.id, name: NAME }]);
  });
});

describe('cleanup (the post step)', () => {
  it('deletes the peer, then the key, both created by this run', async () => {
    const main = await step({ cleanup: 'true' });
    emulator.requests.length = 0;
    const cleanup = await post(main, { cleanup: 'true' });

    expect(cleanup.code).toBe(0);
    expect(calls()).toEqual(['GET peers', 'DELETE peers', 'DELETE tsigs']);
    expect(visibleLog(cleanup)).toContain(
      `Cleanup: deleted peer primary-ns1 (${main.outputs.peer_id}), which this run`,
    );
    expect(visibleLog(cleanup)).toContain(
      `Cleanup: deleted TSIG key ${NAME} (${main.outputs.tsig_id}), which this run`,
    );
    expect(emulator.peers()).toEqual([]);
    expect(emulator.tsigs()).toEqual([expect.objectContaining(OTHER)]);
  });

  it('keeps a new key that a peer this run did not create now uses, and says so', async () => {
    const peer = seedPeer('primary-ns1');
    const main = await step({ cleanup: 'true' });
    const cleanup = await post(main, { cleanup: 'true' });

    expect(main.outputs).toMatchObject({ operation: 'updated', tsig_operation: 'created' });
    expect(cleanup.stdout).toContain(
      `::warning::Cleanup: kept TSIG key ${NAME} (${main.outputs.tsig_id}), which this run created: ` +
        `peer primary-ns1 (${peer.id}) uses it.`,
    );
    expect(ourKeys()).toHaveLength(1);
  });

  it('leaves a key that existed before the run', async () => {
    seedKey({ secret: SECRET });
    const main = await step({ cleanup: 'true' });
    await post(main, { cleanup: 'true' });

    expect(JSON.parse(main.state.created ?? '').map((entry: { kind: string }) => entry.kind)).toEqual(['peer']);
    expect(emulator.peers()).toEqual([]);
    expect(ourKeys()).toHaveLength(1);
  });
});

describe('state: absent', () => {
  it('keeps a key another peer still uses, naming it; deletes it with the last peer; then not_found', async () => {
    const key = seedKey();
    seedPeer('primary-ns1', key.id);
    const other = seedPeer('primary-ns2', key.id);

    const preview = await step({ state: 'absent', dry_run: 'true' });
    expect(visibleLog(preview)).toContain(
      `Dry run: TSIG key ${NAME} (${key.id}) would be kept: peer primary-ns2 (${other.id}) still uses it (nothing was written)`,
    );
    const first = await step({ state: 'absent' });
    expect(first.outputs).toMatchObject({ operation: 'deleted', tsig_name: NAME, tsig_operation: 'kept' });
    expect(visibleLog(first)).toContain(
      `TSIG key ${NAME} (${key.id}): kept: peer primary-ns2 (${other.id}) still uses it`,
    );
    expect(first.summary).toContain(`| used by | <code>primary-ns2</code> (<code>${other.id}</code>) |`);
    expect(ourKeys()).toEqual([key]);

    emulator.requests.length = 0;
    const second = await step({ state: 'absent', name: 'primary-ns2', tsig_secret: '' });
    expect(second.outputs).toMatchObject({ operation: 'deleted', tsig_operation: 'deleted' });
    expect(calls()).toEqual(['GET tsigs', 'GET peers', 'DELETE peers', 'DELETE tsigs']);
    expect(ourKeys()).toEqual([]);

    const third = await step({ state: 'absent' });
    expect(third.code, third.stdout).toBe(0);
    expect(third.outputs).toMatchObject({ operation: 'not_found', tsig_name: NAME, tsig_operation: 'not_found' });
  });

  it('finds the peer by peer_id in the one List of peers it needs anyway', async () => {
    const key = seedKey();
    const peer = seedPeer('primary-ns1', key.id);
    const run = await step({ state: 'absent', peer_id: peer.id, name: '' });

    expect(run.outputs).toMatchObject({ operation: 'deleted', tsig_operation: 'deleted' });
    expect(calls()).toEqual(['GET tsigs', 'GET peers', 'DELETE peers', 'DELETE tsigs']);
  });
});

describe('dry_run', () => {
  it('says what would happen to both, in the same words, and only reads', async () => {
    const run = await step({ dry_run: 'true' });

    expect(run.code, run.stdout).toBe(0);
    expect(calls()).toEqual(['GET tsigs', 'GET peers']);
    expect(run.outputs).toMatchObject({
      operation: 'created',
      tsig_id: '',
      tsig_name: NAME,
      tsig_operation: 'created',
    });
    expect(visibleLog(run)).toContain(`Dry run: TSIG key ${NAME} would be created (nothing was written)`);
    expect(run.summary).toContain('| tsig_id | _the new key_ |');
    expect(run.state).toEqual({});
  });

  it('a peer without a key would be updated to link the new one, as the real run then does', async () => {
    const peer = seedPeer('primary-ns1');
    const dry = await step({ dry_run: 'true', peer_id: peer.id, name: '' });

    expect(dry.code, dry.stdout).toBe(0);
    expect(calls()).toEqual(['GET tsigs', 'GET peers']);
    expect(dry.outputs).toMatchObject({ operation: 'updated', tsig_operation: 'created' });
    expect(visibleLog(dry)).toContain(`Dry run: peer primary-ns1 (${peer.id}) would be updated (nothing was written)`);
    expect(dry.summary).toContain('| tsig_id | _unset_ → _the new key_ |');

    const real = await step({ peer_id: peer.id, name: '' });
    expect(real.outputs).toMatchObject({ operation: 'updated', tsig_operation: 'created' });
    expect(real.outputs.tsig_id).toBe(ourKeys()[0]?.id);
  });

  it('previews a rotation', async () => {
    const key = seedKey();
    const run = await step({ dry_run: 'true' });

    expect(run.outputs).toMatchObject({ tsig_id: key.id, tsig_operation: 'updated' });
    expect(visibleLog(run)).toContain(`Dry run: TSIG key ${NAME} (${key.id}) would be updated (secret: changed)`);
    expect(ourKeys()).toEqual([key]);
  });
});

describe('secrets', () => {
  it('fails on an unreadable TSIG answer without showing any of it', async () => {
    emulator.seedTsig({ name: 'broken.', algo: 7 as unknown as string, secret: 'YnJva2VuLWtleS1zZWNyZXQ=' });
    SECRETS.add('YnJva2VuLWtleS1zZWNyZXQ=');
    const run = await step({ max_attempts: '2' });

    expect(run.code).toBe(1);
    expect(failure(run)).toContain('the result has an unexpected shape at result.1.algo');
    // Those answers broke the contract on purpose (algo a number): nothing for the contract check.
    emulator.requests.length = 0;
  });

  it('retries a truncated TSIG List', async () => {
    emulator.inject({ method: 'GET', path: /\/tsigs$/, fault: { kind: 'truncate' } });
    const run = await step();
    expect(run.code, run.stdout).toBe(0);
    expect(visibleLog(run)).toContain('not valid JSON (truncated?)');
  });

  it('refuses a secret that is not base64 without showing it', async () => {
    SECRETS.add('not-base64-secret!');
    const run = await step({ tsig_secret: 'not-base64-secret!' });
    expect(run.code).toBe(1);
    expect(failure(run)).toContain('Input `tsig_secret` must be base64');
  });

  it('no run of this file showed a secret: log, errors, outputs, state or summary', () => {
    expect(runs.length, 'run the whole file').toBeGreaterThan(20);
    for (const run of runs) {
      const shown = everythingShown(run);
      for (const secret of SECRETS) expect(shown).not.toContain(secret);
    }
  });
});
