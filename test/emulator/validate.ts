// Request-body validation for Create/Update. Errors point at the offending field, as Cloudflare's do.
import { isIP } from 'node:net';
import { type CfError, cfError } from './envelope.ts';
import type { Peer, Tsig } from './store.ts';

export type Body = Record<string, unknown>;
/** Either the accepted fields or every problem found. */
export type Parsed<T> = T | CfError[];

export function parseBody(text: string): Parsed<Body> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [cfError(1003, 'Invalid JSON in request body')];
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Body;
  return [cfError(1001, 'Invalid request: the body must be a JSON object')];
}

/** Collects errors while reading fields so one response can report all of them. */
export class Fields {
  readonly errors: CfError[] = [];
  readonly #body: Body;

  constructor(body: Body) {
    this.#body = body;
  }

  fail(field: string, detail: string): void {
    this.errors.push(cfError(1001, `Invalid request: ${field} ${detail}`, { pointer: `/${field}` }));
  }

  required(field: string): string {
    const value = this.#body[field];
    if (typeof value === 'string' && value !== '') return value;
    this.fail(field, 'is required and must be a non-empty string');
    return '';
  }

  /** Absent and null both mean "unset". */
  optional<T>(field: string, valid: (value: unknown) => value is T, detail: string): T | undefined {
    const value = this.#body[field];
    if (value === undefined || value === null) return undefined;
    if (valid(value)) return value;
    this.fail(field, detail);
    return undefined;
  }

  result<T>(value: T): Parsed<T> {
    return this.errors.length > 0 ? this.errors : value;
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isIpOrEmpty = (v: unknown): v is string => typeof v === 'string' && (v === '' || isIP(v) !== 0);
const isPort = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535;

/** Create Peer takes only a name; anything else in the body is ignored. */
export function parsePeerCreate(body: Body): Parsed<Omit<Peer, 'id'>> {
  const fields = new Fields(body);
  return fields.result({ name: fields.required('name') });
}

/** Update Peer replaces the whole object, so omitted fields come back unset. */
export function parsePeerUpdate(body: Body, tsigExists: (id: string) => boolean): Parsed<Omit<Peer, 'id'>> {
  const fields = new Fields(body);
  const peer = {
    name: fields.required('name'),
    ip: fields.optional('ip', isIpOrEmpty, 'must be a valid IPv4 or IPv6 address'),
    port: fields.optional('port', isPort, 'must be an integer between 0 and 65535'),
    ixfr_enable: fields.optional('ixfr_enable', isBoolean, 'must be a boolean'),
    tsig_id: fields.optional('tsig_id', isString, 'must be a string'),
  };
  if (peer.tsig_id && !tsigExists(peer.tsig_id)) {
    fields.fail('tsig_id', `"${peer.tsig_id}" does not match any TSIG of this account`);
  }
  return fields.result(peer);
}

export function parseTsig(body: Body): Parsed<Omit<Tsig, 'id'>> {
  const fields = new Fields(body);
  return fields.result({
    name: fields.required('name'),
    algo: fields.required('algo'),
    secret: fields.required('secret'),
  });
}
