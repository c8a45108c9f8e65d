// Onboarding a new secondary zone in one step, end to end through dist/ (create_zones: true): the zone is
// created as a secondary zone, linked, transferred and waited for, and the summary names the nameservers
// to delegate to; a re-run writes nothing; a lost Create Zone answer is adopted and a zone another run
// created first is joined; a full zone is refused before any write; a failed run and cleanup delete the
// zone the run created; a dry run only says what it would create; a token without Zone Edit gets a
// message that names it; state: absent never deletes a zone.
import { describe, expect, it } from 'vitest';
import { POST, runStep, type StepRun, tokenInputs, visibleLog, zonesOutput } from './harness.ts';
import { requestLines, useEmulator, writes, zoneNamed } from './use-emulator.ts';

const emulator = useEmulator();

const PEER = { name: 'primary-ns1', ip: '192.0.2.53', port: '53' };
const ONBOARD = { zones: 'new.example', zone_role: 'secondary', create_zones: 'true' };
// The peer sits at a documentation address: the check of its nameserver is not the subject here.
const step = (inputs: Record<string, string>, name = PEER.name) =>
  runStep({
    inputs: { ...tokenInputs(emulator, name), ip: PEER.ip, port: PEER.port, verify_peer: 'false', ...inputs },
  });
const post = (main: StepRun, inputs: Record<string, string>) =>
  runStep({ entry: POST, inputs: { ...tokenInputs(emulator, PEER.name), ...inputs }, state: main.state });

const calls = () => requestLines(emulator);
const writeLines = () => requestLines({ requests: writes(emulator) });
const creates = () => calls().filter((line) => line === 'POST /zones');
const SECONDARY_NS = /^ns\d{4}\.secondary\.cloudflare\.com$/;
const DO_NOT_DELEGATE = /::warning::Zone new\.example: do not delegate it to ns\d{4}/;

