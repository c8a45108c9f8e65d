// In-memory state of the one account the emulator serves. Maps keep insertion order,
// which is the creation order the List endpoints return.
import { randomBytes } from 'node:crypto';
import { ZoneStore } from './zone-store.ts';

export interface Peer {
  id: string;
  name: string;
  ip?: string;
  port?: number;
  ixfr_enable?: boolean;
  tsig_id?: string;
}

export interface Tsig {
  id: string;
  name: string;
  algo: string;
  secret: string;
}

/** Cloudflare ids are 32 lowercase hex characters. */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** The shape the API returns: unset ip/port/ixfr read as ""/0/false, and tsig_id is absent when none. */
export function normalizePeer(fields: Peer): Peer {
  const peer: Peer = {
    id: fields.id,
    name: fields.name,
    ip: fields.ip ?? '',
    port: fields.port ?? 0,
    ixfr_enable: fields.ixfr_enable ?? false,
  };
  if (fields.tsig_id) peer.tsig_id = fields.tsig_id;
  return peer;
}

export class Store {
  readonly peers = new Map<string, Peer>();
  readonly tsigs = new Map<string, Tsig>();
  readonly zones = new ZoneStore();

  clear(): void {
    this.peers.clear();
    this.tsigs.clear();
    this.zones.clear();
  }
}
