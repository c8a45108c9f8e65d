import { execFile } from 'node:child_process';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { startProxy } from '../proxy/proxy.ts';
import { useEmulator } from '../use-emulator.ts';
import { makeSelfSignedCert, startEmulator } from './index.ts';

// Every answer is what Cloudflare publishes (some requests are wrong on purpose).
const em = useEmulator({ contract: 'answers' });

const peersPath = (): string => `/accounts/${em.accountId}/secondary_dns/peers`;
const tsigsPath = (): string => `/accounts/${em.accountId}/secondary_dns/tsigs`;

interface CallOptions {
  body?: unknown;
  auth?: Record<string, string>;
  signal?: AbortSignal;
}

// biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary JSON
type Json = any;

async function call(
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<{ status: number; headers: Headers; json: Json }> {
  const { body, auth = { Authorization: `Bearer ${em.token}` }, signal } = options;
  const res = await fetch(`${em.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...auth },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
  return { status: res.status, headers: res.headers, json: await res.json() };
}

describe('peers and TSIGs', () => {
  it('creates, lists, reads, replaces and deletes a peer', async () => {
    const created = await call('POST', peersPath(), { body: { name: 'ns1' } });
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toBe('application/json');
    expect(created.headers.get('ratelimit')).toBe('"default";r=1199;t=300');
    expect(created.headers.get('ratelimit-policy')).toBe('"default";q=1200;w=300');
    expect(created.headers.get('retry-after')).toBeNull();
    expect(created.json).toMatchObject({ success: true, errors: [], messages: [] });
    const peer = created.json.result;
    expect(peer).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: 'ns1',
      ip: '',
      port: 0,
      ixfr_enable: false,
    });

    const tsig = em.seedTsig({ name: 'k', algo: 'hmac-sha256.', secret: 'c2VjcmV0' });
    const full = { name: 'ns1', ip: '2001:db8::53', port: 5353, ixfr_enable: true, tsig_id: tsig.id };
    expect((await call('PUT', `${peersPath()}/${peer.id}`, { body: full })).json.result).toEqual({
      id: peer.id,
      ...full,
    });
    // PUT replaces the whole object: omitted fields go back to unset.
    const bare = await call('PUT', `${peersPath()}/${peer.id}`, { body: { name: 'ns1b', tsig_id: '' } });
    expect(bare.json.result).toEqual({ id: peer.id, name: 'ns1b', ip: '', port: 0, ixfr_enable: false });

    const list = await call('GET', peersPath());
    expect(list.json.result).toEqual([bare.json.result]);
    expect(list.json.result_info).toEqual({ page: 1, per_page: 1, count: 1, total_count: 1, total_pages: 1 });
    expect((await call('GET', `${peersPath()}/${peer.id}`)).json.result).toEqual(bare.json.result);

    expect((await call('DELETE', `${peersPath()}/${peer.id}`)).json.result).toEqual({ id: peer.id });
    const gone = await call('GET', `${peersPath()}/${peer.id}`);
    expect(gone.status).toBe(404);
    expect(gone.json.errors[0]).toMatchObject({ code: 1002, message: 'peer not found' });
    expect(em.peers()).toEqual([]);
  });

  it('accepts a global key, and names are not unique', async () => {
    const auth = { 'X-Auth-Email': em.email, 'X-Auth-Key': em.apiKey };
    await call('POST', peersPath(), { body: { name: 'twin' }, auth });
    await call('POST', peersPath(), { body: { name: 'twin' }, auth });
    const peers = em.peers();
    expect(peers.map((p) => p.name)).toEqual(['twin', 'twin']);
    expect(peers[0]?.id).not.toBe(peers[1]?.id);
    expect(em.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
  });

  it('manages TSIGs and requires name, algo and secret', async () => {
    const created = await call('POST', tsigsPath(), { body: { name: 'k', algo: 'hmac-sha512.', secret: 's' } });
    expect(created.json.result).toEqual({ id: expect.any(String), name: 'k', algo: 'hmac-sha512.', secret: 's' });
    const bad = await call('POST', tsigsPath(), { body: { name: 'k', algo: 'hmac-sha512.' } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0]).toMatchObject({ code: 1001, source: { pointer: '/secret' } });
    expect(em.tsigs()).toEqual([created.json.result]);
  });

  it.each([
    [{ name: 'p', ip: '300.1.1.1' }, '/ip'],
    [{ name: 'p', port: 70000 }, '/port'],
    [{ name: 'p', port: 53.5 }, '/port'],
    [{ name: 'p', tsig_id: 'ffffffffffffffffffffffffffffffff' }, '/tsig_id'],
    [{ ip: '192.0.2.1' }, '/name'],
  ])('rejects an invalid PUT %j', async (body, pointer) => {
    const peer = em.seedPeer({ name: 'p' });
    const res = await call('PUT', `${peersPath()}/${peer.id}`, { body });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ success: false, result: null });
    expect(res.json.errors[0]).toMatchObject({ code: 1001, source: { pointer } });
    expect(em.peers()).toEqual([peer]);
  });

  it('rejects a body that is not JSON', async () => {
    const res = await call('POST', peersPath(), { body: '{"name":' });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].code).toBe(1003);
  });
});

describe('auth and routing', () => {
  const other = 'ffffffffffffffffffffffffffffffff';
  it.each([
    ['no credentials', {}, 'GET', 400, 9106, undefined],
    ['a non-Bearer Authorization', { Authorization: 'Token abc' }, 'GET', 400, 6003, 6111],
    ['an unknown token', { Authorization: 'Bearer nope' }, 'GET', 403, 9109, undefined],
    ['an email without key', { 'X-Auth-Email': 'a@example.com' }, 'GET', 400, 6003, 6103],
    ['a key without email', { 'X-Auth-Key': 'k' }, 'GET', 400, 6003, 6102],
    ['a wrong email/key pair', { 'X-Auth-Email': 'a@example.com', 'X-Auth-Key': 'k' }, 'GET', 403, 9103, undefined],
    ['a read-only token writing', 'readOnly', 'POST', 403, 10000, undefined],
  ])('rejects %s', async (_label, auth, method, status, code, chained) => {
    const headers =
      auth === 'readOnly' ? { Authorization: `Bearer ${em.readOnlyToken}` } : (auth as Record<string, string>);
    const res = await call(method, peersPath(), { auth: headers, body: method === 'POST' ? { name: 'x' } : undefined });
    expect(res.status).toBe(status);
    expect(res.json.errors[0]).toMatchObject({ code, documentation_url: 'https://developers.cloudflare.com/api/' });
    if (chained !== undefined) expect(res.json.errors[0].error_chain[0].code).toBe(chained);
    expect(em.peers()).toEqual([]);
  });

  it('lets a read-only token list', async () => {
    const res = await call('GET', peersPath(), { auth: { Authorization: `Bearer ${em.readOnlyToken}` } });
    expect(res.status).toBe(200);
  });

  it('routes like Cloudflare', async () => {
    const malformed = await call('GET', '/accounts/not-an-id/secondary_dns/peers');
    expect(malformed.status).toBe(404);
    expect(malformed.json.errors[0]).toMatchObject({
      code: 7003,
      message: 'Could not route to /accounts/not-an-id/secondary_dns/peers, perhaps your object identifier is invalid?',
    });
    expect((await call('GET', `/accounts/${em.accountId}/secondary_dns/nope`)).json.errors[0].code).toBe(7003);
    expect((await call('PATCH', peersPath(), { body: {} })).json.errors[0]).toMatchObject({ code: 7001 });
    const foreign = await call('GET', `/accounts/${other}/secondary_dns/peers`);
    expect([foreign.status, foreign.json.errors[0].code]).toEqual([403, 10000]);
  });
});

describe('cf-ray', () => {
  const RAY = /^[0-9a-f]{16}-EMU$/;

  it('marks every answer, faults included, with its own ray, recorded with the exchange', async () => {
    em.inject({ times: 1, fault: { kind: 'html', status: 502 } });
    em.inject({ times: 1, fault: { kind: 'status', status: 429 } });
    em.inject({ times: 1, fault: { kind: 'truncate' } });
    const answers = [];
    for (let i = 0; i < 5; i++) {
      answers.push(await fetch(`${em.url}${peersPath()}`, { headers: { Authorization: `Bearer ${em.token}` } }));
    }
    const rays = answers.map((res) => res.headers.get('cf-ray'));
    expect(answers.map((res) => res.status)).toEqual([502, 429, 200, 200, 200]);
    for (const ray of rays) expect(ray).toMatch(RAY);
    expect(new Set(rays).size).toBe(5);
    expect(em.requests.map((r) => r.ray)).toEqual(rays);
    expect(em.requests.map((r) => r.fault)).toEqual(['html', 'status', 'truncate', undefined, undefined]);
    expect(em.requests[3]?.answer).toEqual({
      status: 200,
      headers: expect.objectContaining({ 'cf-ray': rays[3], 'content-type': 'application/json' }),
      body: await answers[3]?.text(),
    });
  });

  it('records no ray when the connection is dropped', async () => {
    em.inject({ fault: { kind: 'reset-before' } });
    await expect(call('GET', peersPath())).rejects.toThrow();
    expect(em.requests).toHaveLength(1);
    expect(em.requests[0]).not.toHaveProperty('ray');
    expect(em.requests[0]).not.toHaveProperty('answer');
  });
});

describe('rate limit', () => {
  let clock = 1_000_000;
  // The clock is set before the emulator's reset, so each test's window starts on it.
  beforeEach(() => {
    clock = 1_000_000;
  });
  const limited = useEmulator({ now: () => clock, contract: false });

  const get = () =>
    fetch(`${limited.url}/accounts/${limited.accountId}/secondary_dns/peers`, {
      headers: { Authorization: `Bearer ${limited.token}` },
    });
  const limits = (res: Response) => [
    res.status,
    res.headers.get('ratelimit'),
    res.headers.get('ratelimit-policy'),
    res.headers.get('retry-after'),
  ];

  it('counts every request, answers 429 with Retry-After once the budget is spent, and refills at the reset', async () => {
    limited.rateLimit({ remaining: 2, resetSeconds: 3, quota: 10, windowSeconds: 60 });
    expect(limits(await get())).toEqual([200, '"default";r=1;t=3', '"default";q=10;w=60', null]);
    clock += 1500;
    expect(limits(await get())).toEqual([200, '"default";r=0;t=2', '"default";q=10;w=60', null]);

    const throttled = await get();
    expect(limits(throttled)).toEqual([429, '"default";r=0;t=2', '"default";q=10;w=60', '2']);
    expect(throttled.headers.get('cf-ray')).toBe(limited.requests[2]?.ray);
    expect(await throttled.json()).toMatchObject({
      success: false,
      result: null,
      errors: [{ code: 971, message: 'Please wait and consider throttling your request speed' }],
    });
    clock += 1499;
    expect(limits(await get())).toEqual([429, '"default";r=0;t=1', '"default";q=10;w=60', '1']);

    // The window ends: a full quota again, and a window of windowSeconds.
    clock += 1;
    expect(limits(await get())).toEqual([200, '"default";r=9;t=60', '"default";q=10;w=60', null]);
    expect(limited.requests).toHaveLength(5);
  });

  it('throttles before faults and the API act', async () => {
    limited.rateLimit({ remaining: 0, resetSeconds: 5 });
    limited.inject({ fault: { kind: 'html', status: 502 } });
    const res = await fetch(`${limited.url}/accounts/${limited.accountId}/secondary_dns/peers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${limited.token}` },
      body: '{"name":"x"}',
    });
    expect(limits(res)).toEqual([429, '"default";r=0;t=5', '"default";q=1200;w=300', '5']);
    expect(limited.peers()).toEqual([]);
    clock += 5000;
    expect((await get()).status).toBe(502); // the fault waited for a request that got through
  });

  const getWith = (token: string) =>
    fetch(`${limited.url}/accounts/${limited.accountId}/secondary_dns/peers`, {
      headers: { Authorization: `Bearer ${token}` },
    });

  it('keeps one quota per credential, shared by every client that uses it', async () => {
    limited.rateLimit({ quota: 3, windowSeconds: 60 });
    // Two clients (jobs) with the same token spend one quota; another token has its own.
    const [a, b] = await Promise.all([getWith(limited.token), getWith(limited.token)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(limits(await getWith(limited.token))).toEqual([200, '"default";r=0;t=60', '"default";q=3;w=60', null]);
    expect(limits(await getWith(limited.token))).toEqual([429, '"default";r=0;t=60', '"default";q=3;w=60', '60']);
    expect(limits(await getWith(limited.readOnlyToken))).toEqual([
      200,
      '"default";r=2;t=60',
      '"default";q=3;w=60',
      null,
    ]);
  });

  it("runs Cloudflare's 1200-per-300 s shape ten times faster, and its headers say the scaled window", async () => {
    limited.rateLimit({ quota: 1200, windowSeconds: 300, timeScale: 10, remaining: 1, resetSeconds: 200 });
    expect(limits(await get())).toEqual([200, '"default";r=0;t=20', '"default";q=1200;w=30', null]);
    clock += 4_500;
    expect(limits(await get())).toEqual([429, '"default";r=0;t=16', '"default";q=1200;w=30', '16']);
    clock += 15_500;
    expect(limits(await get())).toEqual([200, '"default";r=1199;t=30', '"default";q=1200;w=30', null]);
    expect(() => limited.rateLimit({ windowSeconds: 300, timeScale: 7 })).toThrow(/whole seconds/);
  });

  it('reset() restores the default budget; bad settings are refused', async () => {
    limited.rateLimit({ remaining: 0, resetSeconds: 60, quota: 5, windowSeconds: 10 });
    limited.reset();
    expect(limits(await get())).toEqual([200, '"default";r=1199;t=300', '"default";q=1200;w=300', null]);
    expect(() => limited.rateLimit({ remaining: -1, resetSeconds: 1 })).toThrow(/remaining/);
    expect(() => limited.rateLimit({ remaining: 1, resetSeconds: 0.5 })).toThrow(/resetSeconds/);
    expect(() => limited.rateLimit({ remaining: 1, resetSeconds: 1, quota: 0 })).toThrow(/quota/);
  });
});

describe('faults', () => {
  const create = (signal?: AbortSignal) => call('POST', peersPath(), { body: { name: 'f' }, signal });

  it('status: answers the error without acting, only for matching requests, `times` times', async () => {
    em.inject({
      method: 'post',
      path: `/client/v4${peersPath()}`,
      times: 2,
      fault: { kind: 'status', status: 429, retryAfter: '2' },
    });
    expect((await call('GET', peersPath())).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await create();
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(res.json.errors[0]).toMatchObject({ code: 971 });
    }
    expect(em.peers()).toEqual([]);
    expect((await create()).status).toBe(200);
    expect(em.requests).toHaveLength(4);
  });

  it('html: answers an HTML page', async () => {
    em.inject({ fault: { kind: 'html', status: 502 } });
    const res = await fetch(`${em.url}${peersPath()}`);
    expect([res.status, res.headers.get('content-type')]).toEqual([502, 'text/html']);
    expect(await res.text()).toContain('502 Bad Gateway');
  });

  it('reset-before: drops the connection without acting', async () => {
    em.inject({ path: /\/peers$/, fault: { kind: 'reset-before' } });
    await expect(create()).rejects.toThrow();
    expect(em.peers()).toEqual([]);
    expect(em.requests).toHaveLength(1);
  });

  it('reset-after: acts, then drops the connection (the lost response)', async () => {
    em.inject({ fault: { kind: 'reset-after' } });
    await expect(create()).rejects.toThrow();
    expect(em.peers()).toHaveLength(1);
  });

  it.each([
    [true, 1],
    [false, 0],
  ])('delay with commit=%s outlasts the client timeout (peers after: %i)', async (commit, count) => {
    em.inject({ fault: { kind: 'delay', ms: 10_000, commit } });
    await expect(create(AbortSignal.timeout(100))).rejects.toThrow(/timeout/i);
    expect(em.peers()).toHaveLength(count);
  });

  it('truncate: acts and sends half the JSON', async () => {
    em.inject({ fault: { kind: 'truncate' } });
    const res = await fetch(`${em.url}${peersPath()}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${em.token}` },
      body: '{"name":"t"}',
    });
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow(SyntaxError);
    expect(em.peers()).toHaveLength(1);
  });

  it('success-false: HTTP 200 with an error, without acting', async () => {
    em.inject({ fault: { kind: 'success-false' } });
    const res = await create();
    expect([res.status, res.json.success, res.json.errors[0].code]).toEqual([200, false, 1000]);
    expect(em.peers()).toEqual([]);
  });

  it('wrong-shape: acts and answers a result of the wrong shape', async () => {
    em.inject({ fault: { kind: 'wrong-shape' } });
    const res = await create();
    expect(res.json).toMatchObject({ success: true, result: { unexpected: true } });
    expect(em.peers()).toHaveLength(1);
  });
});

describe('proxy', () => {
  it('tunnels CONNECT for any hostname to the emulator', async () => {
    const proxy = await startProxy({ connectTo: { host: '127.0.0.1', port: em.port } });
    try {
      const { socket } = await new Promise<{ socket: Socket }>((resolve, reject) => {
        request({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: 'api.cloudflare.test:443' })
          .on('connect', (res, socket) =>
            res.statusCode === 200 ? resolve({ socket }) : reject(new Error(`${res.statusCode}`)),
          )
          .on('error', reject)
          .end();
      });
      socket.write(
        `GET /client/v4${peersPath()} HTTP/1.1\r\nHost: api.cloudflare.test\r\nAuthorization: Bearer ${em.token}\r\nConnection: close\r\n\r\n`,
      );
      const reply = (await socket.toArray()).join('');
      expect(reply).toMatch(/^HTTP\/1\.1 200 /);
      expect(proxy.connects).toEqual(['api.cloudflare.test:443']);
      expect((await fetch(proxy.url)).status).toBe(405);
    } finally {
      await proxy.close();
    }
  });

  it('serves HTTPS under a fake hostname to a child process using the proxy', async () => {
    const tls = makeSelfSignedCert(['api.cloudflare.test']);
    const secure = await startEmulator({ tls });
    const proxy = await startProxy({ connectTo: { host: '127.0.0.1', port: secure.port } });
    try {
      secure.seedPeer({ name: 'seen-through-tls' });
      const script = `const r = await fetch(process.argv[1], { headers: { Authorization: 'Bearer ' + process.argv[2] } });
        console.log(JSON.stringify(await r.json()));`;
      const url = `https://api.cloudflare.test/client/v4/accounts/${secure.accountId}/secondary_dns/peers`;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--input-type=module', '-e', script, url, secure.token],
        {
          env: {
            PATH: process.env.PATH,
            NODE_USE_ENV_PROXY: '1',
            HTTPS_PROXY: proxy.url,
            NODE_EXTRA_CA_CERTS: tls.certPath,
          },
        },
      );
      expect(JSON.parse(stdout).result[0].name).toBe('seen-through-tls');
      expect(proxy.connects).toEqual(['api.cloudflare.test:443']);
    } finally {
      await proxy.close();
      await secure.close();
    }
  });
});