describe('create_zones: true', () => {
  it('creates the zone as a secondary zone, links it, forces a transfer and waits: ready to delegate', async () => {
    emulator.transfers({ delayMs: 300 });
    const run = await step({ ...ONBOARD, transfer: 'force', wait_for_transfer: '20' });

    expect(run.code, visibleLog(run)).toBe(0);
    const made = zoneNamed(emulator, 'new.example');
    expect(made).toMatchObject({ type: 'secondary', status: 'pending', incoming: { peers: [run.outputs.peer_id] } });
    expect(
      JSON.parse(emulator.requests.find((r) => r.method === 'POST' && r.path.endsWith('/zones'))?.body ?? ''),
    ).toEqual({
      account: { id: emulator.accountId },
      name: 'new.example',
      type: 'secondary',
    });
    const [output] = zonesOutput(run);
    expect(output).toMatchObject({
      id: made?.id,
      name: 'new.example',
      operation: 'linked',
      status: 'pending',
      zone_created: true,
      config_created: true,
      transferred: true,
    });
    expect(output?.name_servers).toEqual(made?.nameServers);
    expect(output?.name_servers).toEqual([expect.stringMatching(SECONDARY_NS), expect.stringMatching(SECONDARY_NS)]);
    // The documented order: peer, zone, its configuration, the forced transfer; one Create Zone.
    expect(writeLines()).toEqual([
      'POST /accounts/A/secondary_dns/peers',
      'PUT /accounts/A/secondary_dns/peers/ID',
      'POST /zones',
      'POST /zones/ID/secondary_dns/incoming',
      'POST /zones/ID/secondary_dns/force_axfr',
    ]);
    const log = visibleLog(run);
    expect(log).toContain(`Created zone new.example (${made?.id}) as a secondary zone.`);
    expect(log).toContain(`ready to delegate to ${made?.nameServers.join(', ')}`);
    expect(log).not.toMatch(DO_NOT_DELEGATE);
    expect(run.summary).toContain('**zone created** (secondary)');
    expect(run.summary).toContain('**ready to delegate**');
    for (const server of made?.nameServers ?? []) expect(run.summary).toContain(`<code>${server}</code>`);
  });

  it('without a confirmed transfer, warns not to delegate yet, and why', async () => {
    const run = await step(ONBOARD);

    expect(run.code, visibleLog(run)).toBe(0);
    expect(run.stdout).toMatch(DO_NOT_DELEGATE);
    expect(run.stdout).toContain('this run did not wait for a transfer (wait_for_transfer: 0)');
    expect(run.stdout).toContain('resolvers cache empty answers');
    expect(run.summary).toContain('**do not delegate yet**');
  });

  it('a wait that saw no transfer warns not to delegate yet, saying the wait ran out; the zone stays', async () => {
    emulator.transfers({ never: true });
    const run = await step({ ...ONBOARD, transfer: 'force', wait_for_transfer: '2' });

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(DO_NOT_DELEGATE);
    expect(run.stdout).toContain('yet: no transfer was reported within wait_for_transfer.');
    expect(zonesOutput(run)[0]).toMatchObject({ zone_created: true, transferred: false });
    expect(emulator.zones()).toHaveLength(1);
  });

  it('a re-run finds the zone it created: unchanged, zone_created false, no write', async () => {
    const first = await step(ONBOARD);
    expect(first.code, visibleLog(first)).toBe(0);
    emulator.requests.length = 0;
    const second = await step(ONBOARD);

    expect(second.code, visibleLog(second)).toBe(0);
    expect(writeLines()).toEqual([]);
    expect(zonesOutput(second)[0]).toMatchObject({ operation: 'unchanged', zone_created: false, status: 'pending' });
    expect(emulator.zones()).toHaveLength(1);
  });

  it('a lost answer to Create Zone: the zone is looked up before any second POST, adopted and undone as ours', async () => {
    emulator.inject({ method: 'POST', path: /\/zones$/, fault: { kind: 'reset-after' } });
    const run = await step({ ...ONBOARD, cleanup: 'true' });

    expect(run.code, visibleLog(run)).toBe(0);
    const made = zoneNamed(emulator, 'new.example');
    expect(emulator.zones()).toHaveLength(1);
    expect(creates()).toEqual(['POST /zones']);
    expect(visibleLog(run)).toContain(`adopting zone ${made?.id}`);
    expect(zonesOutput(run)[0]).toMatchObject({ id: made?.id, zone_created: true, operation: 'linked' });
    // Saved before the POST was sent, when its id was not known yet, then with the id.
    expect(run.stateLog).toContain('{"kind":"zone","id":"","name":"new.example","role":"secondary"}');
    expect(JSON.parse(run.state.created ?? '[]')).toContainEqual({
      kind: 'zone',
      id: made?.id,
      name: 'new.example',
      role: 'secondary',
    });
  });

  it('two runs create the zone at once: one Create goes through, the other joins that zone', async () => {
    // Both runs look the zone up (and find none) before either creates anything.
    emulator.inject({ method: 'POST', path: /\/peers$/, times: 2, fault: { kind: 'delay', ms: 2000 } });
    const [a, b] = await Promise.all([step(ONBOARD, 'primary-ns1'), step(ONBOARD, 'primary-ns2')]);

    expect([a.code, b.code], visibleLog(a) + visibleLog(b)).toEqual([0, 0]);
    expect(creates()).toEqual(['POST /zones', 'POST /zones']);
    expect(emulator.zones()).toHaveLength(1);
    const made = zoneNamed(emulator, 'new.example');
    const created = [a, b].map((run) => zonesOutput(run)[0]?.zone_created);
    expect([...created].sort()).toEqual([false, true]);
    for (const run of [a, b]) expect(zonesOutput(run)[0]).toMatchObject({ id: made?.id, operation: 'linked' });
    expect(made?.incoming?.peers.sort()).toEqual([a.outputs.peer_id, b.outputs.peer_id].sort());
    const joiner = created[0] ? b : a;
    expect(visibleLog(joiner)).toContain('was created by another run since the lookup: joining it');
    expect(JSON.parse(joiner.state.created ?? '[]')).not.toContainEqual(expect.objectContaining({ kind: 'zone' }));
  });

  it('a full zone is refused before anything is written, with how to convert it', async () => {
    const full = emulator.seedZone({ name: 'new.example', type: 'full' });
    const run = await step(ONBOARD);

    expect(run.code).toBe(1);
    const log = visibleLog(run);
    expect(log).toContain('Zone new.example: it is a full zone, and Cloudflare transfers only into secondary zones');
    expect(log).toContain(`PATCH /zones/${full.id} with {"type": "secondary"}`);
    expect(writeLines()).toEqual([]);
    expect(emulator.peers()).toEqual([]);
  });

  it('a failed run deletes the zone it created, after its configuration, and says so', async () => {
    emulator.inject({
      method: 'POST',
      path: /\/force_axfr$/,
      fault: { kind: 'status', status: 400, code: 1001, message: 'refused for the test' },
    });
    const run = await step({ ...ONBOARD, transfer: 'force' });

    expect(run.code).toBe(1);
    const log = visibleLog(run);
    expect(log).toContain('Linking the zones and forcing their transfers failed');
    expect(log).toMatch(/so they were undone \(nothing is left behind\)/);
    expect(log).toMatch(/zone new\.example \([0-9a-f]{32}\)/);
    expect(emulator.zones()).toEqual([]);
    expect(emulator.peers()).toEqual([]);
    expect(writeLines().slice(-3)).toEqual([
      'DELETE /zones/ID/secondary_dns/incoming',
      'DELETE /zones/ID',
      'DELETE /accounts/A/secondary_dns/peers/ID',
    ]);
    expect(run.state.created ?? '').toBe('');
  });

  it('cleanup: true deletes the zone this run created at the end of the job, and keeps a zone it found', async () => {
    const old = emulator.seedZone({ name: 'old.example', type: 'secondary' });
    const inputs = { ...ONBOARD, zones: 'new.example, old.example', cleanup: 'true' };
    const main = await step(inputs);
    expect(main.code, visibleLog(main)).toBe(0);
    expect(zonesOutput(main).map((z) => [z.name, z.zone_created])).toEqual([
      ['new.example', true],
      ['old.example', false],
    ]);
    const cleanup = await post(main, inputs);

    expect(cleanup.code, visibleLog(cleanup)).toBe(0);
    expect(visibleLog(cleanup)).toMatch(/Cleanup: deleted zone new\.example \([0-9a-f]{32}\), which this run created/);
    expect(emulator.zones().map((z) => z.id)).toEqual([old.id]);
    expect(zoneNamed(emulator, 'old.example')?.incoming).toBeUndefined();
    expect(emulator.peers()).toEqual([]);
  });

  it('dry_run says which zones would be created, and writes nothing', async () => {
    emulator.seedZone({ name: 'old.example', type: 'secondary' });
    const run = await step({ ...ONBOARD, zones: 'new.example\nold.example', dry_run: 'true' });

    expect(run.code, visibleLog(run)).toBe(0);
    expect(writeLines()).toEqual([]);
    expect(emulator.zones()).toHaveLength(1);
    expect(zonesOutput(run).map((z) => [z.name, z.zone_created, z.operation])).toEqual([
      ['new.example', true, 'linked'],
      ['old.example', false, 'linked'],
    ]);
    expect(visibleLog(run)).toContain('Dry run: zone new.example (secondary) would be created as a secondary zone');
    expect(run.summary).toContain('Would create: new.example');
    expect(run.summary).toContain('**zone would be created** (secondary)');
    expect(run.summary).toContain('_assigned when created_');
  });

  it('a token without Zone → Zone → Edit: the message names the permission, and nothing is left behind', async () => {
    const run = await step({ ...ONBOARD, api_token: emulator.noZoneEditToken });

    expect(run.code).toBe(1);
    const log = visibleLog(run);
    expect(log).toContain('Creating the zones failed');
    expect(log).toContain('zone new.example: creating it needs the permission Zone → Zone → Edit on the account');
    expect(log).toContain('Cloudflare POST /zones failed (HTTP 403');
    // The refused POST made nothing: only the peer is named as made and undone.
    expect(log).toMatch(/The run failed after it made peer primary-ns1 \([0-9a-f]{32}\), so it was undone/);
    expect(creates()).toEqual(['POST /zones']);
    expect(emulator.zones()).toEqual([]);
    expect(emulator.peers()).toEqual([]);
  });

  it('state: absent unlinks the peer and never deletes the zone', async () => {
    const first = await step(ONBOARD);
    const second = await step({ zones: 'new.example', zone_role: 'secondary' }, 'primary-ns2');
    expect([first.code, second.code], visibleLog(first) + visibleLog(second)).toEqual([0, 0]);
    emulator.requests.length = 0;
    const absent = await step({ ...ONBOARD, state: 'absent' });

    expect(absent.code, visibleLog(absent)).toBe(0);
    expect(zonesOutput(absent)[0]).toMatchObject({ operation: 'unlinked', zone_created: false });
    expect(zoneNamed(emulator, 'new.example')).toMatchObject({
      type: 'secondary',
      incoming: { peers: [second.outputs.peer_id] },
    });
    expect(writeLines()).toEqual(['PUT /zones/ID/secondary_dns/incoming', 'DELETE /accounts/A/secondary_dns/peers/ID']);
  });

  it('state: absent creates no zone either: an unknown name is an error', async () => {
    const run = await step({ ...ONBOARD, state: 'absent' });

    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain('zone new.example: no zone of that name in this account');
    expect(writeLines()).toEqual([]);
  });
});

describe('inputs and messages', () => {
  it('without create_zones an unknown name is an error that mentions it; with zone_role primary it is an input error', async () => {
    const unknown = await step({ zones: 'new.example', zone_role: 'secondary' });
    expect(unknown.code).toBe(1);
    expect(visibleLog(unknown)).toContain('create_zones: true creates it as a secondary zone');
    expect(writeLines()).toEqual([]);

    emulator.requests.length = 0;
    const primary = await step({ ...ONBOARD, zone_role: 'primary' });
    expect(primary.code).toBe(1);
    expect(visibleLog(primary)).toContain('Input `create_zones` applies to zone_role: secondary only');
    const alone = await step({ create_zones: 'true' });
    expect(visibleLog(alone)).toContain('Input `create_zones` is set, but `zones` is empty');
    expect(emulator.requests).toEqual([]);
  });

  it('an unknown zone id is still an error with create_zones', async () => {
    const run = await step({ ...ONBOARD, zones: 'f'.repeat(32) });

    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain(`zone ${'f'.repeat(32)}: no zone with that id in this account`);
    expect(writeLines()).toEqual([]);
  });
});
