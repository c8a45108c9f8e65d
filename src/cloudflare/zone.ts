// A zone and its Secondary DNS transfer configuration: `incoming` when Cloudflare is secondary (the
// peer is the zone's primary), `outgoing` when Cloudflare is primary (the peer is a secondary it
// notifies). Each request is retried in the way that is safe for it; see createTransfer and createZone
// for the POSTs.
import { z } from 'zod';
import { bareName } from '../names.js';
import { deletedSchema } from './collection.js';
import { CloudflareError, describeError } from './errors.js';
import { type RetryPolicy, withRetries } from './retry.js';
import { safeCreate } from './safe-create.js';
import type { ApiRequest, Send } from './transport.js';

export type ZoneRole = 'secondary' | 'primary';

export const zoneSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  account: z.looseObject({ id: z.string() }).nullish(),
  /** full, partial, secondary, internal: Cloudflare transfers into secondary zones only. */
  type: z.string().nullish(),
  /** The nameservers Cloudflare assigned, as it lists them: nsNNNN.secondary.cloudflare.com for a secondary zone. */
  name_servers: z.array(z.string()).nullish(),
  /** pending (a new zone), active, … */
  status: z.string().nullish(),
});
export type Zone = z.infer<typeof zoneSchema>;

/** Cloudflare's code when Create Zone is refused because the account has the name: "<name> already exists". */
export const ZONE_EXISTS = 1061;

export interface CreatedZone {
  zone: Zone;
  /**
   * True when this call's POST made the zone (one found after its answer was lost counts); false when the
   * POST was refused because the zone was there already (another run made it after the caller looked).
   */
  created: boolean;
}

/** Codes of a credential Cloudflare does not know at all: then a 403 says nothing about permissions. */
const UNKNOWN_CREDENTIAL = [9109, 9103];

/**
 * Cloudflare refused to create or delete a zone for want of permission: the token needs Zone → Zone → Edit
 * on the account (a token scoped to zones cannot create one).
 */
export function lacksZoneEdit(error: unknown): boolean {
  if (!(error instanceof CloudflareError) || error.status !== 403) return false;
  if (error.codes.some((code) => UNKNOWN_CREDENTIAL.includes(code))) return false;
  const { method, path } = error.request;
  return (method === 'POST' && path === '/zones') || (method === 'DELETE' && /^\/zones\/[^/?]+$/.test(path));
}

export const transferSchema = z.looseObject({
  name: z.string().nullish(),
  peers: z
    .array(z.string())
    .nullish()
    .transform((peers) => peers ?? []),
  auto_refresh_seconds: z.number().nullish(),
  soa_serial: z.number().nullish(),
  checked_time: z.string().nullish(),
  modified_time: z.string().nullish(),
  last_transferred_time: z.string().nullish(),
});
export type TransferConfig = z.infer<typeof transferSchema>;

/** The body of Create/Update: the whole configuration (incoming adds auto_refresh_seconds). */
export interface TransferBody {
  name: string;
  peers: string[];
  auto_refresh_seconds?: number;
}

/** The configuration a role's peers sit in: Cloudflare as secondary takes them in, as primary sends out. */
export const ENDPOINT: Record<ZoneRole, string> = { secondary: 'incoming', primary: 'outgoing' };

/** Cloudflare's largest page of List Zones (its OpenAPI document: per_page maximum 50). */
export const ZONES_PER_PAGE = 50;

export class ZoneApi {
  private readonly send: Send;
  private readonly retry: RetryPolicy;
  private readonly accountId: string;

  constructor(connection: { send: Send; retry: RetryPolicy; accountId: string }) {
    this.send = connection.send;
    this.retry = connection.retry;
    this.accountId = connection.accountId;
  }

  /** The account's zones with exactly this name (Zone Read). */
  byName(name: string): Promise<Zone[]> {
    const query = new URLSearchParams({ name, 'account.id': this.accountId });
    return this.retried({ method: 'GET', path: `/zones?${query}` }, z.array(zoneSchema));
  }

  /**
   * One page of the account's zones, 50 a page (Zone Read): cheaper than one lookup per name when many
   * zones are asked for. A page that is not full is the last (the answer's result_info does not reach
   * here; an account with a multiple of 50 zones costs one empty page more).
   */
  page(page: number): Promise<Zone[]> {
    const query = new URLSearchParams({
      'account.id': this.accountId,
      per_page: String(ZONES_PER_PAGE),
      page: String(page),
    });
    return this.retried({ method: 'GET', path: `/zones?${query}` }, z.array(zoneSchema));
  }

  /** The zone with this id, if it is one of this account's (Zone Read); a token may see other accounts' too. */
  async inAccount(zoneId: string): Promise<Zone | undefined> {
    try {
      const zone = await this.retried({ method: 'GET', path: `/zones/${zoneId}` }, zoneSchema);
      return !zone.account || zone.account.id === this.accountId ? zone : undefined;
    } catch (error) {
      if (error instanceof CloudflareError && error.answered404) return undefined;
      throw error;
    }
  }

