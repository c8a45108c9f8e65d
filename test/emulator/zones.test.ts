import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it, vi } from 'vitest';
import { expectContract } from '../contract/exchanges.ts';
import { LOOPBACK_GUARD } from '../harness.ts';
import { useEmulator } from '../use-emulator.ts';

// Every answer, to the zone endpoints too, is what Cloudflare publishes (some requests are wrong on purpose).
const em = useEmulator({ contract: 'answers' });

// biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary JSON
type Json = any;

async function call(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; auth?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; json: Json }> {
  const auth = options.auth ?? { Authorization: `Bearer ${options.token ?? em.token}` };
  const res = await fetch(`${em.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...auth },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: res.status, headers: res.headers, json: await res.json() };
}

const incoming = (zoneId: string): string => `/zones/${zoneId}/secondary_dns/incoming`;
const outgoing = (zoneId: string, action = ''): string => `/zones/${zoneId}/secondary_dns/outgoing${action}`;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** A peer the zone can transfer with (it has an address). */
function peer(name: string, tsigId?: string): string {
  return em.seedPeer({ name, ip: '192.0.2.53', port: 53, ...(tsigId ? { tsig_id: tsigId } : {}) }).id;
}

function secondaryZone(name = 'example.com'): string {
  return em.seedZone({ name, type: 'secondary' }).id;
}

const serialOf = (zoneId: string, direction: 'incoming' | 'outgoing'): number | undefined =>
  em.zones().find((zone) => zone.id === zoneId)?.[direction]?.soa_serial;

describe('List Zones (lookup by name)', () => {
  it('finds a zone by exact name within the account, with a list envelope', async () => {
    const zone = em.seedZone({ name: 'Example.COM.' });
    em.seedZone({ name: 'example.net', type: 'secondary' });
    em.seedZone({ name: 'example.com', accountId: 'ffffffffffffffffffffffffffffffff' });

    const res = await call('GET', `/zones?name=example.com&account.id=${em.accountId}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ success: true, errors: [], messages: [] });
    expect(res.json.result).toHaveLength(1);
    expect(res.json.result[0]).toMatchObject({
      id: zone.id,
      name: 'example.com',
      status: 'active',
      type: 'full',
      account: { id: em.accountId, name: expect.any(String) },
    });
    expect(res.json.result_info).toEqual({ page: 1, per_page: 20, count: 1, total_count: 1, total_pages: 1 });
    expect(em.requests[0]?.query).toBe(`name=example.com&account.id=${em.accountId}`);
  });

  it('answers an empty list for an unknown name or another account, never a foreign zone', async () => {
    em.seedZone({ name: 'example.org', accountId: 'ffffffffffffffffffffffffffffffff' });
    for (const query of ['name=missing.example', 'name=example.org', 'account.id=ffffffffffffffffffffffffffffffff']) {
      const res = await call('GET', `/zones?${query}`);
      expect(res.json.result, query).toEqual([]);
      expect(res.json.result_info).toMatchObject({ count: 0, total_count: 0, total_pages: 0 });
    }
  });

  it('paginates and checks page and per_page', async () => {
    for (let i = 0; i < 7; i++) em.seedZone({ name: `z${i}.example` });
    const second = await call('GET', '/zones?per_page=5&page=2');
    expect(second.json.result.map((z: Json) => z.name)).toEqual(['z5.example', 'z6.example']);
    expect(second.json.result_info).toEqual({ page: 2, per_page: 5, count: 2, total_count: 7, total_pages: 2 });
    const bad = await call('GET', '/zones?per_page=500');
    expect([bad.status, bad.json.errors[0].code]).toEqual([400, 1001]);
  });

  it('reads one zone by id', async () => {
    const zone = em.seedZone({ name: 'example.com', type: 'secondary' });
    const res = await call('GET', `/zones/${zone.id}`);
    expect(res.json.result).toMatchObject({ id: zone.id, name: 'example.com', type: 'secondary' });
  });
});

