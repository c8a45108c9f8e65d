// HTTP(S) plumbing: read the request, record it, answer it (possibly through a fault) with the headers
// Cloudflare puts on every answer, record the answer, and shut down cleanly.
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Reply } from './envelope.ts';
import { applyFault, type Fault, FaultQueue, type FaultRule } from './faults.ts';
import { RateLimiter, type RateLimitSettings } from './ratelimit.ts';
import { type ApiContext, handle, type RecordedRequest } from './routes.ts';
import { newId, normalizePeer, type Peer, Store, type Tsig } from './store.ts';
import { type ZoneControls, zoneControls } from './zones.ts';

export interface EmulatorOptions {
  port?: number;
  accountId?: string;
  token?: string;
  readOnlyToken?: string;
  accountOnlyToken?: string;
  zoneOnlyToken?: string;
  noZoneEditToken?: string;
  email?: string;
  apiKey?: string;
  tls?: { key: string; cert: string };
  /** Clock of the rate-limit window (ms); tests that check the window's end pass a fake one. */
  now?: () => number;
}

/** What the emulator sent back (half the body for a truncate fault); header names in lower case. */
export interface RecordedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A request as received, and the answer it got. */
export interface Exchange extends RecordedRequest {
  /** The `cf-ray` of the answer, as Cloudflare support asks for it; absent when no answer was sent. */
  ray?: string;
  /** Absent while the answer is pending, and for good when the connection was dropped. */
  answer?: RecordedAnswer;
  /** The injected fault that shaped the answer, if one did. */
  fault?: Fault['kind'];
}

export interface Emulator extends ZoneControls {
  url: string;
  port: number;
  accountId: string;
  token: string;
  readOnlyToken: string;
  /** Account Settings Write, no zone permission. */
  accountOnlyToken: string;
  /** Zone Read and Zone Settings Write, no Account Settings permission. */
  zoneOnlyToken: string;
  /** Account Settings Write, Zone Read and Zone Settings Write: everything but Zone → Zone → Edit. */
  noZoneEditToken: string;
  email: string;
  apiKey: string;
  peers(): Peer[];
  tsigs(): Tsig[];
  seedPeer(fields: Omit<Peer, 'id'> & { id?: string }): Peer;
  seedTsig(fields: Omit<Tsig, 'id'> & { id?: string }): Tsig;
  /** Every exchange since the last reset(), in arrival order. */
  requests: Exchange[];
  inject(fault: FaultRule): void;
  /**
   * Scripts the quota (per credential: every client with the same token shares it) and the current window
   * the `Ratelimit` header reports; at 0 left, requests get 429 until the reset. `timeScale` runs the
   * windows that many times faster than Cloudflare's clock.
   */
  rateLimit(settings: RateLimitSettings): void;
  /** Empties the account, the faults and the record, and restores the default budget. */
  reset(): void;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const ctx: ApiContext = {
    store: new Store(),
    accountId: options.accountId ?? '0123456789abcdef0123456789abcdef',
    credentials: {
      token: options.token ?? 'cfut_emulator_token_0123456789abcdefghij',
      readOnlyToken: options.readOnlyToken ?? 'cfut_emulator_readonly_0123456789abcdef',
      accountOnlyToken: options.accountOnlyToken ?? 'cfut_emulator_account_only_0123456789ab',
      zoneOnlyToken: options.zoneOnlyToken ?? 'cfut_emulator_zone_only_0123456789abcdef',
      noZoneEditToken: options.noZoneEditToken ?? 'cfut_emulator_no_zone_edit_0123456789a',
      email: options.email ?? 'dns-admin@example.com',
      apiKey: options.apiKey ?? 'cfk_emulator_global_key_0123456789',
    },
  };
  const requests: Exchange[] = [];
  const faults = new FaultQueue();
  const limiter = new RateLimiter(options.now ?? Date.now);
  // Cancel functions of pending 'delay' waits, so reset() and close() never leave a timer behind.
  const waits = new Set<() => void>();

  function send(
    res: ServerResponse,
    exchange: Exchange,
    reply: Reply,
    common: Record<string, string>,
    options: { truncate?: boolean } = {},
  ): void {
    const ray = newRay();
    const headers = { 'Content-Type': reply.contentType, ...common, ...reply.headers, 'cf-ray': ray };
    res.statusCode = reply.status;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    // Truncation sends no Content-Length (chunked), so the client sees a clean end and half a JSON document.
    const body = options.truncate ? reply.body.slice(0, Math.floor(reply.body.length / 2)) : reply.body;
    if (!options.truncate) res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
    exchange.ray = ray;
    const recordedHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    exchange.answer = { status: reply.status, headers: recordedHeaders, body };
  }

  function wait(ms: number, res: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (completed: boolean): void => {
        clearTimeout(timer);
        waits.delete(cancel);
        res.off('close', cancel);
        resolve(completed);
      };
      const cancel = (): void => finish(false);
      const timer = setTimeout(() => finish(true), ms);
      waits.add(cancel);
      res.once('close', cancel);
    });
  }

  function cancelWaits(): void {
    for (const cancel of [...waits]) cancel();
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const recorded: Exchange = {
      method: req.method ?? 'GET',
      path,
      query: url.slice(path.length + 1),
      headers: { ...req.headers },
      body,
    };
    requests.push(recorded);
    // Counted before anything else, faults included: Cloudflare's edge throttles before the API sees it.
    const admission = limiter.admit(credentialOf(recorded.headers));
    if (admission.limited) return send(res, recorded, admission.reply, {});
    const perform = (): Reply => handle(recorded, ctx);
    const fault = faults.take(recorded.method, recorded.path);
    if (!fault) return send(res, recorded, perform(), admission.headers);
    recorded.fault = fault.kind;
    await applyFault(fault, {
      perform,
      send: (reply, options) => send(res, recorded, reply, admission.headers, options),
      destroy: () => req.socket.destroy(),
      wait: (ms) => wait(ms, res),
    });
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    onRequest(req, res).catch(() => req.socket.destroy());
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/client/v4`,
    port,
    accountId: ctx.accountId,
    ...ctx.credentials,
    peers: () => structuredClone([...ctx.store.peers.values()]),
    tsigs: () => structuredClone([...ctx.store.tsigs.values()]),
    seedPeer: (fields) => seed(ctx.store.peers, normalizePeer({ ...fields, id: fields.id ?? newId() })),
    seedTsig: (fields) => seed(ctx.store.tsigs, { ...fields, id: fields.id ?? newId() }),
    ...zoneControls(ctx),
    requests,
    inject: (rule) => faults.add(rule),
    rateLimit: (settings) => limiter.set(settings),
    reset: () => {
      cancelWaits();
      limiter.reset();
      ctx.store.clear();
      faults.clear();
      requests.length = 0; // keep the array the caller may hold
    },
    close: () => {
      cancelWaits();
      ctx.store.zones.transfers.cancel();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
}

/** Whose quota a request spends: the token, or the email and key, as presented (valid or not). */
function credentialOf(headers: IncomingMessage['headers']): string {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';
  return headers.authorization !== undefined
    ? first(headers.authorization)
    : `${first(headers['x-auth-email'])} ${first(headers['x-auth-key'])}`;
}

/** Cloudflare's form (16 hex, a dash, the data centre), with a data centre that says it is not Cloudflare. */
function newRay(): string {
  return `${randomBytes(8).toString('hex')}-EMU`;
}

function seed<T extends { id: string }>(items: Map<string, T>, item: T): T {
  if (items.has(item.id)) throw new Error(`an item with id ${item.id} already exists`);
  items.set(item.id, item);
  return structuredClone(item);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
