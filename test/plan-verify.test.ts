// What the peer's answers prove, as pure rules: which refuse the run before any write, which only warn, and
// each zone's verification in words.
import { describe, expect, it } from 'vitest';
import type { SoaResult } from '../src/dns/soa.ts';
import { PlanError } from '../src/plan/error.ts';
import { decideVerification, type VerifyFound, warningsOf } from '../src/plan/verify.ts';

const peer = { ip: '127.0.0.1', port: 5300, key: { name: 'xfr.example.', algo: 'hmac-sha256.' } };
const found = (results: SoaResult[], fields: Partial<VerifyFound> = {}): VerifyFound => ({
  mode: 'auto',
  role: 'secondary',
  peer,
  checks: results.map((result, n) => ({ id: `id${n}`, name: `z${n}.example`, result })),
  ...fields,
});
const refusal = (value: VerifyFound): string => {
  try {
    decideVerification(value);
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('decideVerification', () => {
  it('a serial proves the zone: the peer serial and the words', () => {
    expect(decideVerification(found([{ kind: 'serial', serial: 42 }]))).toEqual([
      {
        id: 'id0',
        name: 'z0.example',
        role: 'secondary',
        peer_serial: 42,
        verification: 'serves serial 42, key xfr.example. accepted',
      },
    ]);
  });

  it.each([
    ['BADSIG', 'its secret differs'],
    ['BADKEY', 'knows no key of that name and algorithm'],
    ['BADTIME', 'clock'],
    ['unsigned', 'without signing its answer'],
    ['bad_signature', 'does not verify'],
  ] as const)('%s refuses, naming the zone, the address and the key', (error, words) => {
    const message = refusal(found([{ kind: 'tsig', error }]));
    expect(message).toContain('Zone z0.example: the nameserver at 127.0.0.1:5300');
    expect(message).toContain('xfr.example. (hmac-sha256.)');
    expect(message).toContain(words);
  });

  it('every zone that cannot work is named at once', () => {
    const message = refusal(
      found([
        { kind: 'not_served', rcode: 'NXDOMAIN' },
        { kind: 'serial', serial: 1 },
        { kind: 'tsig', error: 'BADSIG' },
      ]),
    );
    expect(message).toContain(
      'Zone z0.example: the nameserver at 127.0.0.1:5300 does not serve the zone (it answered NXDOMAIN)',
    );
    expect(message).toContain('Zone z2.example');
    expect(message).not.toContain('z1.example');
  });

  it('REFUSED and no answer refuse with true, not with auto', () => {
    const answers: SoaResult[] = [
      { kind: 'refused' },
      { kind: 'no_answer', reason: 'timeout', message: 'no answer within 5000 ms' },
    ];
    expect(decideVerification(found(answers)).map((zone) => zone.verification)).toEqual([
      'REFUSED (warning)',
      'no answer (timeout) (warning)',
    ]);
    expect(refusal(found(answers, { mode: 'true' }))).toContain('or set verify_peer: auto to only warn');
  });

  it('for the primary role nothing refuses, with true either', () => {
    const answers: SoaResult[] = [
      { kind: 'tsig', error: 'BADSIG' },
      { kind: 'not_served', rcode: 'NOTAUTH' },
      { kind: 'refused' },
    ];
    expect(decideVerification(found(answers, { role: 'primary', mode: 'true' }))).toHaveLength(3);
  });

  it('nothing asked (no ip): no verification', () => {
    expect(decideVerification({ mode: 'auto', role: 'secondary', checks: [], skipped: 'the peer has no ip' })).toEqual(
      [],
    );
  });
});

describe('warningsOf', () => {
  it("no answer: one warning for the run, every zone named, with Cloudflare's addresses", () => {
    const silent: SoaResult = {
      kind: 'no_answer',
      reason: 'connection_refused',
      message: 'connection refused by 127.0.0.1:5300',
    };
    const warnings = warningsOf(found([silent, silent, { kind: 'serial', serial: 1 }]));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('zones z0.example, z1.example');
    expect(warnings[0]).toContain('104.30.167.163, 104.30.167.173 and 2a09:bac0:1000:c47::/64');
  });

  it('REFUSED with auto: both readings; with true: no warning (it refuses instead)', () => {
    const [warning] = warningsOf(found([{ kind: 'refused' }]));
    expect(warning).toContain('Either it does not serve the zone, or it does not answer queries from the runner');
    expect(warningsOf(found([{ kind: 'refused' }], { mode: 'true' }))).toEqual([]);
  });

  it('the primary role warns for every failure, and lists the address Cloudflare serves transfers at', () => {
    const warnings = warningsOf(
      found(
        [
          { kind: 'tsig', error: 'BADKEY' },
          { kind: 'no_answer', reason: 'timeout', message: 'no answer' },
        ],
        { role: 'primary' },
      ),
    );
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('may not have the zone yet');
    expect(warnings[1]).toContain('172.65.64.6');
  });

  it('TSIG errors and unserved zones of a secondary zone are refusals, not warnings', () => {
    expect(
      warningsOf(
        found([
          { kind: 'tsig', error: 'BADSIG' },
          { kind: 'not_served', rcode: 'NXDOMAIN' },
        ]),
      ),
    ).toEqual([]);
  });
});
