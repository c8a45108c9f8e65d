// The zone-link rules, pure: link, already linked, 30 peers, one TSIG key per zone, last peer.
import { describe, expect, it } from 'vitest';
import type { TransferConfig, ZoneRole } from '../src/cloudflare/zone.ts';
import { PlanError } from '../src/plan/error.ts';
import {
  decideLinks,
  decideUnlinks,
  linkBody,
  type PeerDirectory,
  unlinkBody,
  type ZoneFound,
  type ZonePlan,
} from '../src/plan/zone.ts';

const id = (n: number) => n.toString(16).padStart(32, '0');
const zone = (name: string, role: ZoneRole = 'secondary', config?: Partial<TransferConfig>): ZoneFound => ({
  zone: { id: id(name.length), name },
  role,
  config: config && { peers: [], ...config },
});
const KEY = 'a'.repeat(32);
const OTHER_KEY = 'b'.repeat(32);
const directory: PeerDirectory = new Map([
  [id(1), { name: 'ns-plain', tsigId: '' }],
  [id(2), { name: 'ns-signed', tsigId: KEY }],
  [id(3), { name: 'ns-other-key', tsigId: OTHER_KEY }],
]);

function first(plans: ZonePlan[]): ZonePlan {
  const [plan] = plans;
  if (!plan) throw new Error('expected a plan');
  return plan;
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('decideLinks', () => {
  it('creates a configuration where there is none, adds to one that exists, leaves a linked one alone', () => {
    const plans = decideLinks(
      [
        zone('new.example'),
        zone('shared.example', 'secondary', { peers: [id(1)] }),
        zone('done.example', 'primary', { peers: [id(9)] }),
      ],
      { id: id(9), name: 'ns9', tsigId: '' },
      directory,
    );
    expect(plans.map((plan) => [plan.zone.name, plan.operation, plan.createsConfig])).toEqual([
      ['new.example', 'linked', true],
      ['shared.example', 'linked', false],
      ['done.example', 'unchanged', false],
    ]);
  });

  it('refuses a 31st peer, naming the zone', () => {
    const full = zone('busy.example', 'secondary', { peers: Array.from({ length: 30 }, (_, n) => id(100 + n)) });
    expect(refusal(() => decideLinks([full], { name: 'ns9', tsigId: '' }, directory))).toContain(
      'Zone busy.example: it already has 30 peers, and Cloudflare links at most 30',
    );
    const almost = zone('busy.example', 'secondary', { peers: Array.from({ length: 29 }, (_, n) => id(100 + n)) });
    expect(decideLinks([almost], { name: 'ns9', tsigId: '' }, directory)[0]?.operation).toBe('linked');
  });

  it('refuses mixed TSIG keys on one zone, every zone at once, and names the other peers', () => {
    const message = refusal(() =>
      decideLinks(
        [zone('plain.example', 'secondary', { peers: [id(1)] }), zone('keyed.example', 'primary', { peers: [id(3)] })],
        { name: 'ns9', tsigId: KEY },
        directory,
      ),
    );
    expect(message).toMatch(/^Nothing was written/);
    expect(message).toContain(
      `Zone plain.example: peer ns9 would use TSIG key ${KEY}, but ns-plain (${id(1)}) uses no TSIG key`,
    );
    expect(message).toContain(
      `Zone keyed.example: peer ns9 would use TSIG key ${KEY}, but ns-other-key (${id(3)}) uses TSIG key ${OTHER_KEY}`,
    );
  });

  it('accepts the same key, or none for all', () => {
    expect(
      decideLinks([zone('k.example', 'secondary', { peers: [id(2)] })], { name: 'n', tsigId: KEY }, directory),
    ).toHaveLength(1);
    expect(
      decideLinks([zone('p.example', 'secondary', { peers: [id(1)] })], { name: 'n', tsigId: '' }, directory),
    ).toHaveLength(1);
  });
});

describe('decideUnlinks', () => {
  it('unlinks where linked, reports not_linked elsewhere', () => {
    const plans = decideUnlinks(
      [
        zone('two.example', 'secondary', { peers: [id(1), id(9)] }),
        zone('none.example'),
        zone('other.example', 'primary', { peers: [id(1)] }),
      ],
      id(9),
    );
    expect(plans.map((plan) => plan.operation)).toEqual(['unlinked', 'not_linked', 'not_linked']);
  });

  it("never removes a zone's last peer", () => {
    expect(refusal(() => decideUnlinks([zone('solo.example', 'primary', { peers: [id(9)] })], id(9)))).toContain(
      "Zone solo.example: this peer is its only peer, and removing it would stop the zone's transfers",
    );
  });
});

describe('bodies', () => {
  it('keep every other peer and setting', () => {
    const plan = first(
      decideLinks(
        [zone('z.example', 'secondary', { name: 'z.example', peers: [id(1)], auto_refresh_seconds: 3600 })],
        { name: 'n', tsigId: '' },
        directory,
      ),
    );
    expect(linkBody(plan, id(9), 86400)).toEqual({
      name: 'z.example',
      peers: [id(1), id(9)],
      auto_refresh_seconds: 3600,
    });
    const fresh = first(decideLinks([zone('f.example')], { name: 'n', tsigId: '' }, directory));
    expect(linkBody(fresh, id(9), 600)).toEqual({
      name: 'f.example',
      peers: [id(9)],
      auto_refresh_seconds: 600,
    });
    const primary = first(decideLinks([zone('p.example', 'primary')], { name: 'n', tsigId: '' }, directory));
    expect(linkBody(primary, id(9), 600)).toEqual({ name: 'p.example', peers: [id(9)] });
    expect(
      unlinkBody(
        { name: 'z.example', peers: [id(1), id(9)], auto_refresh_seconds: 3600 },
        { id: id(1), name: 'z.example' },
        'secondary',
        id(9),
      ),
    ).toEqual({ name: 'z.example', peers: [id(1)], auto_refresh_seconds: 3600 });
  });
});
