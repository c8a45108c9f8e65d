// Re-runs and the whole lifecycle, end to end through dist/: if_exists, peer_id, state, cleanup
// (the post step), dry_run, and names that several peers share.
import { describe, expect, it } from 'vitest';
import { POST, runStep, type StepRun, tokenInputs, visibleLog } from './harness.ts';
import { useEmulator } from './use-emulator.ts';

// Every request the action sends and every answer it gets is what Cloudflare publishes (useEmulator checks).
const emulator = useEmulator();

const methods = () => emulator.requests.map((request) => request.method);
const seed = (fields: { name: string; ip?: string; port?: number }) =>
  emulator.seedPeer({ ip: '', port: 0, ixfr_enable: false, ...fields });
const step = (inputs: Record<string, string> = {}) => runStep({ inputs: { ...tokenInputs(emulator), ...inputs } });
/** The post step of the same job: same inputs, and the state the main step saved. */
const post = (main: StepRun, inputs: Record<string, string> = {}) =>
  runStep({ entry: POST, inputs: { ...tokenInputs(emulator), ...inputs }, state: main.state });

describe('re-runs', () => {
  it('the same step twice makes one peer; the second run writes nothing and reports unchanged', async () => {
    const inputs = { ip: '192.0.2.53', port: '53', ixfr_enable: 'true' };
    const first = await step(inputs);
    emulator.requests.length = 0;
    const second = await step(inputs);

    expect([first.outputs.operation, second.outputs.operation]).toEqual(['created', 'unchanged']);
    expect(second.outputs.peer_id).toBe(first.outputs.peer_id);
    expect(emulator.peers()).toHaveLength(1);
    expect(methods()).toEqual(['GET']);
    expect(second.state).toEqual({});
  });

  it('if_exists update converges the existing peer and shows before → after', async () => {
    const peer = seed({ name: 'primary-ns1', ip: '192.0.2.1', port: 53 });
    const run = await step({ ip: '192.0.2.2' });

    expect(run.outputs).toMatchObject({ operation: 'updated', peer_id: peer.id, ip: '192.0.2.2', port: '53' });
    expect(emulator.peers()).toEqual([{ ...peer, ip: '192.0.2.2' }]);
    expect(methods()).toEqual(['GET', 'PUT']);
    expect(run.summary).toContain('<code>192.0.2.1</code> → <code>192.0.2.2</code>');
    expect(run.summary).toContain('| port | <code>53</code> |');
  });

  it('if_exists reuse adopts the peer as it is', async () => {
    const peer = seed({ name: 'primary-ns1', ip: '192.0.2.1' });
    const run = await step({ ip: '192.0.2.2', if_exists: 'reuse' });

    expect(run.outputs).toMatchObject({ operation: 'unchanged', peer_id: peer.id, ip: '192.0.2.1' });
    expect(methods()).toEqual(['GET']);
  });

  it('if_exists fail stops and names the existing peer', async () => {
    const peer = seed({ name: 'primary-ns1' });
    const run = await step({ if_exists: 'fail' });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`A peer named "primary-ns1" already exists (id ${peer.id}) and if_exists is fail`);
    expect(methods()).toEqual(['GET']);
  });
});

describe('names several peers share', () => {
  it('fails and lists their ids, for present and for absent', async () => {
    const a = seed({ name: 'primary-ns1' });
    const b = seed({ name: 'primary-ns1' });
    for (const state of ['present', 'absent']) {
      const run = await step({ state });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`2 peers are named "primary-ns1" (${a.id}, ${b.id})`);
      expect(run.stdout).toContain('Set input `peer_id`');
    }
    expect(emulator.peers()).toHaveLength(2);
    expect(methods()).toEqual(['GET', 'GET']);
  });

  it('acts on the one given by peer_id', async () => {
    seed({ name: 'primary-ns1' });
    const b = seed({ name: 'primary-ns1' });
    const run = await step({ peer_id: b.id, port: '5353' });

    expect(run.outputs).toMatchObject({ operation: 'updated', peer_id: b.id, port: '5353' });
    expect(methods()).toEqual(['GET', 'PUT']);
    expect(emulator.requests[0]?.path).toMatch(new RegExp(`/peers/${b.id}$`));
  });
});