  /**
   * Creates the zone as a secondary zone (Zone → Zone → Edit); names compare without case and trailing dot.
   * As safe to retry as Create Peer (safeCreate): after a lost answer the zone is looked up by name before any
   * second POST, and one that appeared is this call's. A POST refused because the name exists (another run
   * created the zone since the caller looked it up) joins that zone, with `created: false`.
   */
  async createZone(name: string): Promise<CreatedZone> {
    const canonical = bareName(name);
    const req: ApiRequest = {
      method: 'POST',
      path: '/zones',
      body: { account: { id: this.accountId }, name: canonical, type: 'secondary' },
    };
    let joined = false;
    const zone = await safeCreate({
      operation: 'Create Zone',
      noun: 'zone',
      nouns: 'zones',
      name: canonical,
      severalHint: 'Delete the zones that should not be there, and run again.',
      retry: this.retry,
      post: async () => {
        try {
          return await this.send(req, zoneSchema);
        } catch (error) {
          const existing = await this.existingAfterRefusal(error, canonical);
          if (!existing) throw error;
          joined = true;
          return existing;
        }
      },
      // The caller looked this name up and found no zone: any zone with it now has appeared since.
      appeared: () => this.byName(canonical),
    });
    return { zone, created: !joined };
  }

  /**
   * Deletes the zone and with it its transfer configurations (Zone → Zone → Edit). `gone` when it was not
   * there to delete; a retried DELETE that finds it gone means an earlier attempt went through: `deleted`.
   */
  async deleteZone(zoneId: string): Promise<'deleted' | 'gone'> {
    const req: ApiRequest = { method: 'DELETE', path: `/zones/${zoneId}` };
    return withRetries(this.retry, async (attempt) => {
      try {
        await this.send(req, deletedSchema);
        return 'deleted';
      } catch (error) {
        if (!(error instanceof CloudflareError && error.answered404)) throw error;
        return attempt > 1 ? 'deleted' : 'gone';
      }
    });
  }

  /**
   * The zone a Create Zone refused as existing, looked up by name; undefined for any other failure. The
   * lookup's own failure ends the create (not as a CloudflareError, which safeCreate would read as a POST's).
   */
  private async existingAfterRefusal(error: unknown, name: string): Promise<Zone | undefined> {
    if (!(error instanceof CloudflareError && error.codes.includes(ZONE_EXISTS))) return undefined;
    try {
      const [zone] = await this.byName(name);
      return zone;
    } catch (lookupError) {
      throw new Error(
        `${describeError(error)}\nLooking up the zone ${name} that another run created failed too.\n${describeError(lookupError)}`,
      );
    }
  }

  /**
   * The zone's configuration for this role, or undefined when it has none. Only for a zone the lookup
   * proved exists: then a 404 here can only mean "no configuration" (Cloudflare documents no code for it).
   */
  async transfer(role: ZoneRole, zoneId: string): Promise<TransferConfig | undefined> {
    try {
      return await this.retried({ method: 'GET', path: this.path(role, zoneId) }, transferSchema);
    } catch (error) {
      if (error instanceof CloudflareError && error.answered404) return undefined;
      throw error;
    }
  }

  /**
   * Creates the configuration. A zone has at most one, so a POST repeated after a lost answer is
   * refused rather than duplicated; the answer that counts is then the configuration as it is.
   */
  async createTransfer(role: ZoneRole, zoneId: string, body: TransferBody): Promise<TransferConfig> {
    const req: ApiRequest = { method: 'POST', path: this.path(role, zoneId), body };
    let maybeCreated = false;
    return withRetries(this.retry, async () => {
      try {
        return await this.send(req, transferSchema);
      } catch (error) {
        if (!(error instanceof CloudflareError)) throw error;
        const existing = maybeCreated && !error.transient ? await this.transfer(role, zoneId) : undefined;
        if (existing && body.peers.every((id) => existing.peers.includes(id))) return existing;
        if (error.ambiguous) maybeCreated = true;
        throw error;
      }
    });
  }

  updateTransfer(role: ZoneRole, zoneId: string, body: TransferBody): Promise<TransferConfig> {
    return this.retried({ method: 'PUT', path: this.path(role, zoneId), body }, transferSchema);
  }

  /** Deletes the configuration; a retry that finds none means an earlier attempt went through. */
  async deleteTransfer(role: ZoneRole, zoneId: string): Promise<void> {
    const req: ApiRequest = { method: 'DELETE', path: this.path(role, zoneId) };
    await withRetries(this.retry, async (attempt) => {
      try {
        await this.send(req, z.unknown());
      } catch (error) {
        if (attempt > 1 && error instanceof CloudflareError && error.answered404) return;
        throw error;
      }
    });
  }

  /** Asks for a transfer now: AXFR from the primary (secondary zones), or NOTIFY to the secondaries. */
  force(role: ZoneRole, zoneId: string): Promise<unknown> {
    const path =
      role === 'secondary' ? `/zones/${zoneId}/secondary_dns/force_axfr` : `${this.path(role, zoneId)}/force_notify`;
    return this.retried({ method: 'POST', path }, z.unknown());
  }

  /** Enables outgoing transfers (primary zones); answers the new state, e.g. "Enabled". */
  enableOutgoing(zoneId: string): Promise<unknown> {
    return this.retried({ method: 'POST', path: `${this.path('primary', zoneId)}/enable` }, z.unknown());
  }

  /** The outgoing transfer state as Cloudflare words it ("Enabled", "Disabled", …). */
  outgoingStatus(zoneId: string): Promise<string> {
    return this.retried({ method: 'GET', path: `${this.path('primary', zoneId)}/status` }, z.string());
  }

  private path(role: ZoneRole, zoneId: string): string {
    return `/zones/${zoneId}/secondary_dns/${ENDPOINT[role]}`;
  }

  private retried<T>(req: ApiRequest, schema: z.ZodType<T>): Promise<T> {
    // The retry policy's deadline holds for the pacing before each attempt too (one request object for
    // every attempt: the transport counts attempts by it).
    const sent = this.retry.deadline ? { ...req, deadline: this.retry.deadline } : req;
    return withRetries(this.retry, () => this.send(sent, schema));
  }
}