describe('Create Zone and Delete Zone', () => {
  const create = (name: string, type?: string, token?: string) =>
    call('POST', '/zones', { token, body: { account: { id: em.accountId }, name, ...(type ? { type } : {}) } });
  const SECONDARY_NS = /^ns\d{4}\.secondary\.cloudflare\.com$/;

  it('creates a pending secondary zone with two secondary nameservers, found by id and by name', async () => {
    const res = await create('example.com', 'secondary');
    expect(res.status).toBe(200);
    const zone = res.json.result;
    expect(zone).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: 'example.com',
      type: 'secondary',
      status: 'pending',
      activated_on: null,
      account: { id: em.accountId, name: expect.any(String) },
    });
    expect(zone.name_servers).toEqual([expect.stringMatching(SECONDARY_NS), expect.stringMatching(SECONDARY_NS)]);
    expect(new Set(zone.name_servers).size).toBe(2);
    expect((await call('GET', `/zones/${zone.id}`)).json.result).toEqual(zone);
    expect((await call('GET', '/zones?name=example.com')).json.result).toEqual([zone]);
    expect(em.zones()).toMatchObject([{ id: zone.id, type: 'secondary', status: 'pending' }]);
    // The well-formed requests of this scenario are what the document asks for, too.
    expectContract(em);
  });

  it('creates full (the default) and partial zones with ns.cloudflare.com nameservers', async () => {
    for (const [name, type, expected] of [
      ['full.example', undefined, 'full'],
      ['partial.example', 'partial', 'partial'],
    ] as const) {
      const zone = (await create(name, type)).json.result;
      expect([zone.type, zone.status]).toEqual([expected, 'pending']);
      expect(zone.name_servers).toEqual([
        expect.stringMatching(/^[a-z]+\.ns\.cloudflare\.com$/),
        expect.stringMatching(/^[a-z]+\.ns\.cloudflare\.com$/),
      ]);
      expect(new Set(zone.name_servers).size).toBe(2);
    }
  });

  it("refuses a name the account has, in any case, with Cloudflare's 1061; another account's zone does not count", async () => {
    const seeded = em.seedZone({ name: 'example.com', type: 'secondary' });
    em.seedZone({ name: 'example.net', accountId: 'ffffffffffffffffffffffffffffffff' });
    const again = await create('Example.COM', 'secondary');
    expect([again.status, again.json.errors]).toEqual([
      400,
      [{ code: 1061, message: 'example.com already exists', documentation_url: expect.any(String) }],
    ]);
    expect(em.zones().filter((zone) => zone.name === 'example.com')).toEqual([expect.objectContaining(seeded)]);
    expect((await create('example.net', 'secondary')).status).toBe(200);
  });

  it.each([
    ['a trailing dot', { name: 'example.com.', type: 'secondary' }, '/name'],
    ['a single label', { name: 'localhost' }, '/name'],
    ['a space', { name: 'exa mple.com' }, '/name'],
    ['a label over 63 characters', { name: `${'a'.repeat(64)}.com` }, '/name'],
    ['no name', { type: 'secondary' }, '/name'],
    ['type internal', { name: 'example.com', type: 'internal' }, '/type'],
    ['an unknown type', { name: 'example.com', type: 'primary' }, '/type'],
  ])('refuses %s with 400 naming the field', async (_label, fields, pointer) => {
    const res = await call('POST', '/zones', { body: { account: { id: em.accountId }, ...fields } });
    expect([res.status, res.json.errors[0].code, res.json.errors[0].source]).toEqual([400, 1001, { pointer }]);
    expect(em.zones()).toEqual([]);
  });

  it('refuses a body without account, and another account', async () => {
    const none = await call('POST', '/zones', { body: { name: 'example.com' } });
    expect([none.status, none.json.errors[0].source]).toEqual([400, { pointer: '/account' }]);
    const other = await call('POST', '/zones', {
      body: { account: { id: 'ffffffffffffffffffffffffffffffff' }, name: 'example.com' },
    });
    expect([other.status, other.json.errors[0].code]).toEqual([403, 10000]);
    expect(em.zones()).toEqual([]);
  });

  it('needs Zone Edit: read-only, account-only and zone-settings tokens get 403, and nothing changes', async () => {
    const zone = em.seedZone({ name: 'kept.example', type: 'secondary' });
    for (const token of [em.readOnlyToken, em.accountOnlyToken, em.zoneOnlyToken]) {
      const created = await create('new.example', 'secondary', token);
      expect([created.status, created.json.errors[0].code]).toEqual([403, 10000]);
      const deleted = await call('DELETE', `/zones/${zone.id}`, { token });
      expect([deleted.status, deleted.json.errors[0].code]).toEqual([403, 10000]);
    }
    expect(em.zones().map((z) => z.name)).toEqual(['kept.example']);
    const key = await call('POST', '/zones', {
      auth: { 'X-Auth-Email': em.email, 'X-Auth-Key': em.apiKey },
      body: { account: { id: em.accountId }, name: 'new.example', type: 'secondary' },
    });
    expect(key.status).toBe(200);
  });

  it('deletes a zone with its transfer configurations; then it is gone for every zone path', async () => {
    const a = peer('a');
    const zone = em.seedZone({ name: 'example.com', type: 'secondary', incoming: { peers: [a] } });
    em.transfers({ delayMs: 10_000 });
    await call('POST', `/zones/${zone.id}/secondary_dns/force_axfr`);
    const res = await call('DELETE', `/zones/${zone.id}`);
    expect([res.status, res.json.result]).toEqual([200, { id: zone.id }]);
    expect(em.zones()).toEqual([]);
    for (const [method, path] of [
      ['GET', `/zones/${zone.id}`],
      ['DELETE', `/zones/${zone.id}`],
      ['GET', incoming(zone.id)],
    ] as const) {
      const gone = await call(method, path);
      expect([gone.status, gone.json.errors[0].code], `${method} ${path}`).toEqual([404, 7003]);
    }
    expect((await call('GET', '/zones?name=example.com')).json.result).toEqual([]);
    // The name is free again: a new zone, with no configuration.
    const again = (await create('example.com', 'secondary')).json.result;
    expect(again.id).not.toBe(zone.id);
    expect((await call('GET', incoming(again.id))).status).toBe(404);
  });

  it("does not delete another account's zone", async () => {
    const foreign = em.seedZone({ name: 'example.com', accountId: 'ffffffffffffffffffffffffffffffff' });
    const res = await call('DELETE', `/zones/${foreign.id}`);
    expect([res.status, res.json.errors[0].code]).toEqual([404, 7003]);
    expect(em.zones()).toHaveLength(1);
  });

  it('seeded zones are active with nameservers of their type, unless told otherwise; setZoneStatus changes it', async () => {
    const full = em.seedZone({ name: 'full.example' });
    const secondary = em.seedZone({ name: 'sec.example', type: 'secondary', status: 'pending' });
    const fixed = em.seedZone({ name: 'ns.example', nameServers: ['a.ns.example', 'b.ns.example'] });
    const listed: Json[] = (await call('GET', '/zones')).json.result;
    expect(listed.map((z) => [z.name, z.status, z.activated_on === null])).toEqual([
      ['full.example', 'active', false],
      ['sec.example', 'pending', true],
      ['ns.example', 'active', false],
    ]);
    expect(listed[0].name_servers).toEqual(full.nameServers);
    expect(full.nameServers).toEqual([expect.stringMatching(/\.ns\.cloudflare\.com$/), expect.any(String)]);
    expect(secondary.nameServers).toEqual([expect.stringMatching(SECONDARY_NS), expect.stringMatching(SECONDARY_NS)]);
    expect(listed[2].name_servers).toEqual(fixed.nameServers);

    expect(em.setZoneStatus(secondary.id, 'active')).toMatchObject({
      status: 'active',
      activatedOn: expect.any(String),
    });
    expect((await call('GET', `/zones/${secondary.id}`)).json.result).toMatchObject({
      status: 'active',
      activated_on: expect.stringMatching(TIME),
    });
    expect(() => em.setZoneStatus('abcdefabcdefabcdefabcdefabcdefab', 'active')).toThrow(/no zone/);
  });

  it('applies faults: a lost answer after the commit leaves the zone, a 503 before it does not', async () => {
    const body = { account: { id: em.accountId }, name: 'example.com', type: 'secondary' };
    em.inject({ method: 'POST', path: '/client/v4/zones', fault: { kind: 'status', status: 503 } });
    expect((await call('POST', '/zones', { body })).status).toBe(503);
    expect(em.zones()).toEqual([]);

    em.inject({ method: 'POST', path: '/client/v4/zones', fault: { kind: 'reset-after' } });
    await expect(call('POST', '/zones', { body })).rejects.toThrow();
    expect(em.zones()).toMatchObject([{ name: 'example.com', type: 'secondary', status: 'pending' }]);
    expect(em.requests.at(-1)?.fault).toBe('reset-after');
    expect(em.requests.at(-1)?.answer).toBeUndefined();

    // A DELETE whose answer is lost went through: a retry finds nothing.
    const zoneId = em.zones()[0]?.id;
    em.inject({ method: 'DELETE', path: /^\/client\/v4\/zones\/[0-9a-f]{32}$/, fault: { kind: 'reset-after' } });
    await expect(call('DELETE', `/zones/${zoneId}`)).rejects.toThrow();
    expect(em.zones()).toEqual([]);
    expect((await call('DELETE', `/zones/${zoneId}`)).status).toBe(404);
  });
});

