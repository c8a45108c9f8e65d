// Turns the step's raw inputs into one typed, validated Settings object.
// Every rule lives here, so a bad input fails before any request is sent.
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { z } from 'zod';
import { canonicalBase64 } from './base64.js';
import { isLoopbackHost } from './loopback.js';
import { bareName } from './names.js';
import { definedOnly } from './objects.js';
import { redactUrl, urlPassword } from './redact.js';

export type Credentials = { scheme: 'token'; token: string } | { scheme: 'global_key'; email: string; key: string };

/** The peer fields a user may set; undefined means "not given, leave as it is". */
export interface DesiredFields {
  ip?: string;
  port?: number;
  ixfr_enable?: boolean;
  tsig_id?: string;
}

/** The TSIG key the action manages (tsig_name given): algo in Cloudflare's form, secret canonical base64. */
export interface DesiredKey {
  name: string;
  algo: string;
  /** Absent only for state: absent, which needs no secret. */
  secret?: string;
}

/** A zone to link, as given: its 32-hex id, or its name (lower case, without the trailing dot). */
export type ZoneTarget = { by: 'id'; id: string } | { by: 'name'; name: string };

/** The zones input and what goes with it (zones given). */
export interface DesiredZones {
  targets: ZoneTarget[];
  role: 'secondary' | 'primary';
  autoRefreshSeconds: number;
  transfer: 'none' | 'force';
  waitSeconds: number;
  /** create_zones: a zone name the account lacks is created as a secondary zone (zone_role secondary only). */
  create: boolean;
  /** Whether the run asks the peer's nameserver for each zone's SOA before any write (auto: see verify.ts). */
  verifyPeer: VerifyPeer;
}

export type VerifyPeer = 'auto' | 'true' | 'false';

export interface Settings {
  accountId: string;
  name?: string;
  peerId?: string;
  credentials: Credentials;
  desired: DesiredFields;
  tsig?: DesiredKey;
  zones?: DesiredZones;
  ifExists: 'update' | 'reuse' | 'fail';
  state: 'present' | 'absent';
  cleanup: boolean;
  dryRun: boolean;
  maxAttempts: number;
  requestTimeoutMs: number;
  apiUrl: string;
}

export class InputError extends Error {
  override name = 'InputError';
}

export const DEFAULT_API_URL = 'https://api.cloudflare.com/client/v4';

const HEX32 = /^[0-9a-fA-F]{32}$/;

/** Optional input: the empty string means "not given". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const hexId = (what: string) =>
  z
    .string()
    .regex(HEX32, `must be ${what} (32 hex characters)`)
    .transform((id) => id.toLowerCase());

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be an integer from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be an integer from ${min} to ${max}`);

// The YAML 1.2 core-schema booleans, as the runner's own getBooleanInput accepts them.
const boolean = z
  .enum(['true', 'True', 'TRUE', 'false', 'False', 'FALSE'], { error: 'must be true or false' })
  .transform((text) => text.toLowerCase() === 'true');

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

export const TSIG_ALGORITHMS = ['hmac-sha1', 'hmac-sha224', 'hmac-sha256', 'hmac-sha384', 'hmac-sha512'] as const;

// BIND, PowerDNS and DNSControl write the algorithm without the dot; Cloudflare's examples all use it.
const tsigAlgo = z
  .string()
  .transform(bareName)
  .refine(
    (algo) => (TSIG_ALGORITHMS as readonly string[]).includes(algo),
    `must be one of ${TSIG_ALGORITHMS.join(', ')} (any case, with or without the trailing dot)`,
  )
  .transform((algo) => `${algo}.`);

// The message never repeats the value: readSettings leaves `got …` out for this input too.
const tsigSecret = z
  .string()
  .transform((text) => canonicalBase64(text) ?? '')
  .refine((secret) => secret !== '', 'must be base64, as tsig-keygen prints it (the value is not shown)');

/** Inputs whose value an error message must never show. */
const SECRET_INPUTS = new Set(['tsig_secret']);

const ZONE_NAME = /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9-]{1,63}$/;

