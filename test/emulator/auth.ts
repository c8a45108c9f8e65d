// Credential check, with the error codes Cloudflare uses for each way a request can be unauthenticated.
import { cfError, failure, type Reply } from './envelope.ts';

export interface Credentials {
  token: string;
  readOnlyToken: string;
  accountOnlyToken: string;
  zoneOnlyToken: string;
  noZoneEditToken: string;
  email: string;
  apiKey: string;
}

/**
 * 'write': every permission; 'read': GETs only. Cloudflare grants account endpoints (peers, TSIGs) and zone
 * endpoints (zone lookup, transfer configuration) through different token groups: 'account' is a token with
 * Account Settings Write and no zone permission, 'zone' one with Zone Read and Zone Settings Write only,
 * 'settings' one with both of those but without Zone → Zone → Edit (it links zones, but cannot create one).
 */
export type Access = 'write' | 'read' | 'account' | 'zone' | 'settings';

/** What an endpoint needs: 'zone-edit' is Zone → Zone → Edit on the account (create or delete a zone). */
export type Scope = 'account' | 'zone' | 'zone-edit';

export function permits(access: Access, scope: Scope, method: string): boolean {
  if (access === 'read') return method === 'GET';
  if (access === 'settings') return scope !== 'zone-edit';
  return access === 'write' || access === scope;
}

export type Headers = Record<string, string | string[] | undefined>;

/** Node lower-cases header names; an empty value counts as absent. */
function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

function badHeaders(code: number, message: string): Reply {
  return failure(400, cfError(6003, 'Invalid request headers', { chain: [cfError(code, message)] }));
}

/** Returns the access level granted, or the error reply to send. An Authorization header wins over X-Auth-*. */
export function authenticate(headers: Headers, creds: Credentials): Access | Reply {
  const authorization = header(headers, 'authorization');
  if (authorization !== undefined) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (bearer === undefined) return badHeaders(6111, 'Invalid format for Authorization header');
    if (bearer === creds.token) return 'write';
    if (bearer === creds.readOnlyToken) return 'read';
    if (bearer === creds.accountOnlyToken) return 'account';
    if (bearer === creds.zoneOnlyToken) return 'zone';
    if (bearer === creds.noZoneEditToken) return 'settings';
    return failure(403, cfError(9109, 'Invalid access token'));
  }

  const email = header(headers, 'x-auth-email');
  const key = header(headers, 'x-auth-key');
  if (email === undefined && key === undefined) {
    return failure(400, cfError(9106, 'Missing X-Auth-Key, X-Auth-Email or Authorization headers'));
  }
  if (email === undefined) return badHeaders(6102, 'Invalid format for X-Auth-Email header');
  if (key === undefined) return badHeaders(6103, 'Invalid format for X-Auth-Key header');
  if (email === creds.email && key === creds.apiKey) return 'write';
  return failure(403, cfError(9103, 'Unknown X-Auth-Key or X-Auth-Email'));
}
