// The DNS client the peer check uses, against the small primary on loopback: what each answer proves.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reached } from '../src/dns/serial.ts';
import { checkSoa } from '../src/dns/soa.ts';
import { sign, type TsigKey, verify } from '../src/dns/tsig.ts';
import { closedPort, type Primary, startPrimary } from './dns/primary.ts';

const KEY: TsigKey = { name: 'xfr.example.', algo: 'hmac-sha256.', secret: 'c2VjcmV0LW9uZS1mb3ItdGVzdHM=' };
const ZONE = 'example.com';
let primary: Primary;

beforeAll(async () => {
  primary = await startPrimary({ zones: [{ name: ZONE, serial: 2026120701 }, 'other.example'], keys: [KEY] });
});
afterAll(() => primary.close());
beforeEach(() => {
  primary.received.length = 0;
  primary.silent(false);
  primary.setMode(ZONE, 'serve');
  primary.signAnswers('signed');
});

const check = (overrides: Partial<Parameters<typeof checkSoa>[0]> = {}) =>
  checkSoa({ ip: primary.ip, port: primary.port, zone: ZONE, key: KEY, timeoutMs: 2000, ...overrides });

describe('checkSoa against the small primary', () => {
  it('the right key proves the zone and reads its serial', async () => {
    expect(await check()).toEqual({ kind: 'serial', serial: primary.serial(ZONE) });
    expect(primary.received).toEqual([{ zone: ZONE, type: 'SOA', key: 'xfr.example.', outcome: 'NOERROR' }]);
  });

  it('reads a bumped serial', async () => {
    const serial = primary.bump(ZONE, 5);
    expect(await check()).toEqual({ kind: 'serial', serial });
  });

  it('any case of the key name and the algorithm without its dot authenticate', async () => {
    const key = { ...KEY, name: 'XFR.Example', algo: 'HMAC-SHA256' };
    expect(await check({ key })).toEqual({ kind: 'serial', serial: primary.serial(ZONE) });
  });

  it('without a key, an unsigned SOA query is answered', async () => {
    expect(await check({ key: undefined })).toEqual({ kind: 'serial', serial: primary.serial(ZONE) });
  });

  it('a wrong secret is BADSIG', async () => {
    expect(await check({ key: { ...KEY, secret: 'd3Jvbmctc2VjcmV0' } })).toEqual({ kind: 'tsig', error: 'BADSIG' });
    expect(primary.received.at(-1)?.outcome).toBe('BADSIG');
  });

  it('a wrong key name is BADKEY, and so is another algorithm', async () => {
    expect(await check({ key: { ...KEY, name: 'other.example.' } })).toEqual({ kind: 'tsig', error: 'BADKEY' });
    expect(await check({ key: { ...KEY, algo: 'hmac-sha512.' } })).toEqual({ kind: 'tsig', error: 'BADKEY' });
  });

  it('an unsigned answer to a signed query, or one whose signature does not verify, is not trusted', async () => {
    primary.signAnswers('unsigned');
    expect(await check()).toEqual({ kind: 'tsig', error: 'unsigned' });
    primary.signAnswers('forged');
    expect(await check()).toEqual({ kind: 'tsig', error: 'bad_signature' });
  });

  it('clock skew beyond the fudge is BADTIME', async () => {
    const skewed = await startPrimary({ zones: [ZONE], keys: [KEY], now: () => Math.floor(Date.now() / 1000) + 3600 });
    try {
      const result = await checkSoa({ ip: skewed.ip, port: skewed.port, zone: ZONE, key: KEY, timeoutMs: 2000 });
      expect(result).toEqual({ kind: 'tsig', error: 'BADTIME' });
    } finally {
      await skewed.close();
    }
  });

  it('a zone it does not serve is REFUSED', async () => {
    expect(await check({ zone: 'not-served.example' })).toEqual({ kind: 'refused' });
  });

  it('NOTAUTH, NXDOMAIN and a non-authoritative answer say the zone is not served', async () => {
    for (const mode of ['NOTAUTH', 'NXDOMAIN', 'not_authoritative'] as const) {
      primary.setMode(ZONE, mode);
      expect(await check()).toEqual({ kind: 'not_served', rcode: mode });
    }
  });

  it('a closed port is no answer, quickly', async () => {
    const port = await closedPort();
    const started = Date.now();
    const result = await check({ port, timeoutMs: 5000 });
    expect(result).toMatchObject({ kind: 'no_answer', reason: 'connection_refused' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a nameserver that never answers is no answer after the timeout', async () => {
    primary.silent(true);
    const started = Date.now();
    const result = await check({ timeoutMs: 300 });
    expect(result).toMatchObject({ kind: 'no_answer', reason: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('no result and no error carries the secret', async () => {
    const results = [await check(), await check({ key: { ...KEY, secret: 'd3Jvbmctc2VjcmV0' } })];
    expect(JSON.stringify(results)).not.toContain(KEY.secret);
    const unsupported = await check({ key: { ...KEY, algo: 'hmac-md4.' } }).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(unsupported).toMatch(/unsupported TSIG algorithm/);
    expect(unsupported).not.toContain(KEY.secret);
  });
});

describe('TSIG', () => {
  const query = Buffer.from('abcd00000001000000000000076578616d706c6503636f6d0000060001', 'hex');

  it('every RFC 8945 HMAC algorithm signs and verifies; a changed byte does not verify', () => {
    for (const algo of ['hmac-sha1.', 'hmac-sha224.', 'hmac-sha256.', 'hmac-sha384.', 'hmac-sha512.']) {
      const key = { ...KEY, algo };
      const signed = sign(query, key).message;
      expect(verify(signed, [key])).toMatchObject({ ok: true });
      const tampered = Buffer.from(signed);
      tampered[13] = (tampered[13] ?? 0) ^ 1;
      expect(verify(tampered, [key])).toMatchObject({ ok: false, error: 'BADSIG' });
    }
  });

  it("an answer's MAC covers the request's MAC", () => {
    const request = sign(query, KEY);
    const answer = sign(query, KEY, { priorMac: request.mac }).message;
    expect(verify(answer, [KEY], { priorMac: request.mac })).toMatchObject({ ok: true });
    expect(verify(answer, [KEY], { priorMac: Buffer.alloc(32) })).toMatchObject({ ok: false, error: 'BADSIG' });
  });
});

describe('RFC 1982 serials', () => {
  it('reached: equal, newer, and newer across the wrap', () => {
    expect(reached(5, 5)).toBe(true);
    expect(reached(6, 5)).toBe(true);
    expect(reached(4, 5)).toBe(false);
    expect(reached(1, 4294967295)).toBe(true);
    expect(reached(4294967295, 1)).toBe(false);
    expect(reached(2 ** 31, 0)).toBe(false);
  });
});
