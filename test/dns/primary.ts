// A small authoritative primary for tests and the demo: TCP on 127.0.0.1 (port 0: a free one), SOA and AXFR for
// its zones, TSIG checked as RFC 8945 says (BADKEY and BADSIG unsigned, BADTIME signed), REFUSED for a zone it
// does not serve. A test bumps a serial, scripts a zone's answer, and reads what was asked.
import { createServer, type Server, type Socket } from 'node:net';
import { type Answer, type DecodedPacket, decode, encode, type Question } from 'dns-packet';
import { readTsig, sign, TSIG_ERROR, type TsigKey, verify } from '../../src/dns/tsig.ts';
import { canonicalZoneName } from '../emulator/zone-store.ts';

/** How the primary answers for a zone: normally, or as a nameserver that does not serve it would. */
export type ZoneMode = 'serve' | 'NOTAUTH' | 'NXDOMAIN' | 'not_authoritative';

export type Signing = 'signed' | 'unsigned' | 'forged';

export interface PrimaryZone {
  name: string;
  serial?: number;
  mode?: ZoneMode;
}

export interface PrimaryOptions {
  zones: (string | PrimaryZone)[];
  /** The keys it knows. With keys, an unsigned AXFR is REFUSED (an unsigned SOA query is answered). */
  keys?: TsigKey[];
  port?: number;
  /** Seconds since the epoch, for BADTIME tests. */
  now?: () => number;
}

export interface Received {
  zone: string;
  type: string;
  /** The key name the query was signed with, if any. */
  key?: string;
  /** NOERROR, REFUSED, NOTAUTH… and for TSIG errors BADKEY/BADSIG/BADTIME. */
  outcome: string;
}

export interface Primary {
  ip: '127.0.0.1';
  port: number;
  serial(zone: string): number;
  /** Adds to the zone's serial (RFC 1982: wraps at 2^32) and returns the new one. */
  bump(zone: string, by?: number): number;
  setMode(zone: string, mode: ZoneMode): void;
  /** How answers to correctly signed queries are signed: properly, not at all, or with another secret. */
  signAnswers(mode: Signing): void;
  /** Accept connections but never answer (a firewall that drops), until set back to false. */
  silent(on: boolean): void;
  /** Every query since the start (or the last clear), in arrival order. */
  received: Received[];
  /**
   * Holds every answer to an SOA query until no new one has come for `quietMs`, then sends them all, and
   * says how many it held at most: how many SOA queries a client had in flight at once, however slowly
   * each arrives (transfers are answered at once). Off again with undefined.
   */
  holdAnswers(quietMs: number | undefined): void;
  /** The most answers held at once since holdAnswers was turned on. */
  mostHeld: number;
  close(): Promise<void>;
}

const RCODE = { NOERROR: 0, NXDOMAIN: 3, REFUSED: 5, NOTAUTH: 9 } as const;
type Rcode = keyof typeof RCODE;

interface ZoneState {
  name: string;
  serial: number;
  mode: ZoneMode;
}

