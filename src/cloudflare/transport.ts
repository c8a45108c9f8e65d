// One request to the Cloudflare API: auth headers, User-Agent, timeout, and the JSON envelope
// checked with zod. It never retries (retry.ts decides that) and leaves the network to wire.ts.
import { z } from 'zod';
import type { Credentials } from '../inputs.js';
import { redactUrl, redactUrls } from '../redact.js';
import { CloudflareError, type CloudflareMessage, type RequestLabel } from './errors.js';
import type { Pacer } from './pacing.js';
import type { Deadline } from './quota.js';
import type { StartSpacing } from './spacing.js';
import { type Answer, wireFor } from './wire.js';

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the API base URL, starting with a slash. */
  path: string;
  body?: unknown;
  /** Not sent when the rate limit's pacing would hold it past this (the request fails at once instead). */
  deadline?: Deadline;
}

export interface TransportOptions {
  apiUrl: string;
  credentials: Credentials;
  userAgent: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** Spreads requests out when the rate-limit quota runs low. */
  pacer?: Pacer;
  /** Holds request starts within Cloudflare's per-IP rate (200 in any second). */
  spacing?: StartSpacing;
  /** Given only when step debug logging is on: one line per request, never a header or body. */
  debug?: (line: string) => void;
}

const messageSchema: z.ZodType<CloudflareMessage> = z.lazy(() =>
  z.object({
    code: z.number(),
    message: z.string(),
    documentation_url: z.string().optional(),
    error_chain: z.array(messageSchema).optional(),
  }),
);

const envelopeSchema = z.object({
  success: z.boolean(),
  errors: z.array(messageSchema).default([]),
  result: z.unknown(),
});

export type Send = <T>(req: ApiRequest, resultSchema: z.ZodType<T>) => Promise<T>;

export function createTransport(options: TransportOptions): Send {
  const headers = {
    accept: 'application/json',
    'user-agent': options.userAgent,
    ...authHeaders(options.credentials),
  };
  const wire = wireFor(new URL(options.apiUrl), options.env ?? process.env);

  // How often each request object was sent: the same object is re-sent on a retry.
  const attempts = new WeakMap<ApiRequest, number>();

  return async function send<T>(req: ApiRequest, resultSchema: z.ZodType<T>): Promise<T> {
    const label: RequestLabel = { method: req.method, path: req.path };
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const attempt = (attempts.get(req) ?? 0) + 1;
    attempts.set(req, attempt);
    await options.spacing?.take();
    const ticket = await options.pacer?.beforeRequest(req.deadline);
    const signal = AbortSignal.timeout(options.timeoutMs);
    const started = Date.now();
    let answer: Answer;
    try {
      answer = await wire({
        method: req.method,
        url: options.apiUrl + req.path,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body,
        signal,
      });
    } catch (error) {
      // No answer, no headers: the pacer only learns that this request is no longer under way.
      options.pacer?.observe(undefined, undefined, ticket);
      const failure = connectionFailure(label, error, signal, options.timeoutMs);
      options.debug?.(
        `${req.method} ${req.path}: ${failure.message} after ${Date.now() - started} ms (attempt ${attempt})`,
      );
      throw failure;
    }
    const ray = answer.headers.ray ? `, cf-ray ${answer.headers.ray}` : '';
    options.debug?.(
      `${req.method} ${req.path}: HTTP ${answer.status} in ${Date.now() - started} ms (attempt ${attempt}${ray})`,
    );
    options.pacer?.observe(answer.headers.ratelimit, answer.headers.ratelimitPolicy, ticket);
    return readEnvelope(label, answer, resultSchema);
  };
}

function authHeaders(credentials: Credentials): Record<string, string> {
  return credentials.scheme === 'token'
    ? { authorization: `Bearer ${credentials.token}` }
    : { 'x-auth-email': credentials.email, 'x-auth-key': credentials.key };
}

