// What an answer to a (possibly signed) query says before its content is read: that it answers this query,
// and, for a signed query, that the nameserver knew the key and signed the answer with it.
import { type DecodedPacket, decode } from 'dns-packet';
import { readTsig, type TsigKey, tsigErrorName, verify } from './tsig.js';

/** The nameserver rejected the key (its TSIG error), or the answer cannot be trusted to come from it. */
export interface TsigFailure {
  kind: 'tsig';
  /** BADSIG: the secret differs; BADKEY: the key's name or algorithm is unknown there; BADTIME: clock skew;
   * unsigned: a signed query got an unsigned answer; bad_signature: the answer's signature does not verify. */
  error: 'BADSIG' | 'BADKEY' | 'BADTIME' | 'unsigned' | 'bad_signature';
}

export interface Malformed {
  kind: 'malformed';
  reason: string;
}

export interface Answer {
  kind: 'answer';
  packet: DecodedPacket;
  /** The header's RCODE by name (`NOERROR`, `REFUSED`, `RCODE_11`…). */
  rcode: string;
  /** The answer's MAC, which the next message of a transfer covers. */
  mac?: Buffer;
}

export interface Query {
  id: number;
  key?: TsigKey;
  /** The MAC the query (or, in a transfer, the prior message) carried. */
  mac?: Buffer;
  /** The later messages of a zone transfer digest only the timers (RFC 8945 §5.3.1). */
  timersOnly?: boolean;
}

// dns-packet decodes the RCODE but does not declare it: read from the flags.
const RCODES = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
];

export function readAnswer(message: Buffer, query: Query): Answer | TsigFailure | Malformed {
  let packet: DecodedPacket;
  let signed: ReturnType<typeof readTsig>;
  try {
    packet = decode(message);
    signed = readTsig(message);
  } catch (error) {
    return { kind: 'malformed', reason: `undecodable answer: ${(error as Error).message}` };
  }
  if (packet.type !== 'response' || packet.id !== query.id) {
    return { kind: 'malformed', reason: 'the answer does not answer this query' };
  }
  const rcode = RCODES[(packet.flags ?? 0) & 0xf] ?? `RCODE_${(packet.flags ?? 0) & 0xf}`;
  if (!query.key) return { kind: 'answer', packet, rcode };

  // BADKEY and BADSIG answers carry no MAC (the nameserver could not sign with a key it rejected): taken as said.
  const reported = signed ? tsigErrorName(signed.record.error) : undefined;
  if (reported) return { kind: 'tsig', error: reported };
  if (!signed) return { kind: 'tsig', error: 'unsigned' };
  const checked = verify(message, [query.key], { priorMac: query.mac, timersOnly: query.timersOnly });
  if (checked.ok) return { kind: 'answer', packet, rcode, mac: checked.record.mac };
  // The answer's own time is off by more than the fudge: the clocks differ, as BADTIME from the other side.
  return { kind: 'tsig', error: checked.error === 'BADTIME' ? 'BADTIME' : 'bad_signature' };
}
