// Moves one request and its answer over the network; knows nothing of Cloudflare.
//
// Direct connections use Node's own http/https client: its HTTP parser is native, so a run compiles
// nothing before or after its requests. undici's parser is WebAssembly; in a process that lives a
// fraction of a second its background compilation cost ~60 ms per run on a 2-core machine
// (README, "Performance"). undici is loaded only when a proxy is configured, for its
// EnvHttpProxyAgent, which follows HTTPS_PROXY / HTTP_PROXY / NO_PROXY as users expect.
import type { IncomingHttpHeaders } from 'node:http';
import { isLoopbackHost } from '../loopback.js';

export interface Exchange {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** The few answer headers the action reads. */
export interface AnswerHeaders {
  retryAfter?: string;
  /** `"default";r=<left>;t=<seconds to reset>` (IETF draft, on every Cloudflare answer). */
  ratelimit?: string;
  /** `"default";q=<quota>;w=<window seconds>`. */
  ratelimitPolicy?: string;
  /** Cloudflare's id of this answer; support asks for it first. */
  ray?: string;
  /** Where a redirect points. */
  location?: string;
}

export interface Answer {
  status: number;
  headers: AnswerHeaders;
  text: string;
}

export type Wire = (exchange: Exchange) => Promise<Answer>;

/** The wire for this API URL: through the environment's proxy, except for loopback, which is always direct. */
export function wireFor(apiUrl: URL, env: NodeJS.ProcessEnv): Wire {
  const loopback = isLoopbackHost(apiUrl.hostname);
  const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => env[name]);
  return loopback || !proxied ? direct : throughProxy();
}

async function direct(exchange: Exchange): Promise<Answer> {
  const { request } = exchange.url.startsWith('https:') ? await import('node:https') : await import('node:http');
  const headers =
    exchange.body === undefined
      ? exchange.headers
      : { ...exchange.headers, 'content-length': String(Buffer.byteLength(exchange.body)) };
  return new Promise((resolve, reject) => {
    const req = request(exchange.url, { method: exchange.method, headers, signal: exchange.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      // A connection that breaks in the middle of the body is an error, not a short answer.
      res.on('error', reject);
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: pick(res.headers), text: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    req.end(exchange.body);
  });
}

function throughProxy(): Wire {
  const client = import('undici').then(({ request, EnvHttpProxyAgent }) => ({
    request,
    dispatcher: new EnvHttpProxyAgent(),
  }));
  return async (exchange) => {
    const { request, dispatcher } = await client;
    const { method, url, headers, body, signal } = exchange;
    const res = await request(url, { method: method as 'GET', headers, body, signal, dispatcher });
    return { status: res.statusCode, headers: pick(res.headers), text: await res.body.text() };
  };
}

type RawHeaders = IncomingHttpHeaders | Record<string, string | string[] | undefined>;

function pick(headers: RawHeaders): AnswerHeaders {
  const first = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return {
    retryAfter: first('retry-after'),
    ratelimit: first('ratelimit'),
    ratelimitPolicy: first('ratelimit-policy'),
    ray: first('cf-ray'),
    location: first('location'),
  };
}
