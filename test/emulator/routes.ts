// The API itself: routing, auth, permission and the CRUD handlers for peers and TSIGs.
// Pure request -> reply over the store; sockets and faults are the server's business.
import { authenticate, type Credentials, type Headers, permits } from './auth.ts';
import { cfError, couldNotRoute, failure, type Reply, success, successList } from './envelope.ts';
import { newId, normalizePeer, type Peer, type Store, type Tsig } from './store.ts';
import { type Body, type Parsed, parseBody, parsePeerCreate, parsePeerUpdate, parseTsig } from './validate.ts';
import { handleZones, isZonePath } from './zones.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string without its '?' ('' when none). */
  query: string;
  headers: Headers;
  body: string;
}

export interface ApiContext {
  store: Store;
  accountId: string;
  credentials: Credentials;
}

const ROUTE = /^\/client\/v4\/accounts\/([^/]+)\/secondary_dns\/(peers|tsigs)(?:\/([^/]+))?$/;
const ACCOUNT_ID = /^[0-9a-f]{32}$/i;

/** One collection of the account, described once so peers and TSIGs share the CRUD code. */
interface Resource<T extends { id: string }> {
  noun: string;
  items: Map<string, T>;
  parseCreate(body: Body): Parsed<Omit<T, 'id'>>;
  parseUpdate(body: Body): Parsed<Omit<T, 'id'>>;
  build(id: string, fields: Omit<T, 'id'>): T;
}

export function handle(req: RecordedRequest, ctx: ApiContext): Reply {
  if (isZonePath(req.path)) return handleZones(req, ctx);
  const match = ROUTE.exec(req.path);
  const [, accountId = '', collection, itemId] = match ?? [];
  if (!match || !ACCOUNT_ID.test(accountId)) return couldNotRoute(req.path);

  const access = authenticate(req.headers, ctx.credentials);
  if (typeof access !== 'string') return access;

  const allowed = itemId === undefined ? ['GET', 'POST'] : ['GET', 'PUT', 'DELETE'];
  if (!allowed.includes(req.method)) {
    return failure(405, cfError(7001, 'Method not allowed'), { Allow: allowed.join(', ') });
  }
  // Another account, or a token lacking the Account Settings permission: same answer from Cloudflare.
  if (accountId !== ctx.accountId || !permits(access, 'account', req.method)) {
    return failure(403, cfError(10000, 'Authentication error'));
  }

  const body = req.method === 'POST' || req.method === 'PUT' ? parseBody(req.body) : {};
  if (Array.isArray(body)) return failure(400, body);

  return collection === 'peers'
    ? crud(peers(ctx.store), req.method, itemId, body)
    : crud(tsigs(ctx.store), req.method, itemId, body);
}

function crud<T extends { id: string }>(r: Resource<T>, method: string, id: string | undefined, body: Body): Reply {
  if (id === undefined) {
    return method === 'GET' ? successList([...r.items.values()]) : save(r, newId(), r.parseCreate(body));
  }
  if (!r.items.has(id)) return failure(404, cfError(1002, `${r.noun} not found`));
  if (method === 'GET') return success(r.items.get(id));
  if (method === 'DELETE') {
    r.items.delete(id);
    return success({ id });
  }
  return save(r, id, r.parseUpdate(body));
}

function save<T extends { id: string }>(r: Resource<T>, id: string, fields: Parsed<Omit<T, 'id'>>): Reply {
  if (Array.isArray(fields)) return failure(400, fields);
  const item = r.build(id, fields);
  r.items.set(id, item); // an existing key keeps its place, so List order stays creation order
  return success(item);
}

function peers(store: Store): Resource<Peer> {
  return {
    noun: 'peer',
    items: store.peers,
    parseCreate: parsePeerCreate,
    parseUpdate: (body) => parsePeerUpdate(body, (tsigId) => store.tsigs.has(tsigId)),
    build: (id, fields) => normalizePeer({ id, ...fields }),
  };
}

function tsigs(store: Store): Resource<Tsig> {
  return {
    noun: 'tsig',
    items: store.tsigs,
    parseCreate: parseTsig,
    parseUpdate: parseTsig,
    build: (id, fields) => ({ id, ...fields }),
  };
}
