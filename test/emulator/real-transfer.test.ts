// The emulator transfers for real from a peer on a loopback address, as Cloudflare would: AXFR over TCP from
// the peer's ip:port, signed with the peer's key. Success takes the serial the primary serves; a failure only
// moves checked_time. Peers elsewhere keep the simulated transfer.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TsigKey } from '../../src/dns/tsig.ts';
import { type Bind, bindProgram, startBind } from '../dns/bind.ts';
import { type Primary, startPrimary } from '../dns/primary.ts';
import { LOOPBACK_GUARD } from '../harness.ts';
import { useEmulator } from '../use-emulator.ts';
import type { Emulator, Zone } from './index.ts';

const KEY: TsigKey = { name: 'xfr.example.', algo: 'hmac-sha256.', secret: 'c2VjcmV0LW9uZS1mb3ItdGVzdHM=' };
const ZONE = 'example.com';
const NEVER = '0001-01-01T00:00:00Z';

const em = useEmulator({ contract: 'answers' });
let primary: Primary;
beforeAll(async () => {
  primary = await startPrimary({ zones: [{ name: ZONE, serial: 2026120701 }], keys: [KEY] });
});
afterAll(() => primary.close());
beforeEach(() => {
  em.transfers({ delayMs: 0 });
  primary.received.length = 0;
  primary.signAnswers('signed');
});

