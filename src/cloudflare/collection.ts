// One collection of an account's Secondary DNS objects (peers, TSIG keys): List, Get, Update and
// Delete, each retried in the way that is safe for it, and Create through safeCreate.
import { z } from 'zod';
import { CloudflareError } from './errors.js';
import { type RetryPolicy, withRetries } from './retry.js';
import { safeCreate } from './safe-create.js';
import type { ApiRequest, Send } from './transport.js';

/** What every client needs: one request, the retry policy, and the account. */
export interface Connection {
  send: Send;
  retry: RetryPolicy;
  accountId: string;
}

export interface CollectionSpec<T> {
  /** Below /accounts/{id}/secondary_dns/: "peers", "tsigs". */
  path: string;
  schema: z.ZodType<T>;
  /** For messages: "Create Peer", "peer", "peers". */
  create: string;
  noun: string;
  nouns: string;
  /** How names compare when looking for the object a lost Create answer made. */
  sameName: (a: string, b: string) => boolean;
  /** What to do when several objects with the name appeared after a lost Create answer. */
  severalHint: string;
  /** Sees every object Cloudflare returns, before anything else happens with it. */
  received?: (item: T) => void;
}

/** What a Delete answers: the id of what is gone. */
export const deletedSchema = z.looseObject({ id: z.string() });

export class Collection<T extends { id: string; name: string }, Body extends { name: string }> {
  private readonly base: string;
  private readonly connection: Connection;
  private readonly spec: CollectionSpec<T>;

  constructor(connection: Connection, spec: CollectionSpec<T>) {
    this.connection = connection;
    this.spec = spec;
    this.base = `/accounts/${connection.accountId}/secondary_dns/${spec.path}`;
  }

  list(): Promise<T[]> {
    return this.retried({ method: 'GET', path: this.base }, z.array(this.spec.schema));
  }

  get(id: string): Promise<T> {
    return this.retried({ method: 'GET', path: `${this.base}/${id}` }, this.spec.schema);
  }

  update(id: string, body: Body): Promise<T> {
    return this.retried({ method: 'PUT', path: `${this.base}/${id}`, body }, this.spec.schema);
  }

  /**
   * The object with this id, or undefined when it is gone. A 404 alone does not prove that (a wrong
   * account answers 404 too, and Cloudflare documents no code for an unknown id): the account's List
   * decides. An object in the List is there, whatever Get said; a List that fails says the account is wrong.
   */
  async find(id: string): Promise<T | undefined> {
    try {
      return await this.get(id);
    } catch (error) {
      if (!(error instanceof CloudflareError && error.answered404)) throw error;
      return (await this.list()).find((item) => item.id === id);
    }
  }

  /**
   * Deletes the object. `gone` when it was not there to delete (a parallel run, or a person, was first),
   * confirmed by the List as in find(). A retried DELETE that finds nothing means an earlier attempt went
   * through: `deleted`.
   */
  async delete(id: string): Promise<'deleted' | 'gone'> {
    const req: ApiRequest = { method: 'DELETE', path: `${this.base}/${id}` };
    return withRetries(this.connection.retry, async (attempt) => {
      try {
        await this.connection.send(req, deletedSchema);
        return 'deleted';
      } catch (error) {
        if (!(error instanceof CloudflareError && error.answered404)) throw error;
        if ((await this.list()).some((item) => item.id === id)) throw error;
        return attempt > 1 ? 'deleted' : 'gone';
      }
    });
  }

  /** Create, made safe to retry: see safeCreate. `existingIds` are the objects with this name before the run. */
  create(body: Body, existingIds: ReadonlySet<string>): Promise<T> {
    const { spec } = this;
    return safeCreate({
      operation: spec.create,
      noun: spec.noun,
      nouns: spec.nouns,
      name: body.name,
      severalHint: spec.severalHint,
      retry: this.connection.retry,
      post: () => this.once({ method: 'POST', path: this.base, body }, spec.schema),
      appeared: async () =>
        (await this.list()).filter((item) => spec.sameName(item.name, body.name) && !existingIds.has(item.id)),
    });
  }

  private retried<R extends T | T[]>(req: ApiRequest, schema: z.ZodType<R>): Promise<R> {
    return withRetries(this.connection.retry, () => this.once(req, schema));
  }

  /** One request; every object in the answer is shown to `received` before it goes anywhere else. */
  private async once<R extends T | T[]>(req: ApiRequest, schema: z.ZodType<R>): Promise<R> {
    const result = await this.connection.send(req, schema);
    for (const item of (Array.isArray(result) ? result : [result]) as T[]) this.spec.received?.(item);
    return result;
  }
}