export async function startPrimary(options: PrimaryOptions): Promise<Primary> {
  const zones = new Map<string, ZoneState>();
  for (const entry of options.zones) {
    const zone = typeof entry === 'string' ? { name: entry } : entry;
    const name = canonicalZoneName(zone.name);
    zones.set(name, { name, serial: zone.serial ?? 2026120701, mode: zone.mode ?? 'serve' });
  }
  const keys = options.keys ?? [];
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  let quiet = false;
  let signing: Signing = 'signed';

  const zoneOf = (name: string): ZoneState => {
    const zone = zones.get(canonicalZoneName(name));
    if (!zone) throw new Error(`the primary does not serve ${name}`);
    return zone;
  };

  /** The answer messages to one query: none for what is not DNS, one per record for a transfer. */
  function answer(query: Buffer): Buffer[] {
    let packet: DecodedPacket;
    try {
      packet = decode(query);
    } catch {
      return []; // not DNS: dropped, as a nameserver would
    }
    const question = packet.questions?.[0];
    if (!question) return [];
    const record: Received = { zone: canonicalZoneName(question.name), type: question.type, outcome: 'NOERROR' };
    received.push(record);
    const reply = (rcode: Rcode, flags = 0, answers: Answer[] = []): Buffer => {
      record.outcome = rcode;
      return encode({ type: 'response', id: packet.id, flags: flags | RCODE[rcode], questions: [question], answers });
    };

    const signed = readTsig(query);
    if (!signed) return content(question, false, reply);
    record.key = signed.record.keyName;
    const checked = verify(query, keys, { now: now() });
    if (!checked.ok) {
      const body = reply('NOTAUTH');
      record.outcome = checked.error;
      const error = TSIG_ERROR[checked.error as keyof typeof TSIG_ERROR];
      // The error answer names the key the query named; BADTIME is signed with it, BADKEY and BADSIG are not.
      const named = checked.key ?? { name: signed.record.keyName, algo: signed.record.algorithm, secret: '' };
      if (checked.error !== 'BADTIME') return [sign(body, named, { error, unsigned: true, time: now() }).message];
      const otherData = Buffer.alloc(6);
      otherData.writeUIntBE(now(), 0, 6);
      const time = signed.record.timeSigned;
      return [sign(body, named, { priorMac: signed.record.mac, error, otherData, time }).message];
    }
    const messages = content(question, true, reply);
    if (signing === 'unsigned') return messages;
    const key = signing === 'forged' ? { ...checked.key, secret: FORGED_SECRET } : checked.key;
    // Each message covers the prior MAC: the request's for the first, then its predecessor's (timers only).
    let priorMac = signed.record.mac;
    return messages.map((message, index) => {
      const next = sign(message, key, { priorMac, timersOnly: index > 0, time: now() });
      priorMac = next.mac;
      return next.message;
    });
  }

  function content(
    question: Question,
    signed: boolean,
    reply: (rcode: Rcode, flags?: number, answers?: Answer[]) => Buffer,
  ): Buffer[] {
    const zone = zones.get(canonicalZoneName(question.name));
    if (!zone) return [reply('REFUSED')];
    if (question.type === 'AXFR' && keys.length > 0 && !signed) return [reply('REFUSED')];
    switch (zone.mode) {
      case 'NOTAUTH':
        return [reply('NOTAUTH')];
      case 'NXDOMAIN':
        return [reply('NXDOMAIN', AA)];
      case 'not_authoritative':
        return [reply('NOERROR', 0, question.type === 'SOA' ? [soaRecord(zone)] : [])];
    }
    if (question.type === 'SOA') return [reply('NOERROR', AA, [soaRecord(zone)])];
    // A transfer in several messages, as large zones go, so a client must follow the chain of MACs.
    if (question.type === 'AXFR') {
      return [soaRecord(zone), ...zoneRecords(zone), soaRecord(zone)].map((one) => reply('NOERROR', AA, [one]));
    }
    return [reply('NOERROR', AA)];
  }

  let holding: { quietMs: number; held: (() => void)[]; timer?: NodeJS.Timeout } | undefined;
  const hold = (send: () => void): void => {
    if (!holding) {
      send();
      return;
    }
    const gate = holding;
    gate.held.push(send);
    primary.mostHeld = Math.max(primary.mostHeld, gate.held.length);
    clearTimeout(gate.timer);
    gate.timer = setTimeout(() => {
      for (const release of gate.held.splice(0)) release();
    }, gate.quietMs);
  };

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      if (quiet) return;
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const query = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + query.length);
        let messages: Buffer[];
        try {
          messages = answer(Buffer.from(query));
        } catch {
          messages = []; // a message it cannot parse is dropped, as a nameserver would
        }
        const send = (): void => {
          for (const message of messages) {
            const length = Buffer.alloc(2);
            length.writeUInt16BE(message.length);
            socket.write(Buffer.concat([length, message]));
          }
        };
        if (received.at(-1)?.type === 'SOA') hold(send);
        else send();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the primary has no TCP address');

  const primary: Primary = {
    ip: '127.0.0.1',
    port: address.port,
    serial: (zone) => zoneOf(zone).serial,
    bump: (zone, by = 1) => {
      const state = zoneOf(zone);
      state.serial = (state.serial + by) % 2 ** 32;
      return state.serial;
    },
    setMode: (zone, mode) => {
      zoneOf(zone).mode = mode;
    },
    signAnswers: (mode) => {
      signing = mode;
    },
    silent: (on) => {
      quiet = on;
    },
    received,
    holdAnswers: (quietMs) => {
      if (holding) for (const release of holding.held.splice(0)) release();
      clearTimeout(holding?.timer);
      holding = quietMs === undefined ? undefined : { quietMs, held: [] };
      primary.mostHeld = 0;
    },
    mostHeld: 0,
    close: () => {
      clearTimeout(holding?.timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      return closed;
    },
  };
  return primary;
}

const AA = 1 << 10;
const FORGED_SECRET = Buffer.from('not the shared secret').toString('base64');

function soaRecord(zone: ZoneState): Answer {
  return {
    type: 'SOA',
    name: zone.name,
    ttl: 3600,
    data: {
      mname: `ns1.${zone.name}`,
      rname: `hostmaster.${zone.name}`,
      serial: zone.serial,
      refresh: 3600,
      retry: 600,
      expire: 604800,
      minimum: 300,
    },
  };
}

/** What a transfer carries between the two SOAs: enough to look like a zone. */
function zoneRecords(zone: ZoneState): Answer[] {
  return [
    { type: 'NS', name: zone.name, ttl: 3600, data: `ns1.${zone.name}` },
    { type: 'A', name: `ns1.${zone.name}`, ttl: 3600, data: '127.0.0.1' },
    { type: 'TXT', name: zone.name, ttl: 3600, data: `serial ${zone.serial}` },
  ];
}

/** A loopback port nothing listens on (bound, then closed): connecting is refused at once. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