describe('incoming (Cloudflare is secondary)', () => {
  it('creates, reads, adds a peer keeping the others, and deletes', async () => {
    const zoneId = secondaryZone();
    const [a, b] = [peer('a'), peer('b')];

    const none = await call('GET', incoming(zoneId));
    expect(none.status).toBe(404);
    expect(none.json).toMatchObject({ success: false, result: null });
    expect(none.json.errors[0].code).not.toBe(7003); // a missing configuration is not a routing error

    const body = { name: 'example.com', peers: [a], auto_refresh_seconds: 86400 };
    const created = await call('POST', incoming(zoneId), { body });
    expect(created.status).toBe(200);
    expect(created.json.result).toEqual({
      id: zoneId,
      name: 'example.com',
      peers: [a],
      auto_refresh_seconds: 86400,
      checked_time: expect.any(String),
      created_time: expect.stringMatching(TIME),
      modified_time: expect.stringMatching(TIME),
      soa_serial: 0,
    });
    expect((await call('GET', incoming(zoneId))).json.result).toEqual(created.json.result);

    const again = await call('POST', incoming(zoneId), { body });
    expect([again.status, again.json.errors[0].code]).toEqual([400, 1004]);

    const updated = await call('PUT', incoming(zoneId), {
      body: { ...body, peers: [a, b], auto_refresh_seconds: 300 },
    });
    expect(updated.json.result).toMatchObject({ peers: [a, b], auto_refresh_seconds: 300 });
    expect(em.zones()[0]?.incoming?.peers).toEqual([a, b]);

    expect((await call('DELETE', incoming(zoneId))).json.result).toEqual({ id: zoneId });
    expect((await call('GET', incoming(zoneId))).status).toBe(404);
    expect((await call('PUT', incoming(zoneId), { body })).status).toBe(404);
    expect(em.zones()[0]?.incoming).toBeUndefined();
  });

  it('refuses a configuration on a zone that is not a secondary zone', async () => {
    const zone = em.seedZone({ name: 'example.com' });
    const body = { name: 'example.com', peers: [peer('a')], auto_refresh_seconds: 86400 };
    const res = await call('POST', incoming(zone.id), { body });
    expect([res.status, res.json.errors[0].code]).toEqual([400, 1005]);
    expect(res.json.errors[0].message).toContain('not a secondary zone');
  });

  it.each([
    ['a missing auto_refresh_seconds', { auto_refresh_seconds: undefined }, '/auto_refresh_seconds'],
    ['auto_refresh_seconds below 300', { auto_refresh_seconds: 299 }, '/auto_refresh_seconds'],
    ['a fractional auto_refresh_seconds', { auto_refresh_seconds: 3600.5 }, '/auto_refresh_seconds'],
    ['another zone name', { name: 'example.net' }, '/name'],
    ['a missing name', { name: undefined }, '/name'],
    ['peers that are not a list', { peers: 'abc' }, '/peers'],
    ['an unknown peer', { peers: ['ffffffffffffffffffffffffffffffff'] }, '/peers'],
  ])('refuses %s', async (_label, change, pointer) => {
    const zoneId = secondaryZone();
    const body = { name: 'example.com', peers: [peer('a')], auto_refresh_seconds: 86400, ...change };
    const res = await call('POST', incoming(zoneId), { body });
    expect(res.status).toBe(400);
    expect(res.json.errors[0]).toMatchObject({ code: 1001, source: { pointer } });
    expect(em.zones()[0]?.incoming).toBeUndefined();
  });

  it('accepts the zone name with a trailing dot or other case', async () => {
    const zoneId = secondaryZone();
    const body = { name: 'EXAMPLE.com.', peers: [peer('a')], auto_refresh_seconds: 300 };
    expect((await call('POST', incoming(zoneId), { body })).json.result.name).toBe('example.com');
  });

  it('refuses a peer listed twice', async () => {
    const zoneId = secondaryZone();
    const a = peer('a');
    const res = await call('POST', incoming(zoneId), {
      body: { name: 'example.com', peers: [a, a], auto_refresh_seconds: 300 },
    });
    expect(res.json.errors[0].message).toContain('more than once');
  });

  it('links at most 30 peers to a zone', async () => {
    const ids = Array.from({ length: 31 }, (_, i) => peer(`p${i}`));
    const zone = em.seedZone({ name: 'example.com', type: 'secondary', incoming: { peers: ids.slice(0, 30) } });
    const body = { name: 'example.com', peers: ids, auto_refresh_seconds: 86400 };
    const res = await call('PUT', incoming(zone.id), { body });
    expect(res.status).toBe(400);
    expect(res.json.errors[0]).toMatchObject({ code: 1001, source: { pointer: '/peers' } });
    expect(res.json.errors[0].message).toContain('at most 30 peers');
    expect(em.zones()[0]?.incoming?.peers).toHaveLength(30);
  });

  it('refuses peers that do not all share one TSIG key, or all have none', async () => {
    const k1 = em.seedTsig({ name: 'k1.', algo: 'hmac-sha256.', secret: 'czE=' }).id;
    const k2 = em.seedTsig({ name: 'k2.', algo: 'hmac-sha256.', secret: 'czI=' }).id;
    const zoneId = secondaryZone();
    const body = (peers: string[]) => ({ body: { name: 'example.com', peers, auto_refresh_seconds: 300 } });

    for (const mixed of [
      [peer('keyed', k1), peer('bare')],
      [peer('one', k1), peer('two', k2)],
    ]) {
      const res = await call('POST', incoming(zoneId), body(mixed));
      expect(res.status).toBe(400);
      expect(res.json.errors[0].message).toMatch(/same TSIG key \(tsig_id\) or none/);
    }
    expect((await call('POST', incoming(zoneId), body([peer('x', k1), peer('y', k1)]))).status).toBe(200);
    expect((await call('PUT', incoming(zoneId), body([peer('x2', k1), peer('z')]))).status).toBe(400);
  });

  it('force_axfr needs a configuration and answers a string', async () => {
    const zoneId = secondaryZone();
    const missing = await call('POST', `/zones/${zoneId}/secondary_dns/force_axfr`);
    expect([missing.status, missing.json.success]).toEqual([404, false]);
    em.seedZone({ name: 'example.net', type: 'secondary', incoming: { peers: [peer('a')] } });
    const other = em.zones()[1]?.id ?? '';
    const res = await call('POST', `/zones/${other}/secondary_dns/force_axfr`);
    expect(res.json).toEqual({ success: true, errors: [], messages: [], result: 'OK' });
  });
});

