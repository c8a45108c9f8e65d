// Zones (of the served account and, for isolation tests, of others) with their transfer configurations,
// and what a simulated transfer changes. The API result objects are stored as the API returns them.
import { TransferTimers } from './transfers.ts';

/** What POST /zones accepts (Cloudflare also has 'internal', which the published schema leaves out). */
export const ZONE_TYPES = ['full', 'partial', 'secondary'] as const;
export type ZoneType = (typeof ZONE_TYPES)[number];
/** A new zone is pending until its delegation is seen; seeded zones are active unless told otherwise. */
export type ZoneStatus = 'initializing' | 'pending' | 'active' | 'moved';

/** Cloudflare is secondary: the zone's primaries (peers) are transferred from. */
export interface IncomingConfig {
  id: string;
  name: string;
  peers: string[];
  auto_refresh_seconds: number;
  checked_time: string;
  created_time: string;
  modified_time: string;
  soa_serial: number;
}

/** Cloudflare is primary: the zone's secondaries (peers) are notified and transfer from it. */
export interface OutgoingConfig {
  id: string;
  name: string;
  peers: string[];
  checked_time: string;
  created_time: string;
  last_transferred_time: string;
  soa_serial: number;
}

export interface Zone {
  id: string;
  name: string;
  accountId: string;
  type: ZoneType;
  status: ZoneStatus;
  /** The nameservers Cloudflare assigned: nsNNNN.secondary.cloudflare.com for secondary zones. */
  nameServers: string[];
  /** The zone's current serial. Every simulated transfer stands for a new version of the zone and bumps it. */
  soaSerial: number;
  createdOn: string;
  /** When the zone became active; null while it is not. */
  activatedOn: string | null;
  incoming?: IncomingConfig;
  outgoing?: OutgoingConfig;
  /** Outgoing transfers happen only while enabled; a new outgoing configuration starts disabled. */
  outgoingEnabled: boolean;
  /** The last real transfer from a loopback peer: what it found (never in an API answer, for tests). */
  lastTransfer?: { peer: string; result: string };
}

export interface ZoneSeed {
  name: string;
  id?: string;
  /** Defaults to the emulator's account; another id makes a zone the served credentials cannot see. */
  accountId?: string;
  /** 'full' by default; an incoming configuration needs a 'secondary' zone. */
  type?: ZoneType;
  /** 'active' by default: a seeded zone stands for one the account has had for a while. */
  status?: ZoneStatus;
  /** Assigned from the id by default, as nameServersFor() does. */
  nameServers?: string[];
  soaSerial?: number;
  /** An existing configuration, as if it had transferred once already. Peer ids are not checked. */
  incoming?: { peers: string[]; auto_refresh_seconds?: number };
  outgoing?: { peers: string[]; enabled?: boolean };
}

export type Direction = 'incoming' | 'outgoing';

/** Times before the first transfer: Go's zero time, which is what an unset time looks like from a Go API. */
export const NEVER = '0001-01-01T00:00:00Z';
const ZONE_ID = /^[0-9a-f]{32}$/;

export const now = (): string => new Date().toISOString();

/** Zone names compare without case and trailing dot. */
export function canonicalZoneName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

const FULL_NS_NAMES = ['ada', 'bob', 'cruz', 'dana', 'elle', 'fred', 'gina', 'hugo', 'iris', 'jack', 'kate', 'leo'];

/**
 * Two nameservers of the kind Cloudflare assigns: nsNNNN.secondary.cloudflare.com for a secondary zone,
 * name.ns.cloudflare.com otherwise. Derived from the zone id, so a zone keeps its pair.
 */
export function nameServersFor(id: string, type: ZoneType): string[] {
  const a = Number.parseInt(id.slice(0, 4), 16);
  const b = Number.parseInt(id.slice(4, 8), 16);
  if (type === 'secondary') {
    const first = 1000 + (a % 8999);
    const second = 1000 + ((first - 1000 + 1 + (b % 8998)) % 8999);
    return [`ns${first}.secondary.cloudflare.com`, `ns${second}.secondary.cloudflare.com`];
  }
  const count = FULL_NS_NAMES.length;
  const first = a % count;
  const second = (first + 1 + (b % (count - 1))) % count;
  return [FULL_NS_NAMES[first], FULL_NS_NAMES[second]].map((name) => `${name}.ns.cloudflare.com`);
}