function connectionFailure(label: RequestLabel, error: unknown, signal: AbortSignal, timeoutMs: number) {
  if (signal.aborted) {
    return new CloudflareError('timeout', label, `no answer within ${timeoutMs / 1000} s`);
  }
  // Some clients wrap the socket's own error, with its code, as the cause.
  const cause = ((error as { cause?: unknown }).cause ?? error) as { code?: string; message?: string };
  const code = cause.code ?? '';
  // undici reports a proxy that refuses the tunnel only in its message: "Proxy response (407) !== 200 …".
  const proxyStatus = /Proxy response \((\d{3})\)/.exec(`${cause.message} ${(error as Error).message}`)?.[1];
  if (proxyStatus === '407') {
    return new CloudflareError('network', label, PROXY_REFUSED, { permanent: true, notProcessed: true });
  }
  if (code === 'ERR_INVALID_URL') {
    // Only a proxy variable can hold a URL that does not parse here: api_url was checked as an input.
    return new CloudflareError('network', label, INVALID_PROXY, { permanent: true, notProcessed: true });
  }
  const detail = redactUrls([code, cause.message].filter(Boolean).join(': ') || String(error));
  return new CloudflareError('network', label, detail, {
    // A refused connection never reached the server, so even a POST is safe to send again.
    notProcessed: code === 'ECONNREFUSED',
    permanent: PERMANENT_NETWORK.test(code),
  });
}

const INVALID_PROXY =
  'the proxy URL in HTTPS_PROXY (or HTTP_PROXY) is not a valid URL: write it as http://host:port, ' +
  'or http://user:password@host:port with the password percent-encoded';

const PROXY_REFUSED =
  'the proxy refused the credentials in HTTPS_PROXY (407 Proxy Authentication Required): ' +
  'check the user name and password in the proxy URL; retrying will not help';

// An unknown host or a certificate that does not verify will not heal on a retry seconds later;
// a reset during the TLS handshake (ECONNRESET) or a slow resolver (EAI_AGAIN) may.
const PERMANENT_NETWORK =
  /^(ENOTFOUND|ERR_TLS_CERT_ALTNAME_INVALID|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_SSL_)/;

function readEnvelope<T>(label: RequestLabel, answer: Answer, resultSchema: z.ZodType<T>): T {
  const { status, text, headers } = answer;
  // What every failure of this answer carries; a 429 proves the request was not carried out.
  const details = {
    status,
    ray: headers.ray,
    retryAfterMs: parseRetryAfter(headers.retryAfter, Date.now()),
    notProcessed: status === 429,
  };
  if (status === 407) throw new CloudflareError('api', label, PROXY_REFUSED, { ...details, notProcessed: true });
  if (status >= 300 && status < 400) {
    const where = headers.location ? ` to ${redactUrl(headers.location)}` : '';
    throw new CloudflareError(
      'api',
      label,
      `the server answered with a redirect${where}, which the action does not follow: ` +
        'set api_url to the Cloudflare API address itself (https://api.cloudflare.com/client/v4, or your gateway)',
      details,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const what = /^\s*</.test(text) ? 'an HTML page instead of JSON' : 'a body that is not valid JSON (truncated?)';
    throw new CloudflareError('unreadable', label, `Cloudflare answered with ${what}`, details);
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    throw new CloudflareError('unreadable', label, 'the answer is JSON but not a Cloudflare API envelope', details);
  }
  const { success, errors, result } = envelope.data;
  if (!success || status >= 400) {
    const first = errors[0]?.message ?? `HTTP ${status}`;
    throw new CloudflareError('api', label, first, { ...details, errors });
  }
  const parsed = resultSchema.safeParse(result);
  if (!parsed.success) {
    // The path and the expected type only: zod's message could quote a value, and answers may carry secrets.
    const issue = parsed.error.issues[0];
    const at = issue?.path.length ? ` at result.${issue.path.join('.')}` : '';
    throw new CloudflareError(
      'unreadable',
      label,
      `the result has an unexpected shape${at}${issue?.code ? ` (${issue.code})` : ''}`,
      details,
    );
  }
  return parsed.data;
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