describe('outgoing (Cloudflare is primary)', () => {
  it('creates disabled, enables, reports status, updates, disables and deletes', async () => {
    const zone = em.seedZone({ name: 'example.com' });
    const [a, b] = [peer('a'), peer('b')];
    expect((await call('GET', outgoing(zone.id))).status).toBe(404);
    expect((await call('POST', outgoing(zone.id, '/enable'))).status).toBe(404);

    const created = await call('POST', outgoing(zone.id), { body: { name: 'example.com', peers: [a] } });
    expect(created.json.result).toEqual({
      id: zone.id,
      name: 'example.com',
      peers: [a],
      checked_time: expect.any(String),
      created_time: expect.stringMatching(TIME),
      last_transferred_time: expect.any(String),
      soa_serial: 0,
    });
    expect((await call('GET', outgoing(zone.id, '/status'))).json.result).toBe('Disabled');
    expect((await call('POST', outgoing(zone.id, '/enable'))).json.result).toBe('Enabled');
    expect((await call('GET', outgoing(zone.id, '/status'))).json.result).toBe('Enabled');

    const updated = await call('PUT', outgoing(zone.id), { body: { name: 'example.com', peers: [a, b] } });
    expect(updated.json.result.peers).toEqual([a, b]);
    expect((await call('POST', outgoing(zone.id, '/force_notify'))).json.result).toBe('OK');
    expect((await call('POST', outgoing(zone.id, '/disable'))).json.result).toBe('Disabled');
    expect(em.zones()[0]?.outgoingEnabled).toBe(false);

    const posted = await call('POST', outgoing(zone.id), { body: { name: 'example.com', peers: [a] } });
    expect([posted.status, posted.json.errors[0].code]).toEqual([400, 1004]);
    expect((await call('DELETE', outgoing(zone.id))).json.result).toEqual({ id: zone.id });
    expect((await call('GET', outgoing(zone.id, '/status'))).status).toBe(404);
  });

  it('applies the peer rules: known peers, one TSIG key', async () => {
    const k1 = em.seedTsig({ name: 'k1.', algo: 'hmac-sha256.', secret: 'czE=' }).id;
    const zone = em.seedZone({ name: 'example.com' });
    const res = await call('POST', outgoing(zone.id), {
      body: { name: 'example.com', peers: [peer('a', k1), peer('b')] },
    });
    expect(res.json.errors[0].message).toMatch(/same TSIG key/);
    const noPeers = await call('POST', outgoing(zone.id), { body: { name: 'example.com' } });
    expect(noPeers.json.errors[0].source.pointer).toBe('/peers');
  });
});

