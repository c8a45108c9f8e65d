// Every answer the emulator gives, to every peer, TSIG and /zones operation and to every way of getting
// them wrong, is what Cloudflare's published schema says it answers.
import { expect, it } from 'vitest';
import { useEmulator } from '../use-emulator.ts';
import { contractReport } from './exchanges.ts';
import { operationIds } from './openapi.ts';

// The scenario builds on itself, and checks the exchanges itself.
const em = useEmulator({ reset: false, contract: false });

// biome-ignore lint/suspicious/noExplicitAny: the scenario reads ids out of arbitrary JSON
type Json = any;

async function call(method: string, path: string, body?: unknown, auth?: Record<string, string>): Promise<Json> {
  const res = await fetch(`${em.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(auth ?? { Authorization: `Bearer ${em.token}` }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return res.json();
}

it('answers every peer and TSIG operation, and every error, within the published contract', async () => {
  const account = `/accounts/${em.accountId}/secondary_dns`;
  const unknown = 'ffffffffffffffffffffffffffffffff';

  // Peers and TSIGs, every operation, on empty and non-empty collections.
  await call('GET', `${account}/peers`);
  await call('GET', `${account}/tsigs`);
  const tsig = (await call('POST', `${account}/tsigs`, { name: 'xfr.', algo: 'hmac-sha512.', secret: 'c2VjcmV0' }))
    .result;
  await call('PUT', `${account}/tsigs/${tsig.id}`, { name: 'xfr.', algo: 'hmac-sha256.', secret: 'bmV3' });
  await call('GET', `${account}/tsigs/${tsig.id}`);
  await call('GET', `${account}/tsigs`);
  const peer = (await call('POST', `${account}/peers`, { name: 'ns1' })).result;
  await call('PUT', `${account}/peers/${peer.id}`, {
    name: 'ns1',
    ip: '2001:db8::53',
    port: 53,
    ixfr_enable: true,
    tsig_id: tsig.id,
  });
  await call('GET', `${account}/peers/${peer.id}`);
  await call('GET', `${account}/peers`);
  await call('PUT', `${account}/peers/${peer.id}`, { name: 'ns1' });
  await call('DELETE', `${account}/peers/${peer.id}`);
  await call('DELETE', `${account}/tsigs/${tsig.id}`);
  const goodRequests = em.requests.length;

  // 400: validation, not JSON, missing or malformed credentials.
  const kept = (await call('POST', `${account}/peers`, { name: 'kept' })).result;
  await call('PUT', `${account}/peers/${kept.id}`, { name: 'kept', ip: '300.1.1.1', port: 70000 });
  await call('PUT', `${account}/peers/${kept.id}`, { name: 'kept', tsig_id: unknown });
  await call('POST', `${account}/tsigs`, { name: 'k' });
  await call('POST', `${account}/peers`, '{"name":');
  await call('GET', `${account}/peers`, undefined, {});
  await call('GET', `${account}/peers`, undefined, { Authorization: 'Token abc' });
  await call('GET', `${account}/peers`, undefined, { 'X-Auth-Email': em.email });
  // 403: unknown token, wrong key, a read-only token writing, another account.
  await call('GET', `${account}/tsigs`, undefined, { Authorization: 'Bearer nope' });
  await call('GET', `${account}/peers`, undefined, { 'X-Auth-Email': em.email, 'X-Auth-Key': 'wrong' });
  await call('POST', `${account}/peers`, { name: 'x' }, { Authorization: `Bearer ${em.readOnlyToken}` });
  await call('GET', `/accounts/${unknown}/secondary_dns/peers`);
  // 404: unknown ids on every item operation; routes that do not exist; 405: a method no route has.
  for (const collection of ['peers', 'tsigs']) {
    await call('GET', `${account}/${collection}/${unknown}`);
    await call('PUT', `${account}/${collection}/${unknown}`, { name: 'x', algo: 'a', secret: 's' });
    await call('DELETE', `${account}/${collection}/${unknown}`);
  }
  await call('GET', '/accounts/not-an-id/secondary_dns/peers');
  await call('GET', `${account}/nope`);
  await call('PATCH', `${account}/peers`, {});
  // 429: the budget spent, and an injected one; a 5xx JSON failure.
  em.inject({ times: 1, fault: { kind: 'status', status: 429, retryAfter: '3' } });
  em.inject({ times: 1, fault: { kind: 'status', status: 503 } });
  await call('GET', `${account}/peers`);
  await call('GET', `${account}/peers`);
  em.rateLimit({ remaining: 1, resetSeconds: 60 });
  await call('GET', `${account}/peers/${kept.id}`);
  await call('DELETE', `${account}/peers/${kept.id}`);

  const report = contractReport(em.requests, { request: false });
  expect(report.problems).toEqual([]);
  const peersAndTsigs = operationIds(
    '/accounts/{account_id}/secondary_dns/peers',
    '/accounts/{account_id}/secondary_dns/tsigs',
  );
  expect(peersAndTsigs).toHaveLength(10);
  expect([...report.operations].sort()).toEqual([...peersAndTsigs, 'unrouted'].sort());
  expect(new Set(em.requests.map((r) => r.answer?.status))).toEqual(new Set([200, 400, 403, 404, 405, 429, 503]));
  // The scenario's own well-formed requests are what the document asks for, too.
  expect(contractReport(em.requests.slice(0, goodRequests)).problems).toEqual([]);
});

it('answers every /zones operation, and every error, within the published contract', async () => {
  em.reset();
  const unknown = 'ffffffffffffffffffffffffffffffff';
  const body = (name: string, type = 'secondary') => ({ account: { id: em.accountId }, name, type });

  // Every operation: list (by name, paged, empty), create of each type, details, delete.
  await call('GET', '/zones');
  const zone = (await call('POST', '/zones', body('example.com'))).result;
  await call('POST', '/zones', body('example.net', 'full'));
  await call('POST', '/zones', body('example.org', 'partial'));
  em.seedZone({ name: 'seeded.example', incoming: { peers: [] }, type: 'secondary' });
  await call('GET', `/zones?name=example.com&account.id=${em.accountId}`);
  await call('GET', '/zones?page=1&per_page=5');
  await call('GET', `/zones/${zone.id}`);
  await call('DELETE', `/zones/${zone.id}`);
  const goodRequests = em.requests.length;

  // 400: a name that exists, a bad name, type internal, no account, not JSON; 403: tokens without Zone Edit,
  // another account; 404: deleted, unknown and malformed ids; 405.
  await call('POST', '/zones', body('example.net'));
  await call('POST', '/zones', body('example.com.'));
  await call('POST', '/zones', body('example.com', 'internal'));
  await call('POST', '/zones', { name: 'example.com' });
  await call('POST', '/zones', '{"name":');
  await call('POST', '/zones', body('x.example'), { Authorization: `Bearer ${em.zoneOnlyToken}` });
  await call('POST', '/zones', { ...body('x.example'), account: { id: unknown } });
  for (const id of [zone.id, unknown, 'not-an-id']) {
    await call('GET', `/zones/${id}`);
    await call('DELETE', `/zones/${id}`);
  }
  await call('PUT', '/zones', {});
  // A lost answer after the commit, and a 503 before it.
  em.inject({ method: 'POST', path: '/client/v4/zones', fault: { kind: 'status', status: 503 } });
  await call('POST', '/zones', body('lost.example'));
  em.inject({ method: 'POST', path: '/client/v4/zones', fault: { kind: 'reset-after' } });
  await expect(call('POST', '/zones', body('lost.example'))).rejects.toThrow();

  const report = contractReport(em.requests, { request: false });
  expect(report.problems).toEqual([]);
  const zoneOperations = operationIds('/zones').filter((id) => id.startsWith('zones-'));
  expect([...report.operations].sort()).toEqual([...zoneOperations, 'unrouted'].sort());
  expect(new Set(em.requests.map((r) => r.answer?.status))).toEqual(new Set([200, 400, 403, 404, 405, 503, undefined]));
  expect(em.zones().map((z) => z.name)).toEqual(['example.net', 'example.org', 'seeded.example', 'lost.example']);
  expect(contractReport(em.requests.slice(0, goodRequests)).problems).toEqual([]);
});
