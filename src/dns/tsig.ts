// RFC 8945 transaction signatures: sign a message with a shared key, and verify a signed one. The MAC covers
// the message as sent (without its TSIG record, with its original id), then the TSIG variables; an answer's
// MAC also covers the request's MAC, and the later messages of a zone transfer cover the prior MAC instead.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { bareName, sameName } from '../names.js';
import { canonicalName, lastRecordOffset, readName } from './wire.js';

const TSIG_TYPE = 250;
const CLASS_ANY = 255;
/** Seconds of clock skew accepted, as RFC 8945 recommends and BIND uses. */
const FUDGE = 300;

const HASHES: Record<string, string> = {
  'hmac-sha1': 'sha1',
  'hmac-sha224': 'sha224',
  'hmac-sha256': 'sha256',
  'hmac-sha384': 'sha384',
  'hmac-sha512': 'sha512',
};

/** TSIG error codes (RFC 8945 §3), carried in the TSIG record; the header's RCODE is then NOTAUTH. */
export const TSIG_ERROR = { BADSIG: 16, BADKEY: 17, BADTIME: 18 } as const;
export type TsigErrorName = keyof typeof TSIG_ERROR;

export interface TsigKey {
  /** The key's domain name; compared without case. */
  name: string;
  /** `hmac-sha256.` or `hmac-sha256`, any case. */
  algo: string;
  /** Base64, as tsig-keygen prints it. */
  secret: string;
}

/** The fields of a TSIG record (RFC 8945 §4.2). */
export interface TsigRecord {
  keyName: string;
  algorithm: string;
  /** Seconds since the epoch. */
  timeSigned: number;
  fudge: number;
  mac: Buffer;
  originalId: number;
  error: number;
  otherData: Buffer;
}

/** The algorithm's name as it goes on the wire: lower case with the trailing dot (`hmac-sha256.`). */
function algorithmName(algo: string): string {
  return `${bareName(algo)}.`;
}

/** The node:crypto hash behind a TSIG algorithm, or undefined for one this client does not support. */
export function tsigHash(algo: string): string | undefined {
  return HASHES[bareName(algo)];
}

export interface SignOptions {
  /** Seconds since the epoch; now by default. */
  time?: number;
  /** Signing an answer: the MAC of the request it answers (or, with timersOnly, of the prior message). */
  priorMac?: Buffer;
  /** A later message of a zone transfer: only the timers are digested after the message (RFC 8945 §5.3.1). */
  timersOnly?: boolean;
  /** Messages since the last signed one (a transfer may sign only every few messages), digested first. */
  preceding?: Buffer[];
  error?: number;
  otherData?: Buffer;
  /** A BADKEY or BADSIG answer carries no MAC (RFC 8945 §5.3.2): the secret is unknown or did not match. */
  unsigned?: boolean;
}

/** The message with a TSIG record appended, and the MAC it carries (an answer to it must cover it). */
export function sign(message: Buffer, key: TsigKey, options: SignOptions = {}): { message: Buffer; mac: Buffer } {
  const record: TsigRecord = {
    keyName: key.name,
    algorithm: algorithmName(key.algo),
    timeSigned: options.time ?? Math.floor(Date.now() / 1000),
    fudge: FUDGE,
    mac: Buffer.alloc(0),
    originalId: message.readUInt16BE(0),
    error: options.error ?? 0,
    otherData: options.otherData ?? Buffer.alloc(0),
  };
  if (!options.unsigned) record.mac = digest(key, [...(options.preceding ?? []), message], record, options);
  const signed = Buffer.concat([message, encodeRecord(record)]);
  signed.writeUInt16BE(signed.readUInt16BE(10) + 1, 10);
  return { message: signed, mac: record.mac };
}

/** The message's TSIG record and the message as it was before signing; undefined when it is not signed. */
export function readTsig(message: Buffer): { record: TsigRecord; unsigned: Buffer } | undefined {
  const offset = lastRecordOffset(message);
  if (offset === undefined || message.readUInt16BE(10) === 0) return undefined;
  const owner = readName(message, offset);
  if (message.readUInt16BE(owner.end) !== TSIG_TYPE) return undefined;
  const rdata = owner.end + 10;
  const algorithm = readName(message, rdata);
  let at = algorithm.end;
  const timeSigned = message.readUIntBE(at, 6);
  const fudge = message.readUInt16BE(at + 6);
  const macSize = message.readUInt16BE(at + 8);
  at += 10;
  const mac = Buffer.from(message.subarray(at, at + macSize));
  at += macSize;
  const originalId = message.readUInt16BE(at);
  const error = message.readUInt16BE(at + 2);
  const otherSize = message.readUInt16BE(at + 4);
  const otherData = Buffer.from(message.subarray(at + 6, at + 6 + otherSize));
  if (at + 6 + otherSize > message.length) throw new Error('TSIG record runs past the message');
  const unsigned = Buffer.from(message.subarray(0, offset));
  unsigned.writeUInt16BE(originalId, 0);
  unsigned.writeUInt16BE(unsigned.readUInt16BE(10) - 1, 10);
  const record = {
    keyName: owner.name,
    algorithm: algorithm.name,
    timeSigned,
    fudge,
    mac,
    originalId,
    error,
    otherData,
  };
  return { record, unsigned };
}

