// Cloudflare's Secondary DNS TSIG endpoints, typed and validated (the requests themselves: collection.ts).
// Get and List answer with every key's secret in plain text, so each answer's secrets are handed to
// `reveal` (the runner's mask) before anything else can happen with them.
import { z } from 'zod';
import { sameName } from '../names.js';
import { Collection, type Connection } from './collection.js';

export const tsigSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  algo: z.string(),
  secret: z.string(),
});

export type Tsig = z.infer<typeof tsigSchema>;

/** Create and Update TSIG take all three fields. */
export interface TsigBody {
  name: string;
  algo: string;
  secret: string;
}

export class TsigApi extends Collection<Tsig, TsigBody> {
  constructor(connection: Connection, reveal: (secret: string) => void) {
    super(connection, {
      path: 'tsigs',
      schema: tsigSchema,
      create: 'Create TSIG',
      noun: 'TSIG key',
      nouns: 'TSIG keys',
      sameName,
      severalHint: 'Keep one, delete the others, and run again.',
      received: (key) => {
        if (key.secret) reveal(key.secret);
      },
    });
  }
}
