// The peer linked to its zones in one step, end to end through dist/: by name and by id, both roles,
// a new or an existing configuration (other peers kept), re-runs that only read, the refusals (30
// peers, mixed TSIG keys, a zone's last peer), rollback when one zone of several fails, cleanup, dry
// run, and a forced transfer waited for until it happens or the time is up.
import { describe, expect, it } from 'vitest';
import { POST, runStep, type StepRun, tokenInputs, visibleLog, zonesOutput } from './harness.ts';
import { requestLines, useEmulator, writes, zoneNamed } from './use-emulator.ts';

const emulator = useEmulator();

const PEER = { name: 'primary-ns1', ip: '192.0.2.53', port: '53' };
// The peer is at a documentation address: its nameserver is not asked here (test/verify.test.ts does that).
const step = (inputs: Record<string, string>) =>
  runStep({
    inputs: { ...tokenInputs(emulator, PEER.name), ip: PEER.ip, port: PEER.port, verify_peer: 'false', ...inputs },
  });
const post = (main: StepRun, inputs: Record<string, string>) =>
  runStep({ entry: POST, inputs: { ...tokenInputs(emulator, PEER.name), ...inputs }, state: main.state });

const calls = () => requestLines(emulator);
const seedPeer = (name: string, fields: { tsig_id?: string } = {}) =>
  emulator.seedPeer({ name, ip: '198.51.100.7', port: 53, ixfr_enable: false, ...fields });

