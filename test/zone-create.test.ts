// The zones client's Create Zone and Delete Zone in process against the emulator: a zone is never created
// twice (a lost answer is followed by a lookup before any second POST), a zone another run created first
// is joined and not claimed, and a refusal for want of Zone Edit is recognisable.
import { describe, expect, it } from 'vitest';
import { CloudflareError } from '../src/cloudflare/errors.ts';
import type { RetryPolicy } from '../src/cloudflare/retry.ts';
import { createTransport, type Send } from '../src/cloudflare/transport.ts';
import { lacksZoneEdit, ZONE_EXISTS, ZoneApi } from '../src/cloudflare/zone.ts';
import { useEmulator } from './use-emulator.ts';

const emulator = useEmulator();

const SECONDARY_NS = /^ns\d{4}\.secondary\.cloudflare\.com$/;

interface ClientOptions {
  maxAttempts?: number;
  token?: string;
  timeoutMs?: number;
  /** Runs before each request is sent, with the request's method and path. */
  before?: (method: string, path: string) => void;
}

function client(options: ClientOptions = {}) {
  const log: string[] = [];
  const retry: RetryPolicy = {
    maxAttempts: options.maxAttempts ?? 5,
    budgetMs: 120_000,
    baseDelayMs: 1_000,
    maxDelayMs: 20_000,
    random: () => 0.5,
    sleep: async () => {},
    log: (line) => log.push(line),
  };
  const transport = createTransport({
    apiUrl: emulator.url,
    credentials: { scheme: 'token', token: options.token ?? emulator.token },
    userAgent: 'test',
    timeoutMs: options.timeoutMs ?? 2_000,
  });
  const send: Send = (req, schema) => {
    options.before?.(req.method, req.path);
    return transport(req, schema);
  };
  return { api: new ZoneApi({ send, retry, accountId: emulator.accountId }), log };
}

const sent = () => emulator.requests.map((request) => `${request.method} ${request.path.replace('/client/v4', '')}`);

describe('Create Zone', () => {
  it('creates a secondary zone of the account, in canonical form, and reports it as created', async () => {
    const { zone, created } = await client().api.createZone('Example.COM.');

    expect(created).toBe(true);
    expect(zone).toMatchObject({ name: 'example.com', type: 'secondary', status: 'pending' });
    expect(zone.name_servers).toEqual([expect.stringMatching(SECONDARY_NS), expect.stringMatching(SECONDARY_NS)]);
    expect(JSON.parse(emulator.requests[0]?.body ?? '')).toEqual({
      account: { id: emulator.accountId },
      name: 'example.com',
      type: 'secondary',
    });
    expect(sent()).toEqual(['POST /zones']);
    expect(emulator.zones()).toMatchObject([{ id: zone.id, type: 'secondary' }]);
  });

  it('adopts the zone when the answer was lost after the commit: one lookup, no second POST', async () => {
    emulator.inject({ method: 'POST', path: '/client/v4/zones', fault: { kind: 'reset-after' } });
    const { api, log } = client();

    const { zone, created } = await api.createZone('example.com');
    expect(created).toBe(true);
    expect(emulator.zones().map((z) => z.id)).toEqual([zone.id]);
    expect(sent()).toEqual(['POST /zones', 'GET /zones']);
    expect(emulator.requests[1]?.query).toBe(`name=example.com&account.id=${emulator.accountId}`);
    expect(log.at(-1)).toBe(`The earlier Create Zone went through after all: adopting zone ${zone.id}`);
  });

  it('adopts the zone when the answer came too late (the request timed out after the commit)', async () => {
    emulator.inject({ method: 'POST', path: '/client/v4/zones', fault: { kind: 'delay', ms: 1_000, commit: true } });

    const { zone, created } = await client({ timeoutMs: 200 }).api.createZone('example.com');
    expect(created).toBe(true);
    expect(emulator.zones().map((z) => z.id)).toEqual([zone.id]);
    expect(sent()).toEqual(['POST /zones', 'GET /zones']);
  });

  it('posts again only when the lookup shows the lost POST made nothing', async () => {
    emulator.inject({ method: 'POST', path: '/client/v4/zones', fault: { kind: 'status', status: 503 } });

    const { zone, created } = await client().api.createZone('example.com');
    expect(created).toBe(true);
    expect(sent()).toEqual(['POST /zones', 'GET /zones', 'POST /zones']);
    expect(emulator.zones().map((z) => z.id)).toEqual([zone.id]);
  });

  it('joins a zone another run created since the caller looked: created false, nothing else sent', async () => {
    const theirs = emulator.seedZone({ name: 'example.com', type: 'secondary', status: 'pending' });

    const { zone, created } = await client().api.createZone('example.com');
    expect(created).toBe(false);
    expect(zone).toMatchObject({ id: theirs.id, name: 'example.com', type: 'secondary' });
    expect(sent()).toEqual(['POST /zones', 'GET /zones']);
    expect(emulator.requests[0]?.answer?.body).toContain(`"code":${ZONE_EXISTS}`);
    expect(emulator.zones()).toHaveLength(1);
  });

  it('does not claim a zone another run created between its lookup after a lost answer and its next POST', async () => {
    emulator.inject({ method: 'POST', path: '/client/v4/zones', fault: { kind: 'status', status: 503 } });
    let posts = 0;
    let theirs = '';
    const before = (method: string, path: string) => {
      if (method === 'POST' && path === '/zones' && ++posts === 2) {
        theirs = emulator.seedZone({ name: 'example.com', type: 'secondary' }).id;
      }
    };

    const { zone, created } = await client({ before }).api.createZone('example.com');
    expect(created).toBe(false);
    expect(zone.id).toBe(theirs);
    expect(sent()).toEqual(['POST /zones', 'GET /zones', 'POST /zones', 'GET /zones']);
    expect(emulator.zones()).toHaveLength(1);
  });

  it('needs Zone Edit: a token without it gets a 403 CloudflareError the caller can recognise', async () => {
    for (const token of [emulator.zoneOnlyToken, emulator.accountOnlyToken, emulator.readOnlyToken]) {
      const error = await client({ token })
        .api.createZone('example.com')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CloudflareError);
      expect((error as CloudflareError).status).toBe(403);
      expect((error as CloudflareError).request).toEqual({ method: 'POST', path: '/zones' });
      expect(lacksZoneEdit(error)).toBe(true);
    }
    expect(sent()).toEqual(['POST /zones', 'POST /zones', 'POST /zones']);
    expect(emulator.zones()).toEqual([]);
  });

  it('a token Cloudflare does not know is not a missing permission', async () => {
    const error = await client({ token: 'cfut_unknown_token_0123456789abcdefghij' })
      .api.createZone('example.com')
      .catch((e: unknown) => e);
    expect((error as CloudflareError).status).toBe(403);
    expect(lacksZoneEdit(error)).toBe(false);
    expect(lacksZoneEdit(new Error('403'))).toBe(false);
  });

  it('a refusal of the name itself is a verdict: no lookup, no retry', async () => {
    // The published pattern lets a label of 64 characters through; DNS (and the emulator) does not.
    const error = await client()
      .api.createZone(`${'a'.repeat(64)}.example`)
      .catch((e: unknown) => e);
    expect((error as CloudflareError).status).toBe(400);
    expect(sent()).toEqual(['POST /zones']);
  });

  it('says so when the lookup after a refusal as existing fails too', async () => {
    emulator.seedZone({ name: 'example.com', type: 'secondary' });
    emulator.inject({ method: 'GET', path: '/client/v4/zones', times: 5, fault: { kind: 'status', status: 503 } });

    await expect(client({ maxAttempts: 2 }).api.createZone('example.com')).rejects.toThrow(
      /code 1061: example.com already exists[\s\S]*Looking up the zone example.com that another run created failed too/,
    );
  });
});

