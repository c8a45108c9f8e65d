// The zone endpoints: List Zones (the lookup by name), Create Zone, Zone Details, Delete Zone, and each zone's
// Secondary DNS transfer configuration: incoming (Cloudflare is secondary) and outgoing (Cloudflare is
// primary), with the forced transfers that simulate a zone transfer completing later. Routing, auth and
// permissions work as for peers.
import { authenticate, permits } from './auth.ts';
import { cfError, couldNotRoute, failure, type Reply, success } from './envelope.ts';
import type { ApiContext, RecordedRequest } from './routes.ts';
import { resolveSrcImports } from './src-imports.ts';
import { newId, type Peer, type Tsig } from './store.ts';
import type { TransferSettings } from './transfers.ts';
import { type Body, type Parsed, parseBody } from './validate.ts';
import {
  canonicalZoneName,
  completeRealTransfer,
  completeTransfer,
  type Direction,
  failRealTransfer,
  type IncomingConfig,
  newIncoming,
  newOutgoing,
  now,
  type OutgoingConfig,
  type Zone,
  type ZoneSeed,
  type ZoneStatus,
} from './zone-store.ts';
import {
  type IncomingFields,
  type LinkRules,
  type OutgoingFields,
  parseIncoming,
  parseOutgoing,
  parseZoneCreate,
} from './zone-validate.ts';

const ZONES_ROOT = '/client/v4/zones';
const ROUTE =
  /^\/client\/v4\/zones(?:\/([^/]+)(?:\/secondary_dns\/(incoming|force_axfr|outgoing(?:\/(?:enable|disable|force_notify|status))?))?)?$/;
const ZONE_ID = /^[0-9a-f]{32}$/;

const METHODS: Record<string, string[]> = {
  list: ['GET', 'POST'],
  zone: ['GET', 'DELETE'],
  incoming: ['GET', 'POST', 'PUT', 'DELETE'],
  force_axfr: ['POST'],
  outgoing: ['GET', 'POST', 'PUT', 'DELETE'],
  'outgoing/enable': ['POST'],
  'outgoing/disable': ['POST'],
  'outgoing/force_notify': ['POST'],
  'outgoing/status': ['GET'],
};

// Error codes Cloudflare does not document for these cases: the emulator's own choice, which the action must
// not rely on (it tells "no configuration" apart by a 404 on a zone it has looked up).
const NOT_FOUND = 1002;
const ALREADY_EXISTS = 1004;
const WRONG_ZONE_TYPE = 1005;
/** Cloudflare's own answer to Create Zone for a name the account has: 400, "<name> already exists". */
const ZONE_EXISTS = 1061;

const NOUN: Record<Direction, string> = {
  incoming: 'secondary zone configuration',
  outgoing: 'primary zone configuration',
};

export function isZonePath(path: string): boolean {
  return path === ZONES_ROOT || path.startsWith(`${ZONES_ROOT}/`);
}

export function handleZones(req: RecordedRequest, ctx: ApiContext): Reply {
  const match = ROUTE.exec(req.path);
  const [, zoneId, sub] = match ?? [];
  if (!match || (zoneId !== undefined && !ZONE_ID.test(zoneId))) return couldNotRoute(req.path);
  const endpoint = zoneId === undefined ? 'list' : (sub ?? 'zone');

  const access = authenticate(req.headers, ctx.credentials);
  if (typeof access !== 'string') return access;

  const allowed = METHODS[endpoint] ?? [];
  if (!allowed.includes(req.method)) {
    return failure(405, cfError(7001, 'Method not allowed'), { Allow: allowed.join(', ') });
  }
  // Zone Read for the lookup, Zone Settings (or DNS) Read/Write for the rest: not Account Settings. Creating
  // or deleting a zone takes Zone → Zone → Edit, which the zone-settings token lacks.
  const zoneEdit = req.method === 'POST' ? endpoint === 'list' : req.method === 'DELETE' && endpoint === 'zone';
  if (!permits(access, zoneEdit ? 'zone-edit' : 'zone', req.method)) return forbidden();
  if (zoneId === undefined) {
    return req.method === 'POST' ? createZone(ctx, req) : listZones(ctx, new URLSearchParams(req.query));
  }

  // An unknown zone id and a zone of another account get the same answer: Cloudflare's routing error for an
  // object id it cannot resolve (7003). The action treats a 404 with a routing code as an error, not as "none".
  const zone = ctx.store.zones.items.get(zoneId);
  if (!zone || zone.accountId !== ctx.accountId) return couldNotRoute(req.path);

  switch (endpoint) {
    case 'zone':
      if (req.method === 'DELETE') {
        ctx.store.zones.remove(zone);
        return success({ id: zone.id });
      }
      return success(zoneObject(zone));
    case 'incoming':
      return configure(incomingSlot(ctx, zone), req, () => startTransfer(ctx, zone, 'incoming'));
    case 'outgoing':
      return configure(outgoingSlot(ctx, zone), req, () => startTransfer(ctx, zone, 'outgoing'));
    case 'force_axfr':
      if (!zone.incoming) return notConfigured('incoming');
      startTransfer(ctx, zone, 'incoming');
      return success('OK');
    default:
      return outgoingAction(ctx, zone, endpoint);
  }
}

