// The official Cloudflare SDK, unchanged, as a client of the emulator: if the SDK can manage peers and
// TSIGs against it and reads its errors as the right typed errors, the emulator speaks Cloudflare's API.
import Cloudflare, {
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'cloudflare';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../use-emulator.ts';

const em = useEmulator();

type Auth = { apiToken: string } | { apiEmail: string; apiKey: string } | Record<string, never>;

/** Every credential the SDK could pick up from the environment is set explicitly, so only `auth` is sent. */
function sdk(auth: Auth = { apiToken: em.token }): Cloudflare {
  return new Cloudflare({
    apiToken: null,
    apiEmail: null,
    apiKey: null,
    userServiceKey: null,
    ...auth,
    baseURL: em.url,
    maxRetries: 0,
  });
}

const account = () => ({ account_id: em.accountId });

describe('peers', () => {
  it('creates, lists, gets, updates and deletes a peer', async () => {
    const peers = sdk().dns.zoneTransfers.peers;
    const created = await peers.create({ ...account(), name: 'ns1' });
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: 'ns1',
      ip: '',
      port: 0,
      ixfr_enable: false,
    });

    const tsig = em.seedTsig({ name: 'xfr.', algo: 'hmac-sha512.', secret: 'c2VjcmV0' });
    const desired = { name: 'ns1', ip: '192.0.2.53', port: 5353, ixfr_enable: true, tsig_id: tsig.id };
    expect(await peers.update(created.id, { ...account(), ...desired })).toEqual({ id: created.id, ...desired });

    const listed = [];
    for await (const peer of peers.list(account())) listed.push(peer);
    expect(listed).toEqual([{ id: created.id, ...desired }]);
    expect(await peers.get(created.id, account())).toEqual({ id: created.id, ...desired });

    expect(await peers.delete(created.id, account())).toEqual({ id: created.id });
    expect(em.peers()).toEqual([]);
    expect(em.requests.map((r) => r.method)).toEqual(['POST', 'PUT', 'GET', 'GET', 'DELETE']);
  });

  it('works with a Global API Key', async () => {
    const peers = sdk({ apiEmail: em.email, apiKey: em.apiKey }).dns.zoneTransfers.peers;
    await peers.create({ ...account(), name: 'legacy' });
    expect((await peers.list(account())).result.map((p) => p.name)).toEqual(['legacy']);
    expect(em.requests[0]?.headers['x-auth-key']).toBe(em.apiKey);
  });
});

describe('TSIGs', () => {
  it('creates, lists, gets, updates and deletes a TSIG', async () => {
    const tsigs = sdk().dns.zoneTransfers.tsigs;
    const created = await tsigs.create({ ...account(), name: 'xfr.', algo: 'hmac-sha512.', secret: 'c2VjcmV0' });
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: 'xfr.',
      algo: 'hmac-sha512.',
      secret: 'c2VjcmV0',
    });

    const rotated = { name: 'xfr.', algo: 'hmac-sha256.', secret: 'bmV3' };
    expect(await tsigs.update(created.id, { ...account(), ...rotated })).toEqual({ id: created.id, ...rotated });
    expect((await tsigs.list(account())).result).toEqual([{ id: created.id, ...rotated }]);
    expect(await tsigs.get(created.id, account())).toEqual({ id: created.id, ...rotated });

    expect(await tsigs.delete(created.id, account())).toEqual({ id: created.id });
    expect(em.tsigs()).toEqual([]);
  });
});

describe('typed errors', () => {
  const unknown = 'ffffffffffffffffffffffffffffffff';

  it.each([
    ['an unknown token', { apiToken: 'cfut_not_a_token_0123456789' }, PermissionDeniedError, 403, 9109],
    [
      'a wrong Global API Key',
      { apiEmail: 'dns-admin@example.com', apiKey: 'cfk_wrong' },
      PermissionDeniedError,
      403,
      9103,
    ],
    ['no credentials at all', {}, BadRequestError, 400, 9106],
  ] as const)('reads %s as its typed error', async (_label, auth, type, status, code) => {
    const error = await sdk(auth)
      .dns.zoneTransfers.peers.list(account())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect(error).not.toBeInstanceOf(AuthenticationError); // Cloudflare answers bad credentials with 403, not 401
    expect(error).toMatchObject({ status, errors: [expect.objectContaining({ code })] });
  });

  it('reads a read-only token that writes as PermissionDenied (code 10000)', async () => {
    const error = await sdk({ apiToken: em.readOnlyToken })
      .dns.zoneTransfers.tsigs.create({ ...account(), name: 'k.', algo: 'hmac-sha256.', secret: 's' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ errors: [expect.objectContaining({ code: 10000 })] });
  });

  it('reads an unknown id as NotFound, for every item operation of peers and TSIGs', async () => {
    const { peers, tsigs } = sdk().dns.zoneTransfers;
    // Thunks: an SDK call starts the request as soon as it is made.
    const calls = [
      () => peers.get(unknown, account()),
      () => peers.update(unknown, { ...account(), name: 'x' }),
      () => peers.delete(unknown, account()),
      () => tsigs.get(unknown, account()),
      () => tsigs.update(unknown, { ...account(), name: 'k.', algo: 'hmac-sha256.', secret: 's' }),
      () => tsigs.delete(unknown, account()),
    ];
    for (const call of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ status: 404 });
    }
    expect(em.requests).toHaveLength(6);
  });

  it('reads a spent budget as RateLimit, with the headers Cloudflare sends', async () => {
    em.rateLimit({ remaining: 0, resetSeconds: 42 });
    const error = await sdk()
      .dns.zoneTransfers.peers.list(account())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    const headers = (error as RateLimitError).headers;
    expect([headers.get('retry-after'), headers.get('ratelimit'), headers.get('cf-ray')]).toEqual([
      '42',
      '"default";r=0;t=42',
      em.requests[0]?.ray,
    ]);
  });
});