describe('peer_id', () => {
  it('fails when that peer does not exist', async () => {
    const run = await step({ peer_id: 'f'.repeat(32), name: '' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`no peer ${'f'.repeat(32)} exists on this account`);
    expect(emulator.peers()).toEqual([]);
  });

  it('converges that peer whatever if_exists says (it is about names)', async () => {
    const peer = seed({ name: 'primary-ns1', ip: '192.0.2.1' });
    for (const ifExists of ['reuse', 'fail']) {
      const run = await step({ peer_id: peer.id, if_exists: ifExists, ip: `192.0.2.${ifExists.length}` });
      expect(run.code, run.stdout).toBe(0);
      expect(run.outputs).toMatchObject({ operation: 'updated', ip: `192.0.2.${ifExists.length}` });
    }
  });

  it('fails, and does not report not_found, when the account id does not route', async () => {
    // A wrong account fails the Get and the List that would confirm the peer is gone.
    emulator.inject({
      method: 'GET',
      times: 2,
      fault: { kind: 'status', status: 404, code: 7003, message: 'Could not route' },
    });
    const run = await step({ state: 'absent', peer_id: 'f'.repeat(32), name: '' });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('code 7003: Could not route (no such route: check account_id');
    expect(run.outputs).toEqual({});
  });

  it('renames the peer when name differs', async () => {
    const peer = seed({ name: 'old-name' });
    const run = await step({ peer_id: peer.id, name: 'new-name' });
    expect(run.outputs).toMatchObject({ operation: 'updated', name: 'new-name' });
    expect(emulator.peers()[0]?.name).toBe('new-name');
  });
});

describe('state: absent', () => {
  it('deletes by name, and a second run reports not_found', async () => {
    const peer = seed({ name: 'primary-ns1', ip: '192.0.2.1' });
    const first = await step({ state: 'absent' });
    const second = await step({ state: 'absent' });

    expect(first.outputs).toMatchObject({ operation: 'deleted', peer_id: peer.id, ip: '192.0.2.1' });
    expect(second.code).toBe(0);
    expect(second.outputs).toMatchObject({ operation: 'not_found', peer_id: '', peer: '' });
    expect(methods()).toEqual(['GET', 'DELETE', 'GET']);
    expect(emulator.peers()).toEqual([]);
  });

  it('deletes by peer_id, and reports not_found for an id that is gone', async () => {
    const peer = seed({ name: 'primary-ns1' });
    const first = await step({ state: 'absent', peer_id: peer.id, name: '' });
    const second = await step({ state: 'absent', peer_id: peer.id, name: '' });

    expect([first.outputs.operation, second.outputs.operation]).toEqual(['deleted', 'not_found']);
    // The second run's Get answers 404, and the List confirms the peer is gone.
    expect(methods()).toEqual(['GET', 'DELETE', 'GET', 'GET']);
  });
});

describe('dry_run', () => {
  const onlyReads = () => expect(new Set(methods())).toEqual(new Set(['GET']));

  it('previews a create without writing', async () => {
    const run = await step({ dry_run: 'true', ip: '192.0.2.53', port: '53' });

    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({
      operation: 'created',
      peer_id: '',
      peer: '',
      name: 'primary-ns1',
      ip: '192.0.2.53',
      port: '53',
      ixfr_enable: 'false',
      tsig_id: '',
      tsig_name: '',
      tsig_operation: '',
      zones: '',
    });
    expect(visibleLog(run)).toContain('Dry run: peer primary-ns1 would be created (nothing was written)');
    expect(run.summary).toContain('dry run: nothing was written');
    expect(run.state).toEqual({});
    expect(emulator.peers()).toEqual([]);
    onlyReads();
  });

  it('previews an update with before → after', async () => {
    const peer = seed({ name: 'primary-ns1', ip: '192.0.2.1' });
    const run = await step({ dry_run: 'true', ip: '192.0.2.9' });

    expect(run.outputs).toMatchObject({ operation: 'updated', peer_id: peer.id, ip: '192.0.2.9' });
    expect(run.summary).toContain('<code>192.0.2.1</code> → <code>192.0.2.9</code>');
    expect(emulator.peers()).toEqual([peer]);
    onlyReads();
  });

  it('previews a delete of a peer that is not there', async () => {
    const run = await step({ dry_run: 'true', state: 'absent' });

    expect(run.outputs).toMatchObject({ operation: 'not_found', peer_id: '', name: 'primary-ns1' });
    expect(visibleLog(run)).toContain('Dry run: peer primary-ns1 not found: nothing to delete (nothing was written)');
    onlyReads();
  });

  it('previews a delete', async () => {
    const peer = seed({ name: 'primary-ns1' });
    const run = await step({ dry_run: 'true', state: 'absent' });

    expect(run.outputs).toMatchObject({ operation: 'deleted', peer_id: peer.id });
    expect(emulator.peers()).toEqual([peer]);
    onlyReads();
  });
});

describe('cleanup (the post step)', () => {
  it('deletes the peer this run created, after a failure later in the job too', async () => {
    const main = await step({ cleanup: 'true' });
    // A later step of the job fails; the post step runs anyway (post-if: always()).
    const cleanup = await post(main, { cleanup: 'true' });

    expect(cleanup.code).toBe(0);
    expect(visibleLog(cleanup)).toContain(
      `Cleanup: deleted peer primary-ns1 (${main.outputs.peer_id}), which this run`,
    );
    expect(emulator.peers()).toEqual([]);
  });

  it('never deletes a peer that existed before the run', async () => {
    seed({ name: 'primary-ns1' });
    const main = await step({ cleanup: 'true' });
    emulator.requests.length = 0;
    const cleanup = await post(main, { cleanup: 'true' });

    expect(main.state).toEqual({});
    expect(cleanup.code).toBe(0);
    expect(cleanup.stdout).toBe('');
    expect(emulator.requests).toEqual([]);
    expect(emulator.peers()).toHaveLength(1);
  });

  it('keeps the peer without cleanup: true', async () => {
    const main = await step();
    const cleanup = await post(main);

    expect(cleanup.code).toBe(0);
    expect(cleanup.stdout).not.toContain('Cleanup:');
    expect(emulator.peers()).toHaveLength(1);
  });

  it('has nothing left to do after a failed configure was rolled back', async () => {
    const main = await step({ cleanup: 'true', tsig_id: 'f'.repeat(32) });
    emulator.requests.length = 0;
    const cleanup = await post(main, { cleanup: 'true' });

    expect(main.code).toBe(1);
    expect(main.state).toEqual({ created: '' });
    expect(cleanup.code).toBe(0);
    expect(cleanup.stdout).toBe('');
    expect(emulator.requests).toEqual([]);
    expect(emulator.peers()).toEqual([]);
  });

  it('removes a peer whose rollback failed in the main step', async () => {
    emulator.inject({ method: 'DELETE', fault: { kind: 'status', status: 500 } });
    const main = await step({ cleanup: 'true', tsig_id: 'f'.repeat(32), max_attempts: '1' });
    const [entry] = JSON.parse(main.state.created ?? '[]');
    expect(emulator.peers().map((peer) => peer.id)).toEqual([entry.id]);
    const cleanup = await post(main, { cleanup: 'true' });

    expect(main.code).toBe(1);
    expect(visibleLog(cleanup)).toContain(`Cleanup: deleted peer primary-ns1 (${entry.id}), which this run created.`);
    expect(emulator.peers()).toEqual([]);
  });

  it('turns cleanup trouble into a warning, not a failed job', async () => {
    const main = await step({ cleanup: 'true' });
    emulator.inject({ method: 'DELETE', times: 99, fault: { kind: 'status', status: 500 } });
    const cleanup = await post(main, { cleanup: 'true', max_attempts: '1' });

    expect(cleanup.code).toBe(0);
    expect(cleanup.stdout).toMatch(
      new RegExp(`^::warning::Cleanup of peer primary-ns1 \\(${main.outputs.peer_id}\\) did not complete`, 'm'),
    );
    expect(emulator.peers()).toHaveLength(1);
  });

  it('warns with both ids when a parallel run created a peer with the same name', async () => {
    const main = await step();
    const twin = seed({ name: 'primary-ns1' });
    const cleanup = await post(main);

    expect(cleanup.code).toBe(0);
    expect(cleanup.stdout).toMatch(/^::warning::Another run created a peer named "primary-ns1"/m);
    expect(cleanup.stdout).toContain(
      `${twin.id} (this run's is ${main.outputs.peer_id}: workflow "Secondary DNS", run 17, job peer)`,
    );
  });
});