describe('linking', () => {
  it('by name, secondary, no configuration yet: creates it with this peer and auto_refresh_seconds', async () => {
    const seeded = emulator.seedZone({ name: 'example.com', type: 'secondary' });
    const run = await step({ zones: 'example.com', zone_role: 'secondary', auto_refresh_seconds: '3600' });

    expect(run.code, visibleLog(run)).toBe(0);
    const peerId = run.outputs.peer_id;
    expect(zoneNamed(emulator, 'example.com')?.incoming).toMatchObject({
      name: 'example.com',
      peers: [peerId],
      auto_refresh_seconds: 3600,
    });
    expect(zonesOutput(run)).toEqual([
      {
        id: seeded.id,
        name: 'example.com',
        role: 'secondary',
        operation: 'linked',
        soa_serial: 0,
        name_servers: seeded.nameServers,
        status: 'active',
        zone_created: false,
        config_created: true,
      },
    ]);
    expect(visibleLog(run)).toContain(
      `Cloudflare Secondary DNS zone example.com (${seeded.id}, secondary): peer linked, with a new transfer configuration`,
    );
    expect(run.summary).toContain('#### Zones');
    expect(run.summary).toContain(`| <code>example.com</code> | <code>${seeded.id}</code> | secondary | linked | 0 |`);
    expect(calls()).toEqual([
      'GET /accounts/A/secondary_dns/peers',
      'GET /zones',
      'GET /zones/ID/secondary_dns/incoming',
      'POST /accounts/A/secondary_dns/peers',
      'PUT /accounts/A/secondary_dns/peers/ID',
      'POST /zones/ID/secondary_dns/incoming',
    ]);
    expect(emulator.requests[1]?.query).toBe(`name=example.com&account.id=${emulator.accountId}`);
  });

  it('by id, primary, no configuration yet: creates it and enables outgoing transfers', async () => {
    const seeded = emulator.seedZone({ name: 'example.net' });
    const run = await step({ zones: seeded.id.toUpperCase(), zone_role: 'primary' });

    expect(run.code, visibleLog(run)).toBe(0);
    expect(zoneNamed(emulator, 'example.net')).toMatchObject({
      outgoing: { peers: [run.outputs.peer_id] },
      outgoingEnabled: true,
    });
    expect(zonesOutput(run)[0]).toMatchObject({ name: 'example.net', operation: 'linked', outgoing: 'Enabled' });
    expect(calls()).toContain('GET /zones/ID');
    expect(calls().slice(-2)).toEqual([
      'POST /zones/ID/secondary_dns/outgoing',
      'POST /zones/ID/secondary_dns/outgoing/enable',
    ]);
  });

  it('an existing configuration keeps every other peer and setting, and its disabled state (said in the summary)', async () => {
    const other = seedPeer('other-primary');
    const secondary = emulator.seedZone({
      name: 'a.example',
      type: 'secondary',
      incoming: { peers: [other.id], auto_refresh_seconds: 7200 },
    });
    const primary = emulator.seedZone({ name: 'b.example', outgoing: { peers: [other.id], enabled: false } });
    const first = await step({ zones: 'a.example', zone_role: 'secondary' });
    const second = await step({ zones: 'b.example', zone_role: 'primary' });

    expect([first.code, second.code], visibleLog(first) + visibleLog(second)).toEqual([0, 0]);
    const peerId = first.outputs.peer_id;
    expect(zoneNamed(emulator, 'a.example')?.incoming).toMatchObject({
      peers: [other.id, peerId],
      auto_refresh_seconds: 7200,
    });
    expect(zoneNamed(emulator, 'b.example')).toMatchObject({
      outgoing: { peers: [other.id, peerId] },
      outgoingEnabled: false,
    });
    expect(zonesOutput(first)[0]).toMatchObject({ id: secondary.id, operation: 'linked' });
    expect(zonesOutput(first)[0]).not.toHaveProperty('config_created');
    expect(zonesOutput(second)[0]).toMatchObject({ id: primary.id, outgoing: 'Disabled' });
    expect(second.summary).toContain('**outgoing transfers disabled**');
    expect(visibleLog(second)).toContain('outgoing transfers are disabled');
  });

  it('a re-run with everything linked only reads, and reports unchanged', async () => {
    emulator.seedZone({ name: 'a.example', type: 'secondary' });
    emulator.seedZone({ name: 'b.example' });
    const inputs = { zones: 'a.example\nb.example', zone_role: 'secondary' };
    emulator.seedZone({ name: 'c.example', type: 'secondary' });
    const first = await step({ ...inputs, zones: 'a.example, c.example' });
    emulator.requests.length = 0;
    const second = await step({ ...inputs, zones: 'c.example\na.example\n' });

    expect([first.code, second.code]).toEqual([0, 0]);
    expect(new Set(emulator.requests.map((request) => request.method))).toEqual(new Set(['GET']));
    expect(zonesOutput(second).map((z) => [z.name, z.operation])).toEqual([
      ['c.example', 'unchanged'],
      ['a.example', 'unchanged'],
    ]);
    // Peers List, one page of the account's zones (cheaper than a lookup per name), each configuration.
    expect(emulator.requests).toHaveLength(4);
  });

  it('an unknown zone is an error naming it, before anything is written', async () => {
    emulator.seedZone({ name: 'known.example', type: 'secondary' });
    const run = await step({ zones: `known.example\nmissing.example\n${'f'.repeat(32)}`, zone_role: 'secondary' });

    expect(run.code).toBe(1);
    const log = visibleLog(run);
    expect(log).toContain('Looking up the zones failed, so nothing was written');
    expect(log).toContain('zone missing.example: no zone of that name in this account');
    expect(log).toContain(`zone ${'f'.repeat(32)}: no zone with that id in this account`);
    expect(writes(emulator)).toEqual([]);
    expect(emulator.peers()).toEqual([]);
  });
});

