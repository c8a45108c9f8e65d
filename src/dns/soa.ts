// The check the action makes of the other nameserver: one SOA query for the zone over TCP, signed with the
// peer's key when it has one. The result says what the answer proves; it never carries the secret.
import { randomInt } from 'node:crypto';
import { encode, type SoaAnswer } from 'dns-packet';
import { sameName } from '../names.js';
import { readAnswer, type TsigFailure } from './answer.js';
import { exchange, NoAnswerError, type NoAnswerReason } from './tcp.js';
import { sign, type TsigKey, tsigHash } from './tsig.js';

export interface SoaCheck {
  ip: string;
  port: number;
  zone: string;
  key?: TsigKey;
  timeoutMs: number;
  /** Seconds since the epoch the query is signed at; the clock by default (tests skew it for BADTIME). */
  now?: () => number;
}

export type SoaResult =
  /** An authoritative SOA for the zone (signed with the key, when there is one): the nameserver's serial. */
  | { kind: 'serial'; serial: number }
  | TsigFailure
  /** The nameserver answered but does not serve the zone: its RCODE, or what the answer lacked. */
  | { kind: 'not_served'; rcode: string }
  /** REFUSED: the zone is not served there, or the runner's address may not ask. */
  | { kind: 'refused' }
  | { kind: 'no_answer'; reason: NoAnswerReason | 'malformed'; message: string };

export async function checkSoa({ ip, port, zone, key, timeoutMs, now }: SoaCheck): Promise<SoaResult> {
  if (key && !tsigHash(key.algo)) throw new Error(`unsupported TSIG algorithm ${key.algo} for key ${key.name}`);
  const id = randomInt(0, 0x10000);
  const unsigned = encode({ type: 'query', id, flags: 0, questions: [{ type: 'SOA', class: 'IN', name: zone }] });
  const signed = key ? sign(unsigned, key, { time: now?.() }) : undefined;

  let messages: Buffer[];
  try {
    messages = await exchange({ ip, port, query: signed?.message ?? unsigned, timeoutMs });
  } catch (error) {
    if (error instanceof NoAnswerError) return { kind: 'no_answer', reason: error.reason, message: error.message };
    throw error;
  }
  const answer = readAnswer(messages[0] as Buffer, { id, key, mac: signed?.mac });
  if (answer.kind === 'malformed') return { kind: 'no_answer', reason: 'malformed', message: answer.reason };
  if (answer.kind === 'tsig') return answer;

  const { packet, rcode } = answer;
  if (rcode === 'REFUSED') return { kind: 'refused' };
  if (rcode !== 'NOERROR') return { kind: 'not_served', rcode };
  if (!packet.flag_aa) return { kind: 'not_served', rcode: 'not_authoritative' };
  const soa = (packet.answers ?? []).find(
    (record): record is SoaAnswer => record.type === 'SOA' && sameName(record.name, zone),
  );
  if (soa?.data.serial === undefined) return { kind: 'not_served', rcode: 'no_soa' };
  return { kind: 'serial', serial: soa.data.serial };
}