// Zone names or ids, one per line or separated by commas; the same zone given twice counts once.
const zoneList = z.string().transform((text, ctx) => {
  const targets = new Map<string, ZoneTarget>();
  for (const item of text
    .split(/[\n,]/)
    .map((part) => part.trim())
    .filter(Boolean)) {
    if (HEX32.test(item)) {
      targets.set(item.toLowerCase(), { by: 'id', id: item.toLowerCase() });
      continue;
    }
    // Internationalised names (U-labels) are looked up in the A-label form Cloudflare uses.
    const unicode = /[^\p{ASCII}]/u.test(item);
    const name = bareName(unicode ? domainToASCII(item.replace(/\.$/, '')) : item);
    if (name && ZONE_NAME.test(name)) targets.set(name, { by: 'name', name });
    else if (unicode)
      ctx.addIssue({
        code: 'custom',
        message:
          `has ${JSON.stringify(item)}, an internationalised (IDN) name that cannot be converted to its ASCII ` +
          'A-label form (xn--…): check its spelling, or give the A-label form itself',
      });
    else
      ctx.addIssue({
        code: 'custom',
        message: `has ${JSON.stringify(item)}, which is neither a zone name nor a 32-hex zone id`,
      });
  }
  return [...targets.values()];
});

const API_URL_FORM = 'must be an http(s) URL such as https://api.cloudflare.com/client/v4';

// One parse, so no malformed value can throw past the schema and hide the other problems of the run.
// A user name or password in the URL is refused: the credential goes in api_token, a proxy's in HTTPS_PROXY.
const apiUrl = z.string().transform((text, ctx) => {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  const problem =
    !url?.host || !/^https?:$/.test(url.protocol)
      ? API_URL_FORM
      : url.username || url.password
        ? "must not contain a user name or password: put the Cloudflare credential in api_token, a proxy's in HTTPS_PROXY"
        : url.protocol === 'http:' && !isLoopbackHost(url.hostname)
          ? 'must use https:// unless the host is loopback (the credential would travel in clear)'
          : undefined;
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }
  return text.replace(/\/+$/, '');
});

const fields = z.object({
  account_id: hexId('a Cloudflare account id'),
  // Control characters would let a name start a new line, and so a workflow command, in the log.
  name: optional(
    z
      .string()
      .max(255, 'must be at most 255 characters')
      .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters (such as a line break)'),
  ),
  peer_id: optional(hexId('a peer id')),
  ip: optional(z.string().refine((ip) => isIP(ip) !== 0, 'must be an IPv4 or IPv6 address')),
  port: optional(integer(1, 65535)),
  ixfr_enable: optional(boolean),
  tsig_id: optional(hexId('a TSIG id')),
  tsig_name: optional(
    z
      .string()
      .max(255, 'must be at most 255 characters')
      .regex(
        /^[^\p{Cc}\s]*$/u,
        'must be a domain name such as transfer.example.com. (no spaces or control characters)',
      ),
  ),
  tsig_secret: optional(tsigSecret),
  tsig_algo: tsigAlgo,
  zones: optional(zoneList),
  zone_role: optional(oneOf(['secondary', 'primary'])),
  auto_refresh_seconds: integer(300, 2_147_483_647),
  transfer: oneOf(['none', 'force']),
  wait_for_transfer: integer(0, 3600),
  create_zones: boolean,
  verify_peer: z.preprocess((value) => String(value).toLowerCase(), oneOf(['auto', 'true', 'false'])),
  if_exists: oneOf(['update', 'reuse', 'fail']),
  state: oneOf(['present', 'absent']),
  cleanup: boolean,
  dry_run: boolean,
  max_attempts: integer(1, 10),
  request_timeout: integer(1, 300),
  api_url: apiUrl,
});

type RawInputs = Record<keyof z.input<typeof fields>, string>;

/** Defaults for inputs a caller (a test, a local run) may leave out; action.yml states the same ones. */
const DEFAULTS: Partial<RawInputs> = {
  tsig_algo: 'hmac-sha256',
  auto_refresh_seconds: '86400',
  transfer: 'none',
  wait_for_transfer: '0',
  create_zones: 'false',
  verify_peer: 'auto',
  if_exists: 'update',
  state: 'present',
  cleanup: 'false',
  dry_run: 'false',
  max_attempts: '5',
  request_timeout: '30',
  api_url: DEFAULT_API_URL,
};

export type InputReader = (name: string) => string;

/**
 * The raw credential values and the TSIG secret (as given and in the canonical form the action sends),
 * so the caller can mask them before anything is printed.
 */