describe('refusals, before anything is written (the peer and key included)', () => {
  it('a 31st peer', async () => {
    const others = Array.from({ length: 30 }, (_, n) => seedPeer(`ns-${n}`).id);
    emulator.seedZone({ name: 'busy.example', type: 'secondary', incoming: { peers: others } });
    const run = await step({ zones: 'busy.example', zone_role: 'secondary' });

    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain('Zone busy.example: it already has 30 peers, and Cloudflare links at most 30');
    expect(writes(emulator)).toEqual([]);
  });

  it('mixed TSIG keys on one zone', async () => {
    const key = emulator.seedTsig({ name: 'k.example.', algo: 'hmac-sha256.', secret: 'c2VjcmV0' });
    const signed = seedPeer('signed-primary', { tsig_id: key.id });
    emulator.seedZone({ name: 'signed.example', type: 'secondary', incoming: { peers: [signed.id] } });
    const run = await step({ zones: 'signed.example', zone_role: 'secondary' });

    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain(
      `Zone signed.example: peer primary-ns1 would use no TSIG key, but signed-primary (${signed.id}) uses TSIG key ${key.id}`,
    );
    expect(writes(emulator)).toEqual([]);
    // The same key for this peer is accepted.
    const ok = await step({ zones: 'signed.example', zone_role: 'secondary', tsig_id: key.id });
    expect(ok.code, visibleLog(ok)).toBe(0);
  });

  it('a keyless peer given a new key, on a zone whose other peer has none', async () => {
    const ours = seedPeer(PEER.name);
    const other = seedPeer('unsigned-primary');
    emulator.seedZone({ name: 'plain.example', type: 'secondary', incoming: { peers: [other.id, ours.id] } });
    const run = await step({
      zones: 'plain.example',
      zone_role: 'secondary',
      tsig_name: 'new.example.',
      tsig_secret: 'c2VjcmV0LW5ldw==',
    });

    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain(
      `Zone plain.example: peer primary-ns1 would use TSIG key new.example. (created by this run), but unsigned-primary (${other.id}) uses no TSIG key`,
    );
    expect(writes(emulator)).toEqual([]);
  });

  it("state absent never removes a zone's last peer", async () => {
    const peer = seedPeer(PEER.name);
    emulator.seedZone({ name: 'solo.example', type: 'secondary', incoming: { peers: [peer.id] } });
    const run = await step({ zones: 'solo.example', zone_role: 'secondary', state: 'absent' });

    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain(
      "Zone solo.example: this peer is its only peer, and removing it would stop the zone's transfers",
    );
    expect(writes(emulator)).toEqual([]);
    expect(emulator.peers()).toHaveLength(1);
  });
});

describe('state: absent', () => {
  it('unlinks the peer from its zones, then deletes it', async () => {
    const peer = seedPeer(PEER.name);
    const other = seedPeer('other');
    emulator.seedZone({ name: 'a.example', type: 'secondary', incoming: { peers: [other.id, peer.id] } });
    emulator.seedZone({ name: 'b.example', type: 'secondary', incoming: { peers: [other.id] } });
    const run = await step({ zones: 'a.example,b.example', zone_role: 'secondary', state: 'absent' });

    expect(run.code, visibleLog(run)).toBe(0);
    expect(zoneNamed(emulator, 'a.example')?.incoming?.peers).toEqual([other.id]);
    expect(emulator.peers().map((p) => p.id)).toEqual([other.id]);
    expect(zonesOutput(run).map((z) => z.operation)).toEqual(['unlinked', 'not_linked']);
    expect(calls().filter((line) => !line.startsWith('GET'))).toEqual([
      'PUT /zones/ID/secondary_dns/incoming',
      'DELETE /accounts/A/secondary_dns/peers/ID',
    ]);
  });
});

describe('all or nothing', () => {
  it('when one zone of several fails, what the run did is undone, and the error says so', async () => {
    const other = seedPeer('other');
    emulator.seedZone({ name: 'a.example', type: 'secondary' });
    const shared = emulator.seedZone({ name: 'b.example', type: 'secondary', incoming: { peers: [other.id] } });
    const broken = emulator.seedZone({ name: 'c.example', type: 'secondary' });
    emulator.inject({
      method: 'POST',
      path: `/client/v4/zones/${broken.id}/secondary_dns/incoming`,
      fault: { kind: 'status', status: 400, code: 1001, message: 'refused for the test' },
    });
    const run = await step({ zones: 'a.example\nb.example\nc.example', zone_role: 'secondary' });

    expect(run.code).toBe(1);
    const log = visibleLog(run);
    expect(log).toContain('Linking the zones failed');
    expect(log).toContain('zone c.example: Cloudflare POST');
    expect(log).toContain('so they were undone (nothing is left behind)');
    expect(log).toContain('incoming transfer configuration of zone a.example');
    expect(log).toContain('link of peer');
    expect(zoneNamed(emulator, 'a.example')?.incoming).toBeUndefined();
    expect(zoneNamed(emulator, 'b.example')?.incoming?.peers).toEqual([other.id]);
    expect(zoneNamed(emulator, 'c.example')?.incoming).toBeUndefined();
    expect(emulator.peers().map((p) => p.id)).toEqual([other.id]);
    expect(run.state.created ?? '').toBe('');
    expect(shared.id).toHaveLength(32);
  });
});

