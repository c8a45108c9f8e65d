// The zone endpoints: List Zones (the lookup by name), Zone Details, and each zone's Secondary DNS transfer
// configuration: incoming (Cloudflare is secondary) and outgoing (Cloudflare is primary), with the forced
// transfers that simulate a zone transfer completing later. Routing, auth and permissions work as for peers.
import { authenticate, permits } from './auth.ts';
import { cfError, couldNotRoute, failure, type Reply, success } from './envelope.ts';
import type { ApiContext, RecordedRequest } from './routes.ts';
import { newId } from './store.ts';
import type { TransferSettings } from './transfers.ts';
import { type Body, type Parsed, parseBody } from './validate.ts';
import {
  canonicalZoneName,
  completeTransfer,
  type Direction,
  type IncomingConfig,
  newIncoming,
  newOutgoing,
  now,
  type OutgoingConfig,
  type Zone,
  type ZoneSeed,
} from './zone-store.ts';
import {
  type IncomingFields,
  type LinkRules,
  type OutgoingFields,
  parseIncoming,
  parseOutgoing,
} from './zone-validate.ts';

const ZONES_ROOT = '/client/v4/zones';
const ROUTE =
  /^\/client\/v4\/zones(?:\/([^/]+)(?:\/secondary_dns\/(incoming|force_axfr|outgoing(?:\/(?:enable|disable|force_notify|status))?))?)?$/;
const ZONE_ID = /^[0-9a-f]{32}$/;

const METHODS: Record<string, string[]> = {
  list: ['GET'],
  zone: ['GET'],
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
  // Zone Read for the lookup, Zone Settings (or DNS) Read/Write for the rest: not Account Settings.
  if (!permits(access, 'zone', req.method)) return failure(403, cfError(10000, 'Authentication error'));
  if (zoneId === undefined) return listZones(ctx, new URLSearchParams(req.query));

  // An unknown zone id and a zone of another account get the same answer: Cloudflare's routing error for an
  // object id it cannot resolve (7003). The action treats a 404 with a routing code as an error, not as "none".
  const zone = ctx.store.zones.items.get(zoneId);
  if (!zone || zone.accountId !== ctx.accountId) return couldNotRoute(req.path);

  switch (endpoint) {
    case 'zone':
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

/** The fields of Cloudflare's zone object an API client reads, with plausible values for the rest. */
function zoneObject(zone: Zone): Record<string, unknown> {
  return {
    id: zone.id,
    name: zone.name,
    status: 'active',
    paused: false,
    type: zone.type,
    development_mode: 0,
    name_servers: ['ada.ns.cloudflare.com', 'bob.ns.cloudflare.com'],
    original_name_servers: null,
    original_registrar: null,
    original_dnshost: null,
    created_on: zone.createdOn,
    modified_on: zone.createdOn,
    activated_on: zone.createdOn,
    owner: { type: 'user' },
    meta: { step: 2, custom_certificate_quota: 0, page_rule_quota: 3, phishing_detected: false },
    account: { id: zone.accountId, name: 'Emulated account' },
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
  ctx.store.zones.transfers.start(() => {
    const reachable = config.peers.some((id) => Boolean(ctx.store.peers.get(id)?.ip));
    if (zone[direction] === config && enabled() && reachable) completeTransfer(zone, direction);
  });
}

/** What tests (and the CLI) use to set up zones and script transfers. */
export interface ZoneControls {
  /** Every zone with its configurations, as stored (copies). */
  zones(): Zone[];
  /** Adds a zone; id defaults to a new 32-hex id, accountId to the emulator's account. */
  seedZone(fields: ZoneSeed): Zone;
  /** Changes how transfers started from now on complete; returns the settings and the pending count. */
  transfers(settings?: Partial<TransferSettings>): TransferSettings & { pending: number };
}

export function zoneControls(ctx: ApiContext): ZoneControls {
  const store = ctx.store.zones;
  return {
    zones: () => structuredClone([...store.items.values()]),
    seedZone: (fields) =>
      structuredClone(
        store.seed({ ...fields, id: fields.id ?? newId(), accountId: fields.accountId ?? ctx.accountId }),
      ),
    transfers: (settings = {}) => ({ ...store.transfers.configure(settings), pending: store.transfers.pending }),
  };
}