describe('simulated transfers', () => {
  const link = (zoneId: string, peers: string[]) =>
    call('POST', incoming(zoneId), { body: { name: 'example.com', peers, auto_refresh_seconds: 86400 } });

  it('move soa_serial and checked_time some time after a link, not at once', async () => {
    const zone = em.seedZone({ name: 'example.com', type: 'secondary', soaSerial: 2026050100 });
    em.transfers({ delayMs: 30 });
    const linked = (await link(zone.id, [peer('a')])).json.result;
    expect(em.transfers().pending).toBe(1);
    expect(linked.soa_serial).toBe(0);

    await vi.waitFor(() => expect(serialOf(zone.id, 'incoming')).toBe(2026050101), { timeout: 2000 });
    const after = (await call('GET', incoming(zone.id))).json.result;
    expect(after.checked_time).toMatch(TIME);
    expect(after.checked_time).not.toBe(linked.checked_time);
    expect(after.modified_time >= linked.modified_time).toBe(true);
    expect(em.transfers().pending).toBe(0);

    // force_axfr transfers again; an update that adds no peer does not.
    await call('POST', `/zones/${zone.id}/secondary_dns/force_axfr`);
    await vi.waitFor(() => expect(serialOf(zone.id, 'incoming')).toBe(2026050102), { timeout: 2000 });
    await call('PUT', incoming(zone.id), {
      body: { name: 'example.com', peers: after.peers, auto_refresh_seconds: 600 },
    });
    expect(em.transfers().pending).toBe(0);
  });

  it('never complete when told so', async () => {
    const zoneId = secondaryZone();
    expect(em.transfers({ never: true })).toEqual({ delayMs: 50, never: true, pending: 0 });
    await link(zoneId, [peer('a')]);
    await call('POST', `/zones/${zoneId}/secondary_dns/force_axfr`);
    expect(em.transfers().pending).toBe(0);
    expect(serialOf(zoneId, 'incoming')).toBe(0);
  });

  it('are dropped by reset, and reset restores the default settings', async () => {
    const zoneId = secondaryZone();
    em.transfers({ delayMs: 60_000 });
    await link(zoneId, [peer('a')]);
    expect(em.transfers().pending).toBe(1);
    em.reset();
    expect(em.transfers()).toEqual({ delayMs: 50, never: false, pending: 0 });
  });

  it('need a peer with an address', async () => {
    const zoneId = secondaryZone();
    const bare = em.seedPeer({ name: 'no-ip' }).id;
    await link(zoneId, [bare]);
    await vi.waitFor(() => expect(em.transfers().pending).toBe(0), { timeout: 2000 });
    expect(serialOf(zoneId, 'incoming')).toBe(0);
  });

  it('outgoing: only while enabled; enabling and force_notify transfer', async () => {
    const zone = em.seedZone({ name: 'example.com', soaSerial: 7 });
    await call('POST', outgoing(zone.id), { body: { name: 'example.com', peers: [peer('a')] } });
    await call('POST', outgoing(zone.id, '/force_notify'));
    expect(em.transfers().pending).toBe(0); // disabled: nothing starts

    await call('POST', outgoing(zone.id, '/enable'));
    await vi.waitFor(() => expect(serialOf(zone.id, 'outgoing')).toBe(8), { timeout: 2000 });
    const first = em.zones()[0]?.outgoing;
    expect(first?.last_transferred_time).toMatch(TIME);

    // Disabled before the pending transfer completes: it does not happen.
    em.transfers({ delayMs: 30 });
    await call('POST', outgoing(zone.id, '/force_notify'));
    expect(em.transfers().pending).toBe(1);
    await call('POST', outgoing(zone.id, '/disable'));
    await vi.waitFor(() => expect(em.transfers().pending).toBe(0), { timeout: 2000 });
    expect(em.zones()[0]?.outgoing).toEqual(first);
  });

  it('a seeded configuration reports a past transfer', () => {
    const zone = em.seedZone({
      name: 'example.com',
      type: 'secondary',
      soaSerial: 42,
      incoming: { peers: [peer('a')], auto_refresh_seconds: 3600 },
    });
    expect(zone.incoming).toMatchObject({
      soa_serial: 42,
      auto_refresh_seconds: 3600,
      checked_time: expect.stringMatching(TIME),
    });
  });
});