describe('cleanup: true', () => {
  it('the post step unlinks what this run linked and deletes what it created', async () => {
    const other = seedPeer('other');
    emulator.seedZone({ name: 'a.example', type: 'secondary' });
    emulator.seedZone({ name: 'b.example', outgoing: { peers: [other.id], enabled: true } });
    const inputs = { zones: 'a.example', zone_role: 'secondary', cleanup: 'true' };
    const main = await step(inputs);
    const primary = await step({ ...inputs, zones: 'b.example', zone_role: 'primary' });
    expect([main.code, primary.code]).toEqual([0, 0]);
    // The second run created nothing: the peer and the first zone's link are the first run's.
    expect(JSON.parse(primary.state.created ?? '[]')).toEqual([
      {
        kind: 'zone_link',
        id: zoneNamed(emulator, 'b.example')?.id,
        name: 'b.example',
        role: 'primary',
        peerId: main.outputs.peer_id,
      },
    ]);

    const postPrimary = await post(primary, { ...inputs, zones: 'b.example', zone_role: 'primary' });
    const postMain = await post(main, inputs);
    expect(visibleLog(postPrimary)).toContain('Cleanup: deleted link of peer');
    expect(visibleLog(postMain)).toContain('Cleanup: deleted incoming transfer configuration of zone a.example');
    expect(zoneNamed(emulator, 'a.example')?.incoming).toBeUndefined();
    expect(zoneNamed(emulator, 'b.example')).toMatchObject({ outgoing: { peers: [other.id] }, outgoingEnabled: true });
    expect(emulator.peers().map((p) => p.id)).toEqual([other.id]);
  });
});

describe('dry_run', () => {
  it('reads only, and the summary lists what would happen per zone', async () => {
    const other = seedPeer('other');
    emulator.seedZone({ name: 'new.example', type: 'secondary' });
    emulator.seedZone({ name: 'old.example', type: 'secondary', incoming: { peers: [other.id] } });
    const run = await step({ zones: 'new.example\nold.example', zone_role: 'secondary', dry_run: 'true' });

    expect(run.code, visibleLog(run)).toBe(0);
    expect(writes(emulator)).toEqual([]);
    expect(zonesOutput(run).map((z) => [z.name, z.operation, z.config_created ?? false])).toEqual([
      ['new.example', 'linked', true],
      ['old.example', 'linked', false],
    ]);
    expect(visibleLog(run)).toContain('Dry run: zone new.example');
    expect(run.summary).toContain('**2 zones** (dry run: nothing was written)');
  });
});

