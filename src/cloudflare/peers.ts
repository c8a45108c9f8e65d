// Cloudflare's Secondary DNS peer endpoints, typed and validated, each retried in the way that is
// safe for it: GET, PUT and DELETE may simply be repeated; POST may not (see create).
import { z } from 'zod';
import { type RetryPolicy, withRetries } from '../retry.js';
import { CloudflareError, describeError } from './errors.js';
import type { ApiRequest, Send } from './transport.js';

export const peerSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  ip: z.string().nullish(),
  port: z.number().nullish(),
  ixfr_enable: z.boolean().nullish(),
  tsig_id: z.string().nullish(),
});

export type Peer = z.infer<typeof peerSchema>;

/** The body of Update Peer: the full desired object (omitted fields may be cleared). */
export interface PeerBody {
  name: string;
  ip?: string;
  port?: number;
  ixfr_enable?: boolean;
  tsig_id?: string;
}

const deletedSchema = z.looseObject({ id: z.string() });

export class PeersApi {
  private readonly base: string;
  private readonly send: Send;
  private readonly retry: RetryPolicy;

  constructor(send: Send, retry: RetryPolicy, accountId: string) {
    this.send = send;
    this.retry = retry;
    this.base = `/accounts/${accountId}/secondary_dns/peers`;
  }

  list(): Promise<Peer[]> {
    return this.safe({ method: 'GET', path: this.base }, z.array(peerSchema));
  }

  get(peerId: string): Promise<Peer> {
    return this.safe({ method: 'GET', path: `${this.base}/${peerId}` }, peerSchema);
  }

  update(peerId: string, body: PeerBody): Promise<Peer> {
    return this.safe({ method: 'PUT', path: `${this.base}/${peerId}`, body }, peerSchema);
  }

  /**
   * The peer with this id, or undefined when it is gone. A 404 alone does not prove that (a wrong
   * account answers 404 too, and Cloudflare documents no code for an unknown peer): the account's List
   * decides. A peer in the List is there, whatever Get said; a List that fails says the account is wrong.
   */
  async find(peerId: string): Promise<Peer | undefined> {
    try {
      return await this.get(peerId);
    } catch (error) {
      if (!(error instanceof CloudflareError && error.answered404)) throw error;
      return (await this.list()).find((peer) => peer.id === peerId);
    }
  }

  /**
   * Deletes the peer. `gone` when it was not there to delete (a parallel run, or a person, was first),
   * confirmed by the List as in find(). A retried DELETE that finds nothing means an earlier attempt went
   * through: `deleted`.
   */
  async delete(peerId: string): Promise<'deleted' | 'gone'> {
    const req: ApiRequest = { method: 'DELETE', path: `${this.base}/${peerId}` };
    return withRetries(this.retry, async (attempt) => {
      try {
        await this.send(req, deletedSchema);
        return 'deleted';
      } catch (error) {
        if (!(error instanceof CloudflareError && error.answered404)) throw error;
        if ((await this.list()).some((peer) => peer.id === peerId)) throw error;
        return attempt > 1 ? 'deleted' : 'gone';
      }
    });
  }

  /**
   * Create Peer, made safe to retry. POST is not idempotent and names are not unique, so after an
   * ambiguous failure (timeout, reset, 5xx, garbled answer) we list again and adopt the peer with this
   * name that was not in `existingIds`; only when none appeared is the POST sent again. When several
   * appeared, a parallel run created one of them and no one can tell which is ours: stop and say so.
   */
  async create(name: string, existingIds: ReadonlySet<string>): Promise<Peer> {
    const req: ApiRequest = { method: 'POST', path: this.base, body: { name } };
    let maybeCreated = false;
    const adoptNew = async (): Promise<Peer | undefined> => {
      const appeared = (await this.list()).filter((p) => p.name === name && !existingIds.has(p.id));
      if (appeared.length > 1) {
        throw new Error(
          `Create Peer's answer was lost, and since then ${appeared.length} peers named "${name}" appeared ` +
            `(${appeared.map((p) => p.id).join(', ')}): one is this run's, the others a parallel run's, and ` +
            'nothing tells them apart. Keep one (set peer_id) and delete the others.',
        );
      }
      const [peer] = appeared;
      if (peer) this.retry.log(`The earlier Create Peer went through after all: adopting peer ${peer.id}`);
      return peer;
    };
    try {
      return await withRetries(this.retry, async () => {
        const adopted = maybeCreated ? await adoptNew() : undefined;
        if (adopted) return adopted;
        try {
          return await this.send(req, peerSchema);
        } catch (error) {
          if (error instanceof CloudflareError && error.ambiguous) maybeCreated = true;
          throw error;
        }
      });
    } catch (error) {
      // Only a failed request earns another look; a verdict of adoptNew stands as it is.
      if (!maybeCreated || !(error instanceof CloudflareError)) throw error;
      // Out of attempts: one last look, so a peer created by a lost answer is never left behind.
      const adopted = await adoptNew().catch((listError: unknown) => {
        throw new Error(
          `${describeError(error)}\nThat Create Peer may have gone through, and listing the peers to check failed ` +
            `too, so look for a peer named "${name}" on the account.\n${describeError(listError)}`,
        );
      });
      if (adopted) return adopted;
      throw error;
    }
  }

  private safe<T>(req: ApiRequest, schema: z.ZodType<T>): Promise<T> {
    return withRetries(this.retry, () => this.send(req, schema));
  }
}