function forbidden(): Reply {
  return failure(403, cfError(10000, 'Authentication error'));
}

/** Create Zone: a new, valid name of the served account; pending, with nameservers of its type. */
function createZone(ctx: ApiContext, req: RecordedRequest): Reply {
  const body = parseBody(req.body);
  if (Array.isArray(body)) return failure(400, body);
  const fields = parseZoneCreate(body);
  if (Array.isArray(fields)) return failure(400, fields);
  // Another account: the same answer as a token without access to it.
  if (fields.accountId !== ctx.accountId) return forbidden();
  const { name, type } = fields;
  if (ctx.store.zones.named(ctx.accountId, name)) return failure(400, cfError(ZONE_EXISTS, `${name} already exists`));
  return success(zoneObject(ctx.store.zones.create({ name, type, accountId: ctx.accountId, id: newId() })));
}

/** Cloudflare's List Zones: exact name and account filters, paginated, only zones of the served account. */
function listZones(ctx: ApiContext, query: URLSearchParams): Reply {
  const page = integerParam(query, 'page', { fallback: 1, min: 1, max: Number.MAX_SAFE_INTEGER });
  const perPage = integerParam(query, 'per_page', { fallback: 20, min: 5, max: 50 });
  if (typeof page !== 'number') return page;
  if (typeof perPage !== 'number') return perPage;
  const name = query.get('name');
  const accountId = query.get('account.id');
  const zones = [...ctx.store.zones.items.values()].filter(
    (zone) =>
      zone.accountId === ctx.accountId &&
      (accountId === null || zone.accountId === accountId) &&
      (name === null || zone.name === canonicalZoneName(name)),
  );
  const items = zones.slice((page - 1) * perPage, page * perPage);
  const result_info = {
    page,
    per_page: perPage,
    count: items.length,
    total_count: zones.length,
    total_pages: Math.ceil(zones.length / perPage),
  };
  return success(items.map(zoneObject), { result_info });
}

interface Range {
  fallback: number;
  min: number;
  max: number;
}

function integerParam(query: URLSearchParams, name: string, { fallback, min, max }: Range): number | Reply {
  const text = query.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  return failure(400, cfError(1001, `Invalid request: ${name} must be an integer from ${min} to ${max}`));
}

/**
 * The fields of Cloudflare's zone object an API client reads, with plausible values for the rest: every
 * field the published schema requires. The owner is the account (the schema wants a string id there).
 */
function zoneObject(zone: Zone): Record<string, unknown> {
  const account = { id: zone.accountId, name: 'Emulated account' };
  return {
    id: zone.id,
    name: zone.name,
    status: zone.status,
    paused: false,
    type: zone.type,
    development_mode: 0,
    name_servers: [...zone.nameServers],
    original_name_servers: null,
    original_registrar: null,
    original_dnshost: null,
    created_on: zone.createdOn,
    modified_on: zone.createdOn,
    activated_on: zone.activatedOn,
    meta: { step: 2, custom_certificate_quota: 0, page_rule_quota: 3, phishing_detected: false },
    owner: { ...account, type: 'organization' },
    account,
  };
}

function notConfigured(direction: Direction): Reply {
  return failure(404, cfError(NOT_FOUND, `${NOUN[direction]} not found`));
}