describe('transfer: force and wait_for_transfer', () => {
  it('forces a transfer and waits until every zone reports one', async () => {
    emulator.transfers({ delayMs: 300 });
    const peer = seedPeer(PEER.name);
    emulator.seedZone({ name: 'sec.example', type: 'secondary' });
    emulator.seedZone({ name: 'pri.example', outgoing: { peers: [peer.id], enabled: true } });
    const first = await step({
      zones: 'sec.example',
      zone_role: 'secondary',
      transfer: 'force',
      wait_for_transfer: '20',
    });
    const second = await step({
      zones: 'pri.example',
      zone_role: 'primary',
      transfer: 'force',
      wait_for_transfer: '20',
    });

    expect([first.code, second.code], visibleLog(first) + visibleLog(second)).toEqual([0, 0]);
    expect(zonesOutput(first)[0]).toMatchObject({
      operation: 'linked',
      transferred: true,
      soa_serial: expect.any(Number),
    });
    expect(zonesOutput(first)[0]?.soa_serial).toBeGreaterThan(0);
    expect(zonesOutput(second)[0]).toMatchObject({ operation: 'unchanged', transferred: true });
    expect(calls()).toContain('POST /zones/ID/secondary_dns/force_axfr');
    expect(calls()).toContain('POST /zones/ID/secondary_dns/outgoing/force_notify');
    expect(visibleLog(first)).toContain('Forced a transfer for sec.example.');
    expect(visibleLog(first)).toMatch(/transferred, soa_serial \d+/);
  });

  it('a timeout fails the step with each zone’s last status, and the links stay', async () => {
    emulator.transfers({ never: true });
    emulator.seedZone({ name: 'slow.example', type: 'secondary' });
    const run = await step({
      zones: 'slow.example',
      zone_role: 'secondary',
      transfer: 'force',
      wait_for_transfer: '2',
    });

    expect(run.code).toBe(1);
    const log = visibleLog(run);
    expect(log).toContain('Waited 2 s, but not every zone reported a transfer; the links are in place and stay');
    expect(log).toContain('- zone slow.example: soa_serial 0, never checked');
    expect(log).toContain('Waiting for zone transfers: 0 of 1 done');
    expect(zoneNamed(emulator, 'slow.example')?.incoming?.peers).toEqual([run.outputs.peer_id]);
    expect(zonesOutput(run)[0]).toMatchObject({ operation: 'linked', transferred: false });
    expect(run.summary).toContain('**no transfer reported in time**');
    expect(emulator.peers()).toHaveLength(1);
  });
});

describe('inputs', () => {
  it('zones without zone_role, and transfer without zones, are input errors', async () => {
    const run = await step({ zones: 'a.example' });
    expect(visibleLog(run)).toContain('Input `zone_role` is required with `zones`');
    const alone = await step({ transfer: 'force' });
    expect(visibleLog(alone)).toContain('Input `transfer` is set, but `zones` is empty');
    const bad = await step({ zones: 'a.example, not a zone', zone_role: 'secondary' });
    expect(visibleLog(bad)).toContain(
      'Input `zones` has "not a zone", which is neither a zone name nor a 32-hex zone id',
    );
    expect(emulator.requests).toEqual([]);
  });
});

