// Zones (of the served account and, for isolation tests, of others) with their transfer configurations,
// and what a simulated transfer changes. The API result objects are stored as the API returns them.
import { TransferTimers } from './transfers.ts';

export type ZoneType = 'full' | 'secondary';

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
  /** The zone's current serial. Every simulated transfer stands for a new version of the zone and bumps it. */
  soaSerial: number;
  createdOn: string;
  incoming?: IncomingConfig;
  outgoing?: OutgoingConfig;
  /** Outgoing transfers happen only while enabled; a new outgoing configuration starts disabled. */
  outgoingEnabled: boolean;
}

export interface ZoneSeed {
  name: string;
  id?: string;
  /** Defaults to the emulator's account; another id makes a zone the served credentials cannot see. */
  accountId?: string;
  /** 'full' by default; an incoming configuration needs a 'secondary' zone. */
  type?: ZoneType;
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
    const zone: Zone = {
      id,
      name,
      accountId: fields.accountId,
      type: fields.type ?? 'full',
      soaSerial: fields.soaSerial ?? 2026010100,
      createdOn: now(),
      outgoingEnabled: fields.outgoing?.enabled ?? false,
    };
    if (fields.incoming) {
      const incoming = newIncoming(zone, { auto_refresh_seconds: 86400, ...fields.incoming });
      zone.incoming = { ...incoming, soa_serial: zone.soaSerial, checked_time: incoming.created_time };
    }
    if (fields.outgoing) {
      const outgoing = newOutgoing(zone, fields.outgoing);
      const time = outgoing.created_time;
      zone.outgoing = { ...outgoing, soa_serial: zone.soaSerial, checked_time: time, last_transferred_time: time };
    }
    this.items.set(id, zone);
    return zone;
  }

  clear(): void {
    this.transfers.reset();
    this.items.clear();
  }
}