export type Verification =
  | { ok: true; key: TsigKey; record: TsigRecord }
  | { ok: false; error: 'unsigned' | TsigErrorName; record?: TsigRecord; key?: TsigKey };

export interface VerifyOptions extends Omit<SignOptions, 'time' | 'error' | 'otherData' | 'unsigned'> {
  /** Seconds since the epoch; now by default. */
  now?: number;
}

/**
 * Checks a signed message against the keys one knows, in RFC 8945 §5.2's order: a known key and algorithm
 * (else BADKEY), the MAC (else BADSIG), the time within the fudge (else BADTIME). The record's own error
 * field is the caller's to read: a verified answer may still report one (BADTIME is signed).
 */
export function verify(message: Buffer, keys: readonly TsigKey[], options: VerifyOptions = {}): Verification {
  const signed = readTsig(message);
  if (!signed) return { ok: false, error: 'unsigned' };
  const { record, unsigned } = signed;
  const key = keys.find(
    (candidate) =>
      sameName(candidate.name, record.keyName) &&
      sameName(candidate.algo, record.algorithm) &&
      tsigHash(candidate.algo) !== undefined,
  );
  if (!key) return { ok: false, error: 'BADKEY', record };
  const expected = digest(key, [...(options.preceding ?? []), unsigned], record, options);
  // Truncated MACs (RFC 8945 §5.2.2.1) are not accepted: no nameserver this checks sends them by default.
  if (record.mac.length !== expected.length || !timingSafeEqual(record.mac, expected)) {
    return { ok: false, error: 'BADSIG', record, key };
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - record.timeSigned) > record.fudge) return { ok: false, error: 'BADTIME', record, key };
  return { ok: true, key, record };
}

/** The name of a TSIG error code, or undefined for 0 and codes this client does not know. */
export function tsigErrorName(code: number): TsigErrorName | undefined {
  return (Object.keys(TSIG_ERROR) as TsigErrorName[]).find((name) => TSIG_ERROR[name] === code);
}

function digest(
  key: TsigKey,
  messages: Buffer[],
  record: TsigRecord,
  options: Pick<SignOptions, 'priorMac' | 'timersOnly'>,
): Buffer {
  const hash = tsigHash(key.algo);
  if (!hash) throw new Error(`unsupported TSIG algorithm ${algorithmName(key.algo)}`);
  const hmac = createHmac(hash, Buffer.from(key.secret, 'base64'));
  if (options.priorMac) hmac.update(Buffer.concat([u16(options.priorMac.length), options.priorMac]));
  for (const message of messages) hmac.update(message);
  const timers = Buffer.concat([u48(record.timeSigned), u16(record.fudge)]);
  if (options.timersOnly) {
    hmac.update(timers);
  } else {
    hmac.update(canonicalName(record.keyName));
    hmac.update(Buffer.concat([u16(CLASS_ANY), Buffer.alloc(4)]));
    hmac.update(canonicalName(record.algorithm));
    hmac.update(Buffer.concat([timers, u16(record.error), u16(record.otherData.length), record.otherData]));
  }
  return hmac.digest();
}

function encodeRecord(record: TsigRecord): Buffer {
  const rdata = Buffer.concat([
    canonicalName(record.algorithm),
    u48(record.timeSigned),
    u16(record.fudge),
    u16(record.mac.length),
    record.mac,
    u16(record.originalId),
    u16(record.error),
    u16(record.otherData.length),
    record.otherData,
  ]);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(TSIG_TYPE, 0);
  fixed.writeUInt16BE(CLASS_ANY, 2);
  fixed.writeUInt32BE(0, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([canonicalName(record.keyName), fixed, rdata]);
}

function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}

function u48(value: number): Buffer {
  const bytes = Buffer.alloc(6);
  bytes.writeUIntBE(value, 0, 6);
  return bytes;
}