export function credentialValues(readInput: InputReader, env: NodeJS.ProcessEnv): string[] {
  const names = ['api_token', 'api_email', 'api_key'].map(readInput);
  const fromEnv = [env.CLOUDFLARE_API_TOKEN, env.CLOUDFLARE_EMAIL, env.CLOUDFLARE_API_KEY];
  // Passwords inside URLs too: api_url refuses them, but only after validation, and a proxy's is used.
  const inUrls = [readInput('api_url'), env.HTTPS_PROXY, env.https_proxy, env.HTTP_PROXY, env.http_proxy].map(
    urlPassword,
  );
  const secret = readInput('tsig_secret');
  const secrets = [secret, canonicalBase64(secret)];
  return [
    ...new Set(
      [...names, ...fromEnv, ...inUrls, ...secrets].filter((value): value is string => Boolean(value?.trim())),
    ),
  ].map((v) => v.trim());
}

export function readSettings(readInput: InputReader, env: NodeJS.ProcessEnv): Settings {
  const raw = Object.fromEntries(
    Object.keys(fields.shape).map((name) => {
      const given = readInput(name).trim();
      return [name, given || DEFAULTS[name as keyof RawInputs] || ''];
    }),
  ) as RawInputs;
  if (!raw.account_id) raw.account_id = env.CLOUDFLARE_ACCOUNT_ID?.trim() ?? '';

  const problems: string[] = [];
  if (!raw.account_id) {
    problems.push('Input `account_id` is required: give the 32-hex account id, or set CLOUDFLARE_ACCOUNT_ID.');
  }
  const parsed = fields.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const input = String(issue.path[0]);
      if (input === 'account_id' && !raw.account_id) continue;
      const given = raw[input as keyof RawInputs];
      const shown = input === 'api_url' ? redactUrl(given) : given;
      const got = SECRET_INPUTS.has(input) ? '' : `; got ${JSON.stringify(shown)}`;
      problems.push(`Input \`${input}\` ${issue.message}${got}`);
    }
  }
  const credentials = readCredentials(readInput, env, problems);
  if (parsed.success && !parsed.data.name && !parsed.data.peer_id) {
    problems.push('Input `name` is required (the peer name to look up or create), unless `peer_id` is given.');
  }
  if (parsed.success) problems.push(...tsigProblems(parsed.data), ...zoneProblems(parsed.data, readInput));
  if (!parsed.success || !credentials || problems.length > 0) {
    throw new InputError(problems.join('\n'));
  }

  const input = parsed.data;
  return {
    accountId: input.account_id,
    name: input.name,
    peerId: input.peer_id,
    credentials,
    desired: definedOnly({
      ip: input.ip,
      port: input.port,
      ixfr_enable: input.ixfr_enable,
      tsig_id: input.tsig_id,
    }),
    tsig: input.tsig_name
      ? definedOnly({ name: input.tsig_name, algo: input.tsig_algo, secret: input.tsig_secret })
      : undefined,
    zones:
      input.zones?.length && input.zone_role
        ? {
            targets: input.zones,
            role: input.zone_role,
            autoRefreshSeconds: input.auto_refresh_seconds,
            transfer: input.transfer,
            waitSeconds: input.wait_for_transfer,
            create: input.create_zones,
            verifyPeer: input.verify_peer,
          }
        : undefined,
    ifExists: input.if_exists,
    state: input.state,
    cleanup: input.cleanup,
    dryRun: input.dry_run,
    maxAttempts: input.max_attempts,
    requestTimeoutMs: input.request_timeout * 1000,
    apiUrl: input.api_url,
  };
}

/** tsig_name manages a key, tsig_id links one that exists: one or the other, and a secret needs its name. */
function tsigProblems(input: z.output<typeof fields>): string[] {
  const problems: string[] = [];
  if (input.tsig_name && input.tsig_id) {
    problems.push(
      'Inputs `tsig_name` and `tsig_id` are both set: give tsig_name (with tsig_secret) to have the action manage ' +
        'the key and link it, or tsig_id to link a key that exists.',
    );
  }
  if (input.tsig_secret && !input.tsig_name) {
    problems.push('Input `tsig_secret` is set without `tsig_name`: give the name of the key it belongs to.');
  }
  if (input.tsig_name && !input.tsig_secret && input.state === 'present') {
    problems.push(
      "Input `tsig_secret` is required with `tsig_name` for state: present (the key's base64 secret, as tsig-keygen prints it).",
    );
  }
  return problems;
}

