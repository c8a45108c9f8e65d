// What a careless or hostile user runs into, end to end through dist/ (issue: hardening).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSelfSignedCert, startEmulator } from './emulator/index.ts';
import { everythingShown, runStep, tokenInputs, visibleLog } from './harness.ts';
import { startProxy } from './proxy/proxy.ts';
import { useEmulator } from './use-emulator.ts';

const emulator = useEmulator();

const methods = () => emulator.requests.map((request) => request.method);
const step = (inputs: Record<string, string> = {}, env: Record<string, string> = {}) =>
  runStep({ inputs: { ...tokenInputs(emulator), ...inputs }, env });

describe('api_url', () => {
  it.each(['api.cloudflare.com/client/v4', 'gateway.internal', 'https://', '//api.cloudflare.com'])(
    '%j is an input error naming api_url, listed with the other problems',
    async (apiUrl) => {
      const run = await step({ api_url: apiUrl, port: 'x' });

      expect(run.code).toBe(1);
      const log = visibleLog(run);
      expect(log).toContain('Input `api_url` must be an http(s) URL such as https://api.cloudflare.com/client/v4');
      expect(log).toContain('Input `port` must be an integer');
      expect(log).not.toContain('Invalid URL');
      expect(emulator.requests).toEqual([]);
    },
  );

  it.each(['pa#ss-9f2c', 'p/ss-9f2c', 'p?ss-9f2c', 'p@ss-9f2c'])(
    'never shows or leaves unmasked a password with %j in it',
    async (password) => {
      const run = await step({ api_url: `https://deploy:${password}@gateway.example/client/v4` });

      expect(run.code).toBe(1);
      expect(everythingShown(run)).not.toContain('ss-9f2c');
      expect(run.stdout).toContain(`::add-mask::${password}`);
    },
  );

  it('refuses a user name and password in api_url, and never shows the password', async () => {
    const run = await step({ api_url: 'https://deploy:hunter2-secret@gateway.example/client/v4' });

    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain('Input `api_url` must not contain a user name or password');
    expect(visibleLog(run)).toContain('"https://***@gateway.example/client/v4"');
    expect(everythingShown(run)).not.toContain('hunter2-secret');
    expect(everythingShown(run)).not.toContain('deploy:');
  });
});

describe('credentials with a character that cannot be sent', () => {
  it.each([
    ['api_token', { api_token: 'cfut_first\ncfut_second' }, {}, 'Input `api_token` contains a line break'],
    ['api_key', { api_token: '', api_email: 'a@example.com', api_key: 'key\twith-tab' }, {}, 'Input `api_key`'],
    [
      'CLOUDFLARE_API_TOKEN',
      { api_token: '' },
      { CLOUDFLARE_API_TOKEN: 'cfut_a\rcfut_b' },
      'Environment variable CLOUDFLARE_API_TOKEN contains a line break',
    ],
  ])('%s: an input error before any request, never retried, value not shown', async (_n, inputs, env, message) => {
    const run = await step(inputs, env);

    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain(message);
    expect(visibleLog(run)).not.toMatch(/waiting|authorization|network/i);
    expect(emulator.requests).toEqual([]);
    for (const secret of ['cfut_first', 'cfut_second', 'with-tab', 'cfut_a', 'cfut_b']) {
      expect(everythingShown(run)).not.toContain(secret);
    }
  });
});

describe('state: absent by two runs at once', () => {
  it('a peer deleted by another run between lookup and delete is success, reported as not_found', async () => {
    const peer = emulator.seedPeer({ name: 'primary-ns1' });
    // The lookup's answer is computed, then held back while a parallel run deletes the peer.
    emulator.inject({ method: 'GET', fault: { kind: 'delay', ms: 400, commit: true } });
    const running = step({ state: 'absent' });
    while (emulator.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const other = await fetch(`${emulator.url}/accounts/${emulator.accountId}/secondary_dns/peers/${peer.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${emulator.token}` },
    });
    expect(other.status).toBe(200);
    const run = await running;

    expect(run.code, visibleLog(run)).toBe(0);
    expect(run.outputs.operation).toBe('not_found');
    expect(visibleLog(run)).toContain(`Peer ${peer.id} was deleted by someone else between lookup and delete`);
    expect(methods()).toEqual(['GET', 'DELETE', 'DELETE', 'GET']);
  });
});

describe('"not found" is decided by the List, not by a 404 code', () => {
  it('a peer the Get calls missing but the List shows is there', async () => {
    const peer = emulator.seedPeer({ name: 'primary-ns1', ip: '192.0.2.1' });
    emulator.inject({ method: 'GET', path: /\/peers\/[0-9a-f]+$/, fault: { kind: 'status', status: 404 } });
    const run = await step({ peer_id: peer.id, name: '', state: 'absent' });

    expect(run.code, visibleLog(run)).toBe(0);
    expect(run.outputs.operation).toBe('deleted');
    expect(emulator.peers()).toEqual([]);
  });

  it('a 404 whose List fails too is an error about the account, not not_found', async () => {
    emulator.inject({ method: 'GET', times: 2, fault: { kind: 'status', status: 404, code: 1234 } });
    const run = await step({ peer_id: 'a'.repeat(32), name: '', state: 'absent' });

    expect(run.code).toBe(1);
    expect(run.outputs).toEqual({});
    expect(visibleLog(run)).toContain(`GET /accounts/${emulator.accountId}/secondary_dns/peers failed (HTTP 404`);
  });
});