/** One direction's configuration of one zone, so incoming and outgoing share the CRUD code. */
interface Slot<F extends OutgoingFields> {
  direction: Direction;
  current(): IncomingConfig | OutgoingConfig | undefined;
  parse(body: Body): Parsed<F>;
  /** Why this zone cannot have such a configuration, if it cannot. */
  refuse(): Reply | undefined;
  /** Creates the configuration, or replaces the fields of the existing one (in place: pending transfers stay). */
  save(fields: F): void;
  remove(): void;
}

function configure<F extends OutgoingFields>(slot: Slot<F>, req: RecordedRequest, transfer: () => void): Reply {
  const current = slot.current();
  if (req.method === 'POST') {
    if (current) return failure(400, cfError(ALREADY_EXISTS, `${NOUN[slot.direction]} already exists`));
    const refusal = slot.refuse();
    if (refusal) return refusal;
  } else if (!current) {
    return notConfigured(slot.direction);
  }
  if (req.method === 'GET') return success(current);
  if (req.method === 'DELETE') {
    slot.remove();
    return success({ id: current?.id });
  }

  const body = parseBody(req.body);
  if (Array.isArray(body)) return failure(400, body);
  const fields = slot.parse(body);
  if (Array.isArray(fields)) return failure(400, fields);
  // A transfer follows when a peer is linked: on creation, or when an update adds one.
  const linked = fields.peers.some((id) => !current?.peers.includes(id));
  slot.save(fields);
  if (linked) transfer();
  return success(slot.current());
}

function linkRules(ctx: ApiContext, zone: Zone): LinkRules {
  return { zoneName: zone.name, peer: (id) => ctx.store.peers.get(id) };
}

function incomingSlot(ctx: ApiContext, zone: Zone): Slot<IncomingFields> {
  return {
    direction: 'incoming',
    current: () => zone.incoming,
    parse: (body) => parseIncoming(body, linkRules(ctx, zone)),
    // Cloudflare can be secondary only for a zone created as a secondary zone.
    refuse: () =>
      zone.type === 'secondary'
        ? undefined
        : failure(400, cfError(WRONG_ZONE_TYPE, `${zone.name} is not a secondary zone: it cannot transfer in`)),
    save: (fields) => {
      const { peers, auto_refresh_seconds } = fields;
      if (zone.incoming) Object.assign(zone.incoming, { peers, auto_refresh_seconds, modified_time: now() });
      else zone.incoming = newIncoming(zone, fields);
    },
    remove: () => {
      delete zone.incoming;
    },
  };
}

function outgoingSlot(ctx: ApiContext, zone: Zone): Slot<OutgoingFields> {
  return {
    direction: 'outgoing',
    current: () => zone.outgoing,
    parse: (body) => parseOutgoing(body, linkRules(ctx, zone)),
    refuse: () => undefined,
    save: (fields) => {
      if (zone.outgoing) zone.outgoing.peers = [...fields.peers];
      else zone.outgoing = newOutgoing(zone, fields);
    },
    remove: () => {
      delete zone.outgoing;
      zone.outgoingEnabled = false;
    },
  };
}

function outgoingAction(ctx: ApiContext, zone: Zone, endpoint: string): Reply {
  if (!zone.outgoing) return notConfigured('outgoing');
  switch (endpoint) {
    case 'outgoing/enable':
      // Enabling NOTIFYs the secondaries, which then transfer.
      if (!zone.outgoingEnabled) {
        zone.outgoingEnabled = true;
        startTransfer(ctx, zone, 'outgoing');
      }
      return success('Enabled');
    case 'outgoing/disable':
      zone.outgoingEnabled = false;
      return success('Disabled');
    case 'outgoing/force_notify':
      // Accepted while disabled too, but then nothing transfers (the wait for it times out).
      startTransfer(ctx, zone, 'outgoing');
      return success('OK');
    default:
      return success(zone.outgoingEnabled ? 'Enabled' : 'Disabled');
  }
}

/**
 * Completes a transfer after the configured delay, unless by then the configuration was deleted, outgoing
 * transfers were disabled, or no linked peer has an address to transfer from (incoming) or notify (outgoing).
 */
