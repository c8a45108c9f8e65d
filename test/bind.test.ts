// The DNS client against a nameserver nobody here wrote: BIND on a loopback port, with a key from
// tsig-keygen that queries and transfers require. Skips only where named is not installed and this is
// not CI; in CI a missing named fails the suite (.ci/run installs bind9).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSoa } from '../src/dns/soa.ts';
import { type Bind, bindProgram, startBind } from './dns/bind.ts';

const ZONE = 'example.com';
const installed = bindProgram('named') !== undefined;

describe.runIf(installed || process.env.CI)('checkSoa against BIND', () => {
  let bind: Bind;
  beforeAll(async () => {
    if (!installed) throw new Error('named is not installed: CI must install bind9 (see .ci/run)');
    bind = await startBind({ zones: [{ name: ZONE, serial: 2026120701 }] });
  }, 30_000);
  afterAll(() => bind?.close());

  const check = (overrides: Partial<Parameters<typeof checkSoa>[0]> = {}) =>
    checkSoa({ ip: bind.ip, port: bind.port, zone: ZONE, key: bind.key, timeoutMs: 3000, ...overrides });

  it("the key tsig-keygen made proves the zone and reads BIND's serial", async () => {
    expect(await check()).toEqual({ kind: 'serial', serial: 2026120701 });
  });

  it("Cloudflare's spelling of the key (trailing dots, any case) authenticates too", async () => {
    const key = { ...bind.key, name: `${bind.key.name.toUpperCase()}.`, algo: `${bind.key.algo}.` };
    expect(await check({ key })).toEqual({ kind: 'serial', serial: 2026120701 });
  });

  it('a wrong secret is BADSIG', async () => {
    expect(await check({ key: { ...bind.key, secret: 'd3Jvbmctc2VjcmV0LWZvci1iaW5k' } })).toEqual({
      kind: 'tsig',
      error: 'BADSIG',
    });
  });

  it('a wrong key name is BADKEY, and so is another algorithm', async () => {
    expect(await check({ key: { ...bind.key, name: 'other.example' } })).toEqual({ kind: 'tsig', error: 'BADKEY' });
    expect(await check({ key: { ...bind.key, algo: 'hmac-sha512' } })).toEqual({ kind: 'tsig', error: 'BADKEY' });
  });

  it('a query signed an hour off is BADTIME (a signed error answer)', async () => {
    const now = () => Math.floor(Date.now() / 1000) - 3600;
    expect(await check({ now })).toEqual({ kind: 'tsig', error: 'BADTIME' });
  });

  it('a zone BIND does not serve is not served (REFUSED or NOTAUTH)', async () => {
    const result = await check({ zone: 'not-served.example' });
    expect(['refused', 'not_served']).toContain(result.kind);
  });

  it('an unsigned query, which its ACL does not allow, is REFUSED', async () => {
    expect(await check({ key: undefined })).toEqual({ kind: 'refused' });
  });

  it('a bumped serial is served after the reload', async () => {
    const serial = await bind.bump(ZONE, 7);
    expect(serial).toBe(2026120708);
    expect(await check()).toEqual({ kind: 'serial', serial });
  });
});

describe.runIf(installed || process.env.CI)('every RFC 8945 HMAC algorithm against BIND', () => {
  it.each(['hmac-sha1', 'hmac-sha224', 'hmac-sha384', 'hmac-sha512'])('%s proves the zone', async (algorithm) => {
    const bind = await startBind({ zones: [{ name: ZONE, serial: 7 }], keyName: 'alg.example', algorithm });
    try {
      const result = await checkSoa({ ip: bind.ip, port: bind.port, zone: ZONE, key: bind.key, timeoutMs: 3000 });
      expect(result).toEqual({ kind: 'serial', serial: 7 });
    } finally {
      await bind.close();
    }
  });
});