describe('auth, routing and faults on zone paths', () => {
  it('needs credentials and lets a read-only token only read', async () => {
    const zoneId = secondaryZone();
    expect((await call('GET', '/zones', { auth: {} })).json.errors[0].code).toBe(9106);
    expect((await call('GET', incoming(zoneId), { auth: { Authorization: 'Bearer nope' } })).status).toBe(403);
    const ro = em.readOnlyToken;
    expect((await call('GET', '/zones', { token: ro })).status).toBe(200);
    expect((await call('GET', incoming(zoneId), { token: ro })).status).toBe(404);
    const write = await call('POST', `/zones/${zoneId}/secondary_dns/force_axfr`, { token: ro });
    expect([write.status, write.json.errors[0].code]).toEqual([403, 10000]);
    const key = await call('GET', '/zones', { auth: { 'X-Auth-Email': em.email, 'X-Auth-Key': em.apiKey } });
    expect(key.status).toBe(200);
  });

  it('keeps account and zone token groups apart', async () => {
    const zoneId = secondaryZone();
    const peers = `/accounts/${em.accountId}/secondary_dns/peers`;
    expect((await call('GET', '/zones', { token: em.accountOnlyToken })).json.errors[0].code).toBe(10000);
    expect((await call('GET', incoming(zoneId), { token: em.accountOnlyToken })).status).toBe(403);
    expect((await call('POST', peers, { token: em.accountOnlyToken, body: { name: 'p' } })).status).toBe(200);
    expect((await call('GET', peers, { token: em.zoneOnlyToken })).status).toBe(403);
    expect((await call('GET', '/zones', { token: em.zoneOnlyToken })).status).toBe(200);
    const body = { name: 'example.com', peers: [peer('a')], auto_refresh_seconds: 300 };
    expect((await call('POST', incoming(zoneId), { token: em.zoneOnlyToken, body })).status).toBe(200);
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const zoneId = secondaryZone();
    for (const [method, path, allow] of [
      ['PUT', '/zones', 'GET, POST'],
      ['PATCH', `/zones/${zoneId}`, 'GET, DELETE'],
      ['PATCH', incoming(zoneId), 'GET, POST, PUT, DELETE'],
      ['GET', `/zones/${zoneId}/secondary_dns/force_axfr`, 'POST'],
      ['POST', outgoing(zoneId, '/status'), 'GET'],
    ] as const) {
      const res = await call(method, path, { body: method === 'GET' ? undefined : {} });
      expect([res.status, res.headers.get('allow'), res.json.errors[0].code]).toEqual([405, allow, 7001]);
    }
  });

  it('answers a routing error for a malformed, unknown or foreign zone id, and unknown paths', async () => {
    const foreign = em.seedZone({ name: 'example.com', accountId: 'ffffffffffffffffffffffffffffffff' });
    const unknown = 'abcdefabcdefabcdefabcdefabcdefab';
    for (const path of [
      incoming('not-a-zone-id'),
      incoming(unknown),
      incoming(foreign.id),
      `/zones/${foreign.id}`,
      `/zones/${secondaryZone()}/secondary_dns/nope`,
    ]) {
      const res = await call('GET', path);
      expect([res.status, res.json.errors[0].code], path).toEqual([404, 7003]);
      expect(res.json.errors[0].message).toBe(`Could not route to ${path}, perhaps your object identifier is invalid?`);
    }
  });

  it('applies faults to zone paths: a 429 does not act, reset-after does', async () => {
    const zoneId = secondaryZone();
    const body = { name: 'example.com', peers: [peer('a')], auto_refresh_seconds: 300 };
    em.inject({ method: 'POST', path: `/client/v4${incoming(zoneId)}`, fault: { kind: 'status', status: 429 } });
    const limited = await call('POST', incoming(zoneId), { body });
    expect([limited.status, limited.json.errors[0].code]).toEqual([429, 971]);
    expect(em.zones()[0]?.incoming).toBeUndefined();

    em.inject({ path: /\/secondary_dns\/incoming$/, fault: { kind: 'reset-after' } });
    await expect(call('POST', incoming(zoneId), { body })).rejects.toThrow();
    expect(em.zones()[0]?.incoming?.peers).toEqual(body.peers);
  });

  it('seedZone refuses a malformed or duplicate id, and incoming on a full zone', () => {
    const zone = em.seedZone({ name: 'example.com' });
    expect(() => em.seedZone({ name: 'again.example', id: zone.id })).toThrow(/already exists/);
    expect(() => em.seedZone({ name: 'bad.example', id: 'XYZ' })).toThrow(/32 lowercase hex/);
    expect(() => em.seedZone({ name: 'full.example', incoming: { peers: [] } })).toThrow(/secondary zone/);
  });
});

