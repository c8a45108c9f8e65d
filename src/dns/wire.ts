// The few things about a DNS message's raw bytes that dns-packet does not expose: where each record starts
// (TSIG signs the exact bytes before its own record) and names in their canonical wire form.

import { bareName } from '../names.js';

const HEADER = 12;
const POINTER = 0xc0;

/** A domain name's uncompressed, lowercased wire form, as TSIG digests it (`hmac-sha256.` → 11 bytes + 0). */
export function canonicalName(name: string): Buffer {
  const labels = bareName(name)
    .split('.')
    .filter((label) => label !== '');
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'utf8');
    if (bytes.length > 63) throw new Error(`DNS label longer than 63 bytes in ${name}`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** The name at offset (following compression pointers) and the offset just after it in the record. */
export function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  let end: number | undefined;
  for (let jumps = 0; jumps < 128; jumps++) {
    const length = byteAt(message, at);
    if (length === 0) return { name: `${labels.join('.')}.`, end: end ?? at + 1 };
    if ((length & POINTER) === POINTER) {
      end ??= at + 2;
      at = ((length & ~POINTER) << 8) | byteAt(message, at + 1);
      continue;
    }
    if (at + 1 + length > message.length) throw new Error('DNS name runs past the message');
    labels.push(message.toString('utf8', at + 1, at + 1 + length));
    at += 1 + length;
  }
  throw new Error('DNS name has too many compression pointers');
}

/** Offset of the message's last record (the additional section's last, where TSIG must be), if any. */
export function lastRecordOffset(message: Buffer): number | undefined {
  if (message.length < HEADER) throw new Error('DNS message shorter than its header');
  const questions = message.readUInt16BE(4);
  const records = message.readUInt16BE(6) + message.readUInt16BE(8) + message.readUInt16BE(10);
  let at = HEADER;
  for (let i = 0; i < questions; i++) at = readName(message, at).end + 4;
  let last: number | undefined;
  for (let i = 0; i < records; i++) {
    last = at;
    at = readName(message, at).end;
    if (at + 10 > message.length) throw new Error('DNS record runs past the message');
    at += 10 + message.readUInt16BE(at + 8);
  }
  if (at > message.length) throw new Error('DNS record runs past the message');
  return last;
}

function byteAt(message: Buffer, at: number): number {
  const value = message[at];
  if (value === undefined) throw new Error('DNS name runs past the message');
  return value;
}