function startTransfer(ctx: ApiContext, zone: Zone, direction: Direction): void {
  const config = zone[direction];
  const enabled = (): boolean => direction === 'incoming' || zone.outgoingEnabled;
  if (!config || !enabled()) return;
  const real = direction === 'incoming' && loopbackPeers(ctx, config.peers).length > 0;
  ctx.store.zones.transfers.start(async () => {
    if (real) {
      const peers = loopbackPeers(ctx, config.peers);
      if (zone.incoming === config && peers.length > 0) await transferFrom(ctx, zone, peers);
      return;
    }
    const reachable = config.peers.some((id) => Boolean(ctx.store.peers.get(id)?.ip));
    if (zone[direction] === config && enabled() && reachable) completeTransfer(zone, direction);
  });
}

/**
 * The linked peers with a loopback address. When a zone has any, the emulator transfers from them for real,
 * as Cloudflare would (AXFR over TCP, signed with the peer's key); a documentation address cannot be reached
 * from here, so those peers keep the simulated transfer.
 */
function loopbackPeers(ctx: ApiContext, ids: string[]): Peer[] {
  return ids
    .map((id) => ctx.store.peers.get(id))
    .filter((peer): peer is Peer => peer !== undefined && isLoopbackIp(peer.ip ?? ''));
}

/** Tries the zone's loopback primaries in order; the first complete transfer sets the serial. */
async function transferFrom(ctx: ApiContext, zone: Zone, peers: Peer[]): Promise<void> {
  resolveSrcImports();
  const { axfr } = await import('./axfr.ts');
  const config = zone.incoming;
  for (const peer of peers) {
    const tsig: Tsig | undefined = peer.tsig_id ? ctx.store.tsigs.get(peer.tsig_id) : undefined;
    const result =
      peer.tsig_id && !tsig
        ? { ok: false as const, reason: 'the peer names a TSIG key that does not exist' }
        : await axfr({ ip: peer.ip ?? '', port: peer.port || 53, zone: zone.name, key: tsig });
    if (zone.incoming !== config) return; // unlinked meanwhile: the answer is for nobody
    zone.lastTransfer = { peer: peer.id, result: result.ok ? `serial ${result.serial}` : result.reason };
    if (result.ok) return completeRealTransfer(zone, result.serial);
  }
  failRealTransfer(zone);
}

function isLoopbackIp(ip: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip) || ip === '::1';
}

/** What tests (and the CLI) use to set up zones and script transfers. */
export interface ZoneControls {
  /** Every zone with its configurations, as stored (copies). */
  zones(): Zone[];
  /** Adds a zone; id defaults to a new 32-hex id, accountId to the emulator's account, status to active. */
  seedZone(fields: ZoneSeed): Zone;
  /** Sets a zone's status, as Cloudflare does once it sees the delegation (active) or loses it (moved). */
  setZoneStatus(zoneId: string, status: ZoneStatus): Zone;
  /** Changes how transfers started from now on complete; returns the settings and the pending count. */
  transfers(settings?: Partial<TransferSettings>): TransferSettings & { pending: number };
  /** Changes a zone as another writer would (a person, another run): `edit` gets the live zone. */
  editZone(zoneId: string, edit: (zone: Zone) => void): Zone;
  /** Resolves when every started transfer has ended (real ones included). */
  transfersDone(): Promise<void>;
}

export function zoneControls(ctx: ApiContext): ZoneControls {
  const store = ctx.store.zones;
  return {
    zones: () => structuredClone([...store.items.values()]),
    seedZone: (fields) =>
      structuredClone(
        store.seed({ ...fields, id: fields.id ?? newId(), accountId: fields.accountId ?? ctx.accountId }),
      ),
    setZoneStatus: (zoneId, status) => {
      const zone = store.items.get(zoneId);
      if (!zone) throw new Error(`no zone with id ${zoneId}`);
      zone.status = status;
      if (status === 'active') zone.activatedOn ??= now();
      return structuredClone(zone);
    },
    transfers: (settings = {}) => ({ ...store.transfers.configure(settings), pending: store.transfers.pending }),
    editZone: (zoneId, edit) => {
      const zone = store.items.get(zoneId);
      if (!zone) throw new Error(`no zone with id ${zoneId}`);
      edit(zone);
      return structuredClone(zone);
    },
    transfersDone: async () => {
      while (store.transfers.pending > 0) {
        await store.transfers.settled();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}