/** zone_role goes with zones; a transfer and the wait for it need zones to link, and state: present. */
function zoneProblems(input: z.output<typeof fields>, readInput: InputReader): string[] {
  const problems: string[] = [];
  const zones = input.zones ?? [];
  if (zones.length > 0 && !input.zone_role) {
    problems.push(
      "Input `zone_role` is required with `zones`: secondary (Cloudflare is secondary; the peer is the zones' " +
        'primary) or primary (Cloudflare is primary; the peer is a secondary it notifies).',
    );
  }
  if (zones.length === 0) {
    for (const name of ['zone_role', 'transfer', 'wait_for_transfer', 'auto_refresh_seconds', 'create_zones']) {
      // action.yml's defaults arrive as inputs too: only a value the user chose counts.
      const given = readInput(name).trim();
      if (given && given !== DEFAULTS[name as keyof RawInputs]) {
        problems.push(`Input \`${name}\` is set, but \`zones\` is empty: give the zones to link.`);
      }
    }
  } else if (input.state === 'absent' && (input.transfer !== 'none' || input.wait_for_transfer > 0)) {
    problems.push(
      'Inputs `transfer` and `wait_for_transfer` apply to state: present (state: absent unlinks the zones).',
    );
  }
  if (input.create_zones && input.zone_role === 'primary') {
    problems.push(
      'Input `create_zones` applies to zone_role: secondary only: a zone where Cloudflare is primary holds its own ' +
        'records, so create it yourself (or use zone_role: secondary).',
    );
  }
  return problems;
}

/** Exactly one scheme: inputs first; only when no credential input is set, the environment. */
function readCredentials(readInput: InputReader, env: NodeJS.ProcessEnv, problems: string[]): Credentials | undefined {
  const given = {
    token: readInput('api_token').trim(),
    email: readInput('api_email').trim(),
    key: readInput('api_key').trim(),
  };
  const fromInputs = Boolean(given.token || given.email || given.key);
  const { token, email, key } = fromInputs
    ? given
    : env.CLOUDFLARE_API_TOKEN?.trim()
      ? { token: env.CLOUDFLARE_API_TOKEN.trim(), email: '', key: '' }
      : { token: '', email: env.CLOUDFLARE_EMAIL?.trim() ?? '', key: env.CLOUDFLARE_API_KEY?.trim() ?? '' };
  const where = fromInputs ? (n: string) => `Input \`${n}\`` : (n: string) => `Environment variable ${envName(n)}`;

  // A badly pasted secret (a line break inside) would only fail later, as a network error naming a header.
  const unsendable = Object.entries({ api_token: token, api_email: email, api_key: key }).filter(([, value]) =>
    /[^\x20-\x7e]/.test(value),
  );
  for (const [name, value] of unsendable) {
    const what = /[\p{Cc}]/u.test(value) ? 'a line break or another control character' : 'a non-ASCII character';
    problems.push(
      `${where(name)} contains ${what}, which cannot be sent in an HTTP header: set the secret again without it ` +
        '(its value is not shown).',
    );
  }
  if (unsendable.length > 0) return undefined;
  if (token && (email || key)) {
    problems.push(
      'Inputs `api_token` and `api_email`/`api_key` are both set: use exactly one scheme (an API token is preferred).',
    );
    return undefined;
  }
  if (token) return { scheme: 'token', token };
  if (email && key) return { scheme: 'global_key', email, key };
  if (email || key) {
    const missing = email ? 'api_key' : 'api_email';
    problems.push(`${where(missing)} is empty: a Global API Key needs both api_email and api_key.`);
    return undefined;
  }
  problems.push(
    'No Cloudflare credentials: set input `api_token` (an API token with Account Settings Write), ' +
      'or `api_email` + `api_key`, or the CLOUDFLARE_API_TOKEN environment variable.',
  );
  return undefined;
}

function envName(input: string): string {
  return (
    { api_token: 'CLOUDFLARE_API_TOKEN', api_email: 'CLOUDFLARE_EMAIL', api_key: 'CLOUDFLARE_API_KEY' }[input] ?? input
  );
}