describe('CLI', () => {
  const cli = join(import.meta.dirname, 'cli.ts');

  it('seeds --zone and --secondary-zone, prints their ids, and scripts transfers', async () => {
    const child = spawn(process.execPath, [
      '--import',
      LOOPBACK_GUARD,
      cli,
      '--zone',
      'example.com',
      '--secondary-zone',
      'example.net',
      '--transfer-delay-ms',
      'never',
    ]);
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const info = JSON.parse(line);
      expect(Object.keys(info.zones)).toEqual(['example.com', 'example.net']);
      const headers = { Authorization: `Bearer ${info.token}` };
      const found: Json = await (await fetch(`${info.url}/zones?name=example.net`, { headers })).json();
      expect(found.result.map((z: Json) => [z.id, z.type])).toEqual([[info.zones['example.net'], 'secondary']]);
      const zoneOnly = await fetch(`${info.url}/zones`, { headers: { Authorization: `Bearer ${info.zoneOnlyToken}` } });
      expect(zoneOnly.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it.each([
    [['--transfer-delay-ms', 'soon'], /invalid --transfer-delay-ms/],
    [['--zone', 'example.com', '--secondary-zone', 'Example.com.'], /given twice/],
  ])('refuses %j', async (args, message) => {
    const child = spawn(process.execPath, ['--import', LOOPBACK_GUARD, cli, ...args]);
    const stderr = child.stderr.toArray();
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect((await stderr).join('')).toMatch(message);
  });
});
