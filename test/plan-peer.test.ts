// The decisions, as a pure function: situation in, plan out.
import { describe, expect, it } from 'vitest';
import type { Peer } from '../src/cloudflare/peer.ts';
import { readSettings, type Settings } from '../src/inputs.ts';
import { PlanError } from '../src/plan/error.ts';
import { decide } from '../src/plan/peer.ts';

/** Settings as the action reads them from a name and a token, with the given fields changed. */
const settings = (overrides: Partial<Settings> = {}): Settings => {
  const inputs: Record<string, string> = { account_id: '0'.repeat(32), name: 'ns1', api_token: 't' };
  return { ...readSettings((name) => inputs[name] ?? '', {}), ...overrides };
};
const peer = (fields: Partial<Peer> = {}): Peer => ({ id: 'a'.repeat(32), name: 'ns1', ip: '', port: 0, ...fields });
const byName = (...peers: Peer[]) => ({ by: 'name' as const, name: 'ns1', peers });

describe('decide', () => {
  it('creates by name only, and configures only what is given', () => {
    expect(decide(settings(), byName())).toEqual({ operation: 'created', name: 'ns1', configure: undefined });
    expect(decide(settings({ desired: { port: 53 } }), byName())).toEqual({
      operation: 'created',
      name: 'ns1',
      configure: { name: 'ns1', port: 53 },
    });
  });

  it('sends the full object on update, keeping the fields not given', () => {
    const current = peer({ ip: '192.0.2.1', port: 53, ixfr_enable: true, tsig_id: 'b'.repeat(32) });
    expect(decide(settings({ desired: { port: 5353 } }), byName(current))).toEqual({
      operation: 'updated',
      peer: current,
      body: { name: 'ns1', ip: '192.0.2.1', port: 5353, ixfr_enable: true, tsig_id: 'b'.repeat(32) },
      changes: [{ field: 'port', before: '53', after: '5353' }],
    });
  });

  it('sees one IPv6 address in two spellings as unchanged', () => {
    const current = peer({ ip: '2001:db8::53' });
    expect(decide(settings({ desired: { ip: '2001:DB8:0:0::53' } }), byName(current)).operation).toBe('unchanged');
  });

  it('refuses to guess between peers that share the name', () => {
    const plan = () => decide(settings({ state: 'absent' }), byName(peer(), peer({ id: 'c'.repeat(32) })));
    expect(plan).toThrow(PlanError);
    expect(plan).toThrow(`2 peers are named "ns1" (${'a'.repeat(32)}, ${'c'.repeat(32)})`);
  });

  it('reports not_found for absent with nothing there, with the name looked up', () => {
    expect(decide(settings({ state: 'absent' }), byName())).toEqual({ operation: 'not_found', name: 'ns1' });
  });
});
