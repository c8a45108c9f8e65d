// Cloudflare's Secondary DNS peer endpoints, typed and validated (the requests themselves: collection.ts).
import { z } from 'zod';
import { Collection, type Connection } from './collection.js';

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

/** Create Peer takes only a name; the other fields need an Update. Peer names compare exactly. */
export class PeerApi extends Collection<Peer, PeerBody> {
  constructor(connection: Connection) {
    super(connection, {
      path: 'peers',
      schema: peerSchema,
      create: 'Create Peer',
      noun: 'peer',
      nouns: 'peers',
      sameName: (a, b) => a === b,
      severalHint: 'Keep one (set peer_id) and delete the others.',
    });
  }
}
