// A real zone transfer, as Cloudflare makes one from a primary: AXFR over TCP, signed with the peer's key,
// every answer message verified (the first covers the request's MAC, each later one the prior MAC). The
// transfer is complete at the second SOA. Loaded only when a zone's peer has a loopback address.
import { randomInt } from 'node:crypto';
import { encode, type SoaAnswer } from 'dns-packet';
import { readAnswer } from '../../src/dns/answer.ts';
import { exchange, NoAnswerError } from '../../src/dns/tcp.ts';
import { sign, type TsigKey } from '../../src/dns/tsig.ts';
import { sameName } from '../../src/names.ts';

export interface AxfrRequest {
  ip: string;
  port: number;
  zone: string;
  key?: TsigKey;
  timeoutMs?: number;
}

export type AxfrResult =
  | { ok: true; serial: number; records: number }
  /** Why it failed, as a notification would say it: `BADSIG`, `REFUSED`, `timeout`… */
  | { ok: false; reason: string };

export async function axfr({ ip, port, zone, key, timeoutMs = 5000 }: AxfrRequest): Promise<AxfrResult> {
  const id = randomInt(0, 0x10000);
  const unsigned = encode({ type: 'query', id, flags: 0, questions: [{ type: 'AXFR', class: 'IN', name: zone }] });
  const signed = key ? sign(unsigned, key) : undefined;
  let mac = signed?.mac;
  let serial: number | undefined;
  let soas = 0;
  let records = 0;
  let failure: string | undefined;

  // Read as they arrive, so a failure ends the exchange at once.
  const done = (message: Buffer): boolean => {
    const answer = readAnswer(message, { id, key, mac, timersOnly: soas > 0 });
    if (answer.kind === 'tsig') failure = answer.error;
    else if (answer.kind === 'malformed') failure = answer.reason;
    else if (answer.rcode !== 'NOERROR') failure = answer.rcode;
    if (failure !== undefined || answer.kind !== 'answer') return true;
    mac = answer.mac;
    for (const record of answer.packet.answers ?? []) {
      records++;
      if (record.type !== 'SOA' || !sameName(record.name, zone)) continue;
      soas++;
      serial ??= (record as SoaAnswer).data.serial;
    }
    if (soas === 0) failure = 'the transfer did not start with the SOA';
    return failure !== undefined || soas >= 2;
  };

  try {
    await exchange({ ip, port, query: signed?.message ?? unsigned, timeoutMs, done });
  } catch (error) {
    if (error instanceof NoAnswerError) return { ok: false, reason: error.reason };
    throw error;
  }
  if (failure !== undefined) return { ok: false, reason: failure };
  if (serial === undefined) return { ok: false, reason: 'no SOA in the transfer' };
  return { ok: true, serial, records };
}