describe('what the review found', () => {
  it('a zone write whose answer was lost is undone with the rest', async () => {
    const other = seedPeer('other');
    const shared = emulator.seedZone({ name: 'a.example', type: 'secondary', incoming: { peers: [other.id] } });
    emulator.inject({
      method: 'PUT',
      path: `/client/v4/zones/${shared.id}/secondary_dns/incoming`,
      fault: { kind: 'reset-after' },
    });
    const run = await step({ zones: 'a.example', zone_role: 'secondary', max_attempts: '1' });

    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain('so they were undone (nothing is left behind)');
    expect(zoneNamed(emulator, 'a.example')?.incoming?.peers).toEqual([other.id]);
    expect(emulator.peers().map((p) => p.id)).toEqual([other.id]);
  });

  it('an existing peer the run changed is put back when a later part fails', async () => {
    const peer = seedPeer(PEER.name);
    const broken = emulator.seedZone({ name: 'b.example', type: 'secondary' });
    emulator.inject({
      method: 'POST',
      path: `/client/v4/zones/${broken.id}/secondary_dns/incoming`,
      fault: { kind: 'status', status: 400, code: 1001, message: 'refused for the test' },
    });
    const run = await step({
      zones: 'b.example',
      zone_role: 'secondary',
      tsig_name: 'new.example.',
      tsig_secret: 'c2VjcmV0LWZvci10ZXN0cw==',
    });

    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain(`the changes to peer ${PEER.name} (${peer.id})`);
    expect(emulator.peers()).toEqual([peer]);
    expect(emulator.tsigs()).toEqual([]);
  });

  it('a poll that fails while waiting undoes nothing: the step fails like a timeout, and says why', async () => {
    emulator.transfers({ never: true });
    emulator.seedZone({ name: 'slow.example', type: 'secondary' });
    // The lookup's read goes through; every read after it (the polls) fails.
    const incoming = /\/secondary_dns\/incoming$/;
    emulator.inject({ method: 'GET', path: incoming, fault: { kind: 'delay', ms: 0 } });
    emulator.inject({ method: 'GET', path: incoming, times: 100, fault: { kind: 'status', status: 500 } });
    const run = await step({
      zones: 'slow.example',
      zone_role: 'secondary',
      wait_for_transfer: '2',
      max_attempts: '1',
    });

    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain('the links are in place and stay');
    expect(visibleLog(run)).toContain('the last poll failed: Cloudflare GET');
    expect(zoneNamed(emulator, 'slow.example')?.incoming?.peers).toEqual([run.outputs.peer_id]);
  });

  it('a peer another run linked between the lookup and the write is kept', async () => {
    const other = seedPeer('other');
    const third = seedPeer('third');
    const shared = emulator.seedZone({ name: 'a.example', type: 'secondary', incoming: { peers: [other.id] } });
    emulator.inject({ method: 'POST', path: /\/peers$/, fault: { kind: 'delay', ms: 400, commit: true } });
    const running = step({ zones: 'a.example', zone_role: 'secondary' });
    while (!emulator.requests.some((request) => request.method === 'POST')) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const put = await fetch(`${emulator.url}/zones/${shared.id}/secondary_dns/incoming`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${emulator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'a.example', peers: [other.id, third.id], auto_refresh_seconds: 86400 }),
    });
    expect(put.status).toBe(200);
    const run = await running;

    expect(run.code, visibleLog(run)).toBe(0);
    expect(zoneNamed(emulator, 'a.example')?.incoming?.peers).toEqual([other.id, third.id, run.outputs.peer_id]);
  });

  it('a configuration another run created between the lookup and the write is joined, not refused', async () => {
    const other = seedPeer('other');
    const seeded = emulator.seedZone({ name: 'new.example', type: 'secondary' });
    emulator.inject({ method: 'POST', path: /\/peers$/, fault: { kind: 'delay', ms: 400, commit: true } });
    const running = step({ zones: 'new.example', zone_role: 'secondary' });
    while (!emulator.requests.some((request) => request.method === 'POST')) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const created = await fetch(`${emulator.url}/zones/${seeded.id}/secondary_dns/incoming`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'new.example', peers: [other.id], auto_refresh_seconds: 3600 }),
    });
    expect(created.status).toBe(200);
    const run = await running;

    expect(run.code, visibleLog(run)).toBe(0);
    expect(zoneNamed(emulator, 'new.example')?.incoming).toMatchObject({
      peers: [other.id, run.outputs.peer_id],
      auto_refresh_seconds: 3600,
    });
    expect(zonesOutput(run)[0]).toMatchObject({ operation: 'linked' });
    expect(zonesOutput(run)[0]).not.toHaveProperty('config_created');
  });

  it('one zone given by name and by id is linked once', async () => {
    const seeded = emulator.seedZone({ name: 'example.com', type: 'secondary' });
    const run = await step({ zones: `example.com, ${seeded.id}`, zone_role: 'secondary' });

    expect(run.code, visibleLog(run)).toBe(0);
    expect(zonesOutput(run)).toHaveLength(1);
    expect(writes(emulator).filter((request) => request.path.endsWith('/incoming'))).toHaveLength(1);
  });

  it('if_exists: reuse with a new key leaves the peer keyless, so a keyless zone accepts it', async () => {
    const peer = seedPeer(PEER.name);
    const other = seedPeer('other');
    emulator.seedZone({ name: 'plain.example', type: 'secondary', incoming: { peers: [other.id] } });
    const run = await step({
      zones: 'plain.example',
      zone_role: 'secondary',
      if_exists: 'reuse',
      tsig_name: 'new.example.',
      tsig_secret: 'c2VjcmV0LWZvci10ZXN0cw==',
    });

    expect(run.code, visibleLog(run)).toBe(0);
    expect(zoneNamed(emulator, 'plain.example')?.incoming?.peers).toEqual([other.id, peer.id]);
    expect(emulator.peers().find((p) => p.id === peer.id)?.tsig_id ?? '').toBe('');
  });
});
