// One HTTP exchange with the Cloudflare API: auth headers, User-Agent, timeout, proxy,
// and the JSON envelope checked with zod. It never retries; retry.ts decides that.
import { type Dispatcher, EnvHttpProxyAgent, request } from 'undici';
import { z } from 'zod';
import type { Credentials } from '../inputs.js';
import { type CloudflareMessage, CloudflareError, type RequestLabel } from './errors.js';

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the API base URL, starting with a slash. */
  path: string;
  body?: unknown;
}

export interface TransportOptions {
  apiUrl: string;
  credentials: Credentials;
  userAgent: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
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
  const dispatcher = proxyFor(new URL(options.apiUrl), options.env ?? process.env);

  return async function send<T>(req: ApiRequest, resultSchema: z.ZodType<T>): Promise<T> {
    const label: RequestLabel = { method: req.method, path: req.path };
    const signal = AbortSignal.timeout(options.timeoutMs);
    let status: number;
    let text: string;
    let retryAfter: string | undefined;
    try {
      const response = await request(options.apiUrl + req.path, {
        method: req.method,
        headers: req.body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal,
        dispatcher,
      });
      status = response.statusCode;
      retryAfter = firstHeader(response.headers['retry-after']);
      text = await response.body.text();
    } catch (error) {
      throw connectionFailure(label, error, signal, options.timeoutMs);
    }
    return readEnvelope(label, status, text, retryAfter, resultSchema);
  };
}

function authHeaders(credentials: Credentials): Record<string, string> {
  return credentials.scheme === 'token'
    ? { authorization: `Bearer ${credentials.token}` }
    : { 'x-auth-email': credentials.email, 'x-auth-key': credentials.key };
}

/** Proxy from HTTPS_PROXY/HTTP_PROXY/NO_PROXY, except for loopback, which is always reached directly. */
function proxyFor(url: URL, env: NodeJS.ProcessEnv): Dispatcher | undefined {
  const loopback = ['localhost', '[::1]'].includes(url.hostname) || url.hostname.startsWith('127.');
  const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => env[name]);
  return loopback || !proxied ? undefined : new EnvHttpProxyAgent();
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function connectionFailure(label: RequestLabel, error: unknown, signal: AbortSignal, timeoutMs: number) {
  if (signal.aborted) {
    return new CloudflareError('timeout', label, `no answer within ${timeoutMs / 1000} s`);
  }
  const code = (error as { code?: string }).code;
  const text = error instanceof Error ? error.message : String(error);
  const detail = code && !text.includes(code) ? `${code}: ${text}` : text;
  // A refused connection never reached the server, so even a POST is safe to send again.
  return new CloudflareError('network', label, detail, undefined, [], undefined, code === 'ECONNREFUSED');
}

function readEnvelope<T>(
  label: RequestLabel,
  status: number,
  text: string,
  retryAfter: string | undefined,
  resultSchema: z.ZodType<T>,
): T {
  const retryAfterMs = parseRetryAfter(retryAfter, Date.now());
  const rateLimited = status === 429;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const what = /^\s*</.test(text) ? 'an HTML page instead of JSON' : 'a body that is not valid JSON (truncated?)';
    throw new CloudflareError('unreadable', label, `Cloudflare answered with ${what}`, status, [], retryAfterMs, rateLimited);
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    throw new CloudflareError('unreadable', label, 'the answer is JSON but not a Cloudflare API envelope', status);
  }
  const { success, errors, result } = envelope.data;
  if (!success || status >= 400) {
    const first = errors[0]?.message ?? `HTTP ${status}`;
    throw new CloudflareError('api', label, first, status, errors, retryAfterMs, rateLimited);
  }
  const parsed = resultSchema.safeParse(result);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.length ? ` at result.${issue.path.join('.')}` : '';
    throw new CloudflareError('unreadable', label, `the result has an unexpected shape${at}: ${issue?.message}`, status);
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
