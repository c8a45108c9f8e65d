// Create Peer end to end: the bundled dist/index.js as a child process against the emulator.
import { describe, expect, it } from 'vitest';
import { everythingShown, maskedFirst, runStep, type StepRun, tokenInputs } from './harness.ts';
import { useEmulator } from './use-emulator.ts';

// Every request the action sends and every answer it gets is what Cloudflare publishes (useEmulator checks).
const emulator = useEmulator();

/** The credentials a run used were masked first, and show up nowhere the runner shows or keeps. */
function expectNoCredentials(run: StepRun, ...used: string[]) {
  expect(maskedFirst(run)).toEqual(expect.arrayContaining(used));
  for (const secret of used) expect(everythingShown(run)).not.toContain(secret);
}

describe('create', () => {
  it('creates a peer from a name and outputs it', async () => {
    const run = await runStep({ inputs: tokenInputs(emulator, 'primary-ns1') });

    expect(run.code, run.stdout + run.stderr).toBe(0);
    const [peer] = emulator.peers();
    expect(emulator.peers()).toHaveLength(1);
    expect(peer?.name).toBe('primary-ns1');
    expect(run.outputs).toEqual({
      peer_id: peer?.id,
      name: 'primary-ns1',
      ip: '',
      port: '',
      ixfr_enable: 'false',
      tsig_id: '',
      peer: JSON.stringify(peer),
      operation: 'created',
      tsig_name: '',
      tsig_operation: '',
      zones: '',
    });
    expect(JSON.parse(run.state.created ?? '')).toEqual([{ kind: 'peer', id: peer?.id, name: 'primary-ns1' }]);
    expect(run.summary).toContain('operation: created');
    expect(run.summary).toContain(`<code>${peer?.id}</code>`);
    expectNoCredentials(run, emulator.token);
  });

  it('configures ip, port, ixfr and TSIG with one Update after the Create', async () => {
    const tsig = emulator.seedTsig({ name: 'xfr', algo: 'hmac-sha256.', secret: 'c2VjcmV0' });
    const run = await runStep({
      inputs: { ...tokenInputs(emulator), ip: '192.0.2.53', port: '5353', ixfr_enable: 'true', tsig_id: tsig.id },
    });

    expect(run.code, run.stdout).toBe(0);
    expect(emulator.peers()).toEqual([
      {
        id: run.outputs.peer_id,
        name: 'primary-ns1',
        ip: '192.0.2.53',
        port: 5353,
        ixfr_enable: true,
        tsig_id: tsig.id,
      },
    ]);
    expect(run.outputs).toMatchObject({ ip: '192.0.2.53', port: '5353', ixfr_enable: 'true', tsig_id: tsig.id });
    expect(emulator.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'PUT']);
  });

  it('sends a User-Agent naming the action, its version and the run', async () => {
    await runStep({ inputs: tokenInputs(emulator) });
    expect(emulator.requests[0]?.headers['user-agent']).toMatch(
      /^cloudflare-secondary-dns-peer-action\/\d+\.\d+\.\d+ \(https:\/\/github\.com\/octo-org\/dns; run 4242\)$/,
    );
  });

  it('authenticates with a Global API Key from the environment', async () => {
    const { api_token: _, ...inputs } = tokenInputs(emulator);
    const run = await runStep({
      inputs,
      env: { CLOUDFLARE_EMAIL: emulator.email, CLOUDFLARE_API_KEY: emulator.apiKey },
    });

    expect(run.code, run.stdout).toBe(0);
    expect(emulator.requests[1]?.headers['x-auth-key']).toBe(emulator.apiKey);
    expect(emulator.peers()).toHaveLength(1);
    expectNoCredentials(run, emulator.apiKey, emulator.email);
  });

  it('takes account_id and token from CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN', async () => {
    const run = await runStep({
      inputs: { name: 'from-env', api_url: emulator.url },
      env: { CLOUDFLARE_ACCOUNT_ID: emulator.accountId, CLOUDFLARE_API_TOKEN: emulator.token },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(emulator.peers().map((p) => p.name)).toEqual(['from-env']);
  });
});

describe('Cloudflare refuses', () => {
  it('fails with code 9109 for an unknown token, without printing it', async () => {
    const run = await runStep({
      inputs: { ...tokenInputs(emulator), api_token: 'cfut_wrong_token_abcdefghijklmnopqrstuv' },
    });

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::.*HTTP 403.*%0A.*code 9109: Invalid access token/);
    expectNoCredentials(run, 'cfut_wrong_token_abcdefghijklmnopqrstuv');
    expect(emulator.peers()).toEqual([]);
  });

  it('fails with code 10000 when the token may only read', async () => {
    const run = await runStep({ inputs: { ...tokenInputs(emulator), api_token: emulator.readOnlyToken } });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('code 10000');
    expect(run.stdout).toContain('Account Settings Write');
    expectNoCredentials(run, emulator.readOnlyToken);
    expect(emulator.peers()).toEqual([]);
  });

  it('fails with code 9103 for a wrong email/key pair', async () => {
    const { api_token: _, ...inputs } = tokenInputs(emulator);
    const run = await runStep({ inputs: { ...inputs, api_email: emulator.email, api_key: 'cfk_not_the_key_123456' } });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('code 9103');
    expectNoCredentials(run, 'cfk_not_the_key_123456');
  });

  it('rolls the new peer back when Cloudflare rejects its configuration', async () => {
    const run = await runStep({ inputs: { ...tokenInputs(emulator), tsig_id: 'ffffffffffffffffffffffffffffffff' } });

    expect(run.code).toBe(1);
    const id = emulator.requests[2]?.path.split('/').at(-1);
    expect(run.stdout).toContain(
      `The run failed after it made peer primary-ns1 (${id}), so it was undone (nothing is left behind).`,
    );
    expect(emulator.peers()).toEqual([]);
    expect(emulator.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'PUT', 'DELETE']);
    expect(run.outputs).toEqual({});
    // Saved the moment the peer existed (so the post step could still clean up had the rollback failed),
    // then emptied once it was deleted again.
    expect(run.stateLog).toContain(JSON.stringify([{ kind: 'peer', id, name: 'primary-ns1' }]));
    expect(run.state).toEqual({ created: '' });
  });

  it('says so, with the peer id, when the rollback fails too', async () => {
    emulator.inject({
      method: 'PUT',
      fault: { kind: 'status', status: 400, code: 1001, message: 'Invalid request: ip' },
    });
    emulator.inject({ method: 'DELETE', times: 99, fault: { kind: 'status', status: 500 } });
    const run = await runStep({ inputs: { ...tokenInputs(emulator), ip: '192.0.2.1', max_attempts: '1' } });

    const [peer] = emulator.peers();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `undoing peer primary-ns1 (${peer?.id}) failed too, so it is left on the account. ` +
        `By hand: delete peer ${peer?.id} ("primary-ns1").`,
    );
    // Still in the journal, so the post step (cleanup: true) may yet remove it.
    expect(JSON.parse(run.state.created ?? '')).toEqual([{ kind: 'peer', id: peer?.id, name: 'primary-ns1' }]);
    expect(run.stdout).toContain('code 1001: Invalid request: ip');
  });
});