describe('Delete Zone', () => {
  it('deletes the zone and its transfer configuration', async () => {
    const peer = emulator.seedPeer({ name: 'ns1', ip: '192.0.2.53', port: 53 });
    const zone = emulator.seedZone({ name: 'example.com', type: 'secondary', incoming: { peers: [peer.id] } });

    expect(await client().api.deleteZone(zone.id)).toBe('deleted');
    expect(emulator.zones()).toEqual([]);
    expect(sent()).toEqual([`DELETE /zones/${zone.id}`]);
  });

  it('a retried DELETE that finds the zone gone means the lost answer went through', async () => {
    const zone = emulator.seedZone({ name: 'example.com', type: 'secondary' });
    emulator.inject({ method: 'DELETE', fault: { kind: 'reset-after' } });

    expect(await client().api.deleteZone(zone.id)).toBe('deleted');
    expect(sent()).toEqual([`DELETE /zones/${zone.id}`, `DELETE /zones/${zone.id}`]);
    expect(emulator.zones()).toEqual([]);
  });

  it('a zone that is not there on the first attempt is gone', async () => {
    expect(await client().api.deleteZone('abcdefabcdefabcdefabcdefabcdefab')).toBe('gone');
  });

  it('a 403 is recognisable as a missing Zone Edit', async () => {
    const zone = emulator.seedZone({ name: 'example.com', type: 'secondary' });
    const error = await client({ token: emulator.zoneOnlyToken })
      .api.deleteZone(zone.id)
      .catch((e: unknown) => e);
    expect(lacksZoneEdit(error)).toBe(true);
    expect(emulator.zones()).toHaveLength(1);
  });
});

describe('lookups', () => {
  it('read the type, assigned nameservers and status of a zone, by name and by id', async () => {
    const seeded = emulator.seedZone({ name: 'example.com', type: 'secondary', status: 'pending' });
    const { api } = client();

    const [byName] = await api.byName('example.com');
    expect(byName).toMatchObject({ type: 'secondary', status: 'pending', name_servers: seeded.nameServers });
    expect(await api.inAccount(seeded.id)).toMatchObject({ type: 'secondary', name_servers: seeded.nameServers });
  });
});