async function api(method: string, path: string, body?: unknown, base = em) {
  const res = await fetch(`${base.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${base.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads arbitrary JSON
  return { status: res.status, json: (await res.json()) as any };
}

/** A secondary zone linked (POST incoming) to one peer; resolves when the transfer it started has ended. */
async function link(peer: { ip: string; port: number; key?: TsigKey }): Promise<Zone> {
  const zone = em.seedZone({ name: ZONE, type: 'secondary' });
  const tsig = peer.key ? em.seedTsig(peer.key) : undefined;
  const { id } = em.seedPeer({ name: 'ns1', ip: peer.ip, port: peer.port, ...(tsig ? { tsig_id: tsig.id } : {}) });
  const res = await api('POST', `/zones/${zone.id}/secondary_dns/incoming`, {
    name: ZONE,
    peers: [id],
    auto_refresh_seconds: 86400,
  });
  expect(res.status).toBe(200);
  await em.transfersDone();
  return current(zone.id);
}

const current = (id: string): Zone => em.zones().find((zone) => zone.id === id) as Zone;

describe('real transfers from a loopback primary', () => {
  it('linking transfers with the right key: soa_serial is the served serial', async () => {
    const zone = await link({ ip: primary.ip, port: primary.port, key: KEY });
    expect(zone.incoming?.soa_serial).toBe(2026120701);
    expect(zone.lastTransfer?.result).toBe('serial 2026120701');
    expect(primary.received).toEqual([{ zone: ZONE, type: 'AXFR', key: 'xfr.example.', outcome: 'NOERROR' }]);
  });

  it('force_axfr after a bump on the primary takes the new serial', async () => {
    const zone = await link({ ip: primary.ip, port: primary.port, key: KEY });
    const serial = primary.bump(ZONE, 3);
    expect((await api('POST', `/zones/${zone.id}/secondary_dns/force_axfr`)).status).toBe(200);
    await em.transfersDone();
    expect(current(zone.id).incoming?.soa_serial).toBe(serial);
  });

  it('a wrong secret fails the transfer: only checked_time moves', async () => {
    const zone = await link({ ip: primary.ip, port: primary.port, key: { ...KEY, secret: 'd3Jvbmctc2VjcmV0' } });
    expect(zone.incoming?.soa_serial).toBe(0);
    expect(zone.incoming?.checked_time).not.toBe(NEVER);
    expect(zone.incoming?.modified_time).toBe(zone.incoming?.created_time);
    expect(zone.lastTransfer?.result).toBe('BADSIG');
  });

  it('a transfer whose signatures do not verify fails: bad_signature', async () => {
    primary.signAnswers('forged');
    const zone = await link({ ip: primary.ip, port: primary.port, key: KEY });
    expect([zone.incoming?.soa_serial, zone.lastTransfer?.result]).toEqual([0, 'bad_signature']);
  });

  it('no key where the primary requires one is REFUSED; a closed port is no answer', async () => {
    expect((await link({ ip: primary.ip, port: primary.port })).lastTransfer?.result).toBe('REFUSED');
    em.reset();
    em.transfers({ delayMs: 0 });
    const closed = await link({ ip: '127.0.0.1', port: 1 });
    expect(closed.incoming?.soa_serial).toBe(0);
    expect(closed.lastTransfer?.result).toBe('connection_refused');
  });

  it('a peer with a documentation address keeps the simulated transfer', async () => {
    const zone = await link({ ip: '192.0.2.53', port: 53 });
    expect(zone.incoming?.soa_serial).toBe(2026010101);
    expect(zone.lastTransfer).toBeUndefined();
  });

  it('under plain Node too (npm run emulator), where src/ is loaded through the import hook', async () => {
    const cli = join(import.meta.dirname, 'cli.ts');
    const child = spawn(process.execPath, ['--import', LOOPBACK_GUARD, cli, '--secondary-zone', ZONE]);
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const info = JSON.parse(line);
      const remote = { url: info.url, token: info.token } as Emulator;
      const accounts = `/accounts/${info.accountId}/secondary_dns`;
      const tsig = (await api('POST', `${accounts}/tsigs`, KEY, remote)).json.result;
      const peer = (await api('POST', `${accounts}/peers`, { name: 'ns1' }, remote)).json.result;
      const update = { name: 'ns1', ip: primary.ip, port: primary.port, tsig_id: tsig.id };
      expect((await api('PUT', `${accounts}/peers/${peer.id}`, update, remote)).status).toBe(200);
      const incoming = `/zones/${info.zones[ZONE]}/secondary_dns/incoming`;
      const body = { name: ZONE, peers: [peer.id], auto_refresh_seconds: 86400 };
      expect((await api('POST', incoming, body, remote)).status).toBe(200);
      let serial = 0;
      for (let i = 0; i < 100 && serial === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        serial = (await api('GET', incoming, undefined, remote)).json.result.soa_serial;
      }
      expect(serial).toBe(primary.serial(ZONE));
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});

describe.runIf(bindProgram('named') !== undefined || process.env.CI)('real transfers from BIND', () => {
  let bind: Bind;
  beforeAll(async () => {
    bind = await startBind({ zones: [{ name: ZONE, serial: 2026120701 }] });
  }, 30_000);
  afterAll(() => bind?.close());
  afterEach(() => em.reset());

  it("the key tsig-keygen made transfers BIND's serial, and a bump plus force_axfr ends in sync", async () => {
    const zone = await link({ ip: bind.ip, port: bind.port, key: bind.key });
    expect(zone.incoming?.soa_serial).toBe(bind.serial(ZONE));
    const serial = await bind.bump(ZONE, 2);
    await api('POST', `/zones/${zone.id}/secondary_dns/force_axfr`);
    await em.transfersDone();
    expect(current(zone.id).incoming?.soa_serial).toBe(serial);
  });

  it('a wrong secret is BADSIG, a wrong name BADKEY: soa_serial stays', async () => {
    const badSig = await link({ ip: bind.ip, port: bind.port, key: { ...bind.key, secret: 'd3Jvbmctc2VjcmV0' } });
    expect([badSig.incoming?.soa_serial, badSig.lastTransfer?.result]).toEqual([0, 'BADSIG']);
    em.reset();
    em.transfers({ delayMs: 0 });
    const badKey = await link({ ip: bind.ip, port: bind.port, key: { ...bind.key, name: 'other.example' } });
    expect([badKey.incoming?.soa_serial, badKey.lastTransfer?.result]).toEqual([0, 'BADKEY']);
  });
});