describe('429 without Retry-After', () => {
  it('waits at least a second before the retry', async () => {
    emulator.inject({ method: 'GET', fault: { kind: 'status', status: 429 } });
    const run = await step();

    expect(run.code, visibleLog(run)).toBe(0);
    const waited = /429 \(code 971\); waiting (\d+\.\d) s before attempt 2/.exec(visibleLog(run))?.[1];
    expect(Number(waited)).toBeGreaterThanOrEqual(1);
  });
});

describe('servers that are not the API', () => {
  let server: Server;
  let answer: { status: number; headers: Record<string, string>; body: string };
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(answer.status, answer.headers).end(answer.body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it.each([301, 307])('a %i redirect is named as one, with where it points and no credentials', async (status) => {
    answer = {
      status,
      headers: {
        location: 'https://ops:s3cret-pass@gateway.example/client/v4/accounts',
        'cf-ray': '8f00aa11bb22cc33-AMS',
      },
      body: '<html>Moved</html>',
    };
    const run = await step({ api_url: url });

    expect(run.code).toBe(1);
    const log = visibleLog(run);
    expect(log).toContain(`(HTTP ${status}, cf-ray 8f00aa11bb22cc33-AMS)`);
    expect(log).toContain('answered with a redirect to https://***@gateway.example/client/v4/accounts');
    expect(log).not.toContain('JSON');
    expect(log).not.toContain('waiting');
    expect(everythingShown(run)).not.toContain('s3cret-pass');
  });

  it('every failure that got an answer shows its cf-ray', async () => {
    answer = {
      status: 403,
      headers: { 'content-type': 'application/json', 'cf-ray': '8f0123456789abcd-FRA' },
      body: JSON.stringify({ success: false, errors: [{ code: 9109, message: 'Invalid access token' }], result: null }),
    };
    const run = await step({ api_url: url });

    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain('failed (HTTP 403, cf-ray 8f0123456789abcd-FRA): Invalid access token');
  });
});

describe('proxy authentication', () => {
  it('a 407 fails at once, names HTTPS_PROXY, and shows no proxy password', async () => {
    const tls = makeSelfSignedCert(['api.cloudflare.test']);
    const secure = await startEmulator({ tls });
    const proxy = await startProxy({
      connectTo: { host: '127.0.0.1', port: secure.port },
      credentials: 'ci:right-password',
    });
    try {
      const run = await runStep({
        inputs: { ...tokenInputs(secure), api_url: 'https://api.cloudflare.test/client/v4' },
        env: {
          HTTPS_PROXY: proxy.url.replace('http://', 'http://ci:wrong-password@'),
          NODE_EXTRA_CA_CERTS: tls.certPath,
        },
      });

      expect(run.code).toBe(1);
      const log = visibleLog(run);
      expect(log).toContain('the proxy refused the credentials in HTTPS_PROXY (407 Proxy Authentication Required)');
      expect(log).not.toContain('waiting');
      expect(proxy.connects).toHaveLength(1);
      expect(everythingShown(run)).not.toContain('wrong-password');
      expect(secure.requests).toEqual([]);
    } finally {
      await proxy.close();
      await secure.close();
    }
  });
});

describe('step debug logging', () => {
  it('one debug line per request with method, path, status, duration and attempt; never the credential', async () => {
    emulator.inject({ method: 'GET', fault: { kind: 'status', status: 500 } });
    const run = await step({ ip: '192.0.2.53' }, { RUNNER_DEBUG: '1' });

    expect(run.code, visibleLog(run)).toBe(0);
    const lines = run.stdout.split('\n').filter((line) => line.startsWith('::debug::'));
    const peers = `/accounts/${emulator.accountId}/secondary_dns/peers`;
    const ray = emulator.requests.map((r) => r.ray);
    expect(lines.map((line) => line.replace(/ in \d+ ms/, ''))).toEqual([
      `::debug::Cloudflare GET ${peers}: HTTP 500 (attempt 1, cf-ray ${ray[0]})`,
      `::debug::Cloudflare GET ${peers}: HTTP 200 (attempt 2, cf-ray ${ray[1]})`,
      `::debug::Cloudflare POST ${peers}: HTTP 200 (attempt 1, cf-ray ${ray[2]})`,
      `::debug::Cloudflare PUT ${peers}/${run.outputs.peer_id}: HTTP 200 (attempt 1, cf-ray ${ray[3]})`,
    ]);
    expect(visibleLog(run)).not.toContain(emulator.token);
  });

  it('prints nothing of the kind when debug logging is off', async () => {
    const run = await step();
    expect(run.stdout).not.toContain('::debug::');
  });
});
