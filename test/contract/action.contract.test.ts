// Every request the bundled action sends, and every answer it gets, across its scenarios, is what
// Cloudflare's published schema describes: dist/ as a child process against the emulator.
import { expect, it } from 'vitest';
import { POST, runStep, type StepRun, tokenInputs } from '../harness.ts';
import { useEmulator } from '../use-emulator.ts';
import { contractReport } from './exchanges.ts';

const em = useEmulator();

const step = (inputs: Record<string, string> = {}) => runStep({ inputs: { ...tokenInputs(em), ...inputs } });
const post = (main: StepRun) =>
  runStep({ entry: POST, inputs: { ...tokenInputs(em), cleanup: 'true' }, state: main.state });
/** The operations this test's exchanges were checked against. */
const operations = () =>
  [...contractReport(em.requests).operations].map((id) => id.replace('secondary-dns-(-peer)-', ''));

it('creates with ip, port, ixfr and TSIG, then a re-run changes nothing', async () => {
  const tsig = em.seedTsig({ name: 'xfr.', algo: 'hmac-sha512.', secret: 'c2VjcmV0' });
  const inputs = { ip: '192.0.2.53', port: '5353', ixfr_enable: 'true', tsig_id: tsig.id };
  expect((await step(inputs)).outputs.operation).toBe('created');
  expect((await step(inputs)).outputs.operation).toBe('unchanged');
  expect(operations()).toEqual(expect.arrayContaining(['list-peers', 'create-peer', 'update-peer']));
  const put = em.requests.find((r) => r.method === 'PUT');
  expect(JSON.parse(put?.body ?? '{}')).toMatchObject({ name: 'primary-ns1', port: 5353, tsig_id: tsig.id });
});

it('creates with a name only, with a Global API Key', async () => {
  const { api_token: _, ...inputs } = tokenInputs(em);
  const run = await runStep({ inputs: { ...inputs, api_email: em.email, api_key: em.apiKey } });
  expect(run.outputs.operation).toBe('created');
  expect(operations()).toContain('create-peer');
});

it('converges, renames by peer_id, and deletes by name and by id', async () => {
  const a = em.seedPeer({ name: 'primary-ns1', ip: '192.0.2.1', port: 53 });
  const b = em.seedPeer({ name: 'other' });
  expect((await step({ ip: '2001:db8::53', ixfr_enable: 'false' })).outputs.operation).toBe('updated');
  expect((await step({ peer_id: b.id, name: 'renamed' })).outputs.operation).toBe('updated');
  expect((await step({ state: 'absent' })).outputs.operation).toBe('deleted');
  expect((await step({ state: 'absent', peer_id: b.id, name: '' })).outputs.operation).toBe('deleted');
  expect(em.peers()).toEqual([]);
  expect(operations()).toEqual(expect.arrayContaining(['update-peer', 'delete-peer']));
  expect(em.requests.filter((r) => r.method === 'DELETE').map((r) => r.path.split('/').at(-1))).toEqual([a.id, b.id]);
});

it('cleans up in the post step, and dry-runs only read', async () => {
  const main = await step({ cleanup: 'true', port: '53' });
  expect((await post(main)).code).toBe(0);
  expect(em.peers()).toEqual([]);
  expect(operations()).toContain('delete-peer');
  const before = em.requests.length;
  await step({ dry_run: 'true', ip: '192.0.2.9' });
  expect(new Set(em.requests.slice(before).map((r) => r.method))).toEqual(new Set(['GET']));
});

it('retries through 429, 5xx and a lost answer with requests as valid as the first', async () => {
  em.inject({ method: 'GET', times: 1, fault: { kind: 'status', status: 429, retryAfter: '0' } });
  em.inject({ method: 'PUT', times: 1, fault: { kind: 'status', status: 503 } });
  em.inject({ method: 'POST', times: 1, fault: { kind: 'reset-after' } });
  const run = await step({ ip: '192.0.2.53' });
  expect(run.code, run.stdout).toBe(0);
  expect(em.peers()).toHaveLength(1);
  expect(em.requests.length).toBeGreaterThan(4);
});

it('gets failures it can read when Cloudflare refuses', async () => {
  await step({ api_token: 'cfut_wrong_token_abcdefghijklmnopqrstuv' });
  await step({ api_token: em.readOnlyToken });
  await step({ tsig_id: 'ffffffffffffffffffffffffffffffff' });
  expect(new Set(em.requests.map((r) => r.answer?.status))).toEqual(new Set([200, 400, 403]));
});