export function newIncoming(zone: Zone, fields: { peers: string[]; auto_refresh_seconds: number }): IncomingConfig {
  const time = now();
  return {
    id: zone.id,
    name: zone.name,
    peers: [...fields.peers],
    auto_refresh_seconds: fields.auto_refresh_seconds,
    checked_time: NEVER,
    created_time: time,
    modified_time: time,
    soa_serial: 0,
  };
}

export function newOutgoing(zone: Zone, fields: { peers: string[] }): OutgoingConfig {
  return {
    id: zone.id,
    name: zone.name,
    peers: [...fields.peers],
    checked_time: NEVER,
    created_time: now(),
    last_transferred_time: NEVER,
    soa_serial: 0,
  };
}

/** A transfer completed: the zone has a new serial and the configuration reports it. */
export function completeTransfer(zone: Zone, direction: Direction): void {
  const time = now();
  zone.soaSerial += 1;
  if (direction === 'incoming' && zone.incoming) {
    Object.assign(zone.incoming, { soa_serial: zone.soaSerial, checked_time: time, modified_time: time });
  }
  if (direction === 'outgoing' && zone.outgoing) {
    Object.assign(zone.outgoing, { soa_serial: zone.soaSerial, checked_time: time, last_transferred_time: time });
  }
}

/** A real transfer from the zone's primary succeeded: the configuration reports the serial it carried. */
export function completeRealTransfer(zone: Zone, serial: number): void {
  const time = now();
  zone.soaSerial = serial;
  if (zone.incoming) Object.assign(zone.incoming, { soa_serial: serial, checked_time: time, modified_time: time });
}

/** A real transfer failed: Cloudflare checked, and nothing else changes. */
export function failRealTransfer(zone: Zone): void {
  if (zone.incoming) zone.incoming.checked_time = now();
}

export class ZoneStore {
  readonly items = new Map<string, Zone>();
  readonly transfers = new TransferTimers();

  seed(fields: ZoneSeed & { id: string; accountId: string }): Zone {
    const { id } = fields;
    if (!ZONE_ID.test(id)) throw new Error(`a zone id is 32 lowercase hex characters, got ${id}`);
    if (this.items.has(id)) throw new Error(`a zone with id ${id} already exists`);
    const name = canonicalZoneName(fields.name);
    if (name === '') throw new Error('a zone needs a name');
    if (fields.incoming && fields.type !== 'secondary')
      throw new Error('an incoming configuration needs a secondary zone');
    const zone = this.add({ ...fields, name, status: fields.status ?? 'active' });
    if (fields.incoming) {
      const incoming = newIncoming(zone, { auto_refresh_seconds: 86400, ...fields.incoming });
      zone.incoming = { ...incoming, soa_serial: zone.soaSerial, checked_time: incoming.created_time };
    }
    if (fields.outgoing) {
      const outgoing = newOutgoing(zone, fields.outgoing);
      const time = outgoing.created_time;
      zone.outgoing = { ...outgoing, soa_serial: zone.soaSerial, checked_time: time, last_transferred_time: time };
    }
    return zone;
  }

  /** What Create Zone makes: a pending zone with its nameservers and no transfer configuration. */
  create(fields: { name: string; type: ZoneType; accountId: string; id: string }): Zone {
    return this.add({ ...fields, status: 'pending' });
  }

  /** The account's zone with this name (canonical), if it has one. */
  named(accountId: string, name: string): Zone | undefined {
    const wanted = canonicalZoneName(name);
    return [...this.items.values()].find((zone) => zone.accountId === accountId && zone.name === wanted);
  }

  /** Deletes the zone and its transfer configurations; a transfer still pending then finds nothing to update. */
  remove(zone: Zone): void {
    delete zone.incoming;
    delete zone.outgoing;
    zone.outgoingEnabled = false;
    this.items.delete(zone.id);
  }

  private add(fields: ZoneSeed & { id: string; accountId: string; status: ZoneStatus }): Zone {
    const type = fields.type ?? 'full';
    const createdOn = now();
    const zone: Zone = {
      id: fields.id,
      name: canonicalZoneName(fields.name),
      accountId: fields.accountId,
      type,
      status: fields.status,
      nameServers: fields.nameServers ?? nameServersFor(fields.id, type),
      soaSerial: fields.soaSerial ?? 2026010100,
      createdOn,
      activatedOn: fields.status === 'active' ? createdOn : null,
      outgoingEnabled: fields.outgoing?.enabled ?? false,
    };
    this.items.set(zone.id, zone);
    return zone;
  }

  clear(): void {
    this.transfers.reset();
    this.items.clear();
  }
}
