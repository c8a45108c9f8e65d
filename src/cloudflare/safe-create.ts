// Create for objects whose POST is not idempotent and whose names are not unique (peers, TSIG keys):
// a second POST after a lost answer makes a duplicate, so a POST is never blindly sent again.

import { CloudflareError, describeError } from './errors.js';
import { type RetryPolicy, withRetries } from './retry.js';

export interface CreateSpec<T extends { id: string }> {
  /** The operation, for messages: "Create Peer". */
  operation: string;
  /** What is created, singular and plural: "peer", "peers". */
  noun: string;
  nouns: string;
  name: string;
  /** One POST, not retried. */
  post: () => Promise<T>;
  /** Lists again and returns the objects with this name that were not there before the run looked. */
  appeared: () => Promise<T[]>;
  /** What the user should do when several appeared: "Keep one (set peer_id) and delete the others." */
  severalHint: string;
  retry: RetryPolicy;
}

/**
 * After an ambiguous failure (timeout, reset, 5xx, garbled answer) list again and adopt the one object
 * with this name that appeared; only when none did is the POST sent again. When several appeared, a
 * parallel run created one of them and no one can tell which is ours: stop and say so.
 */
export async function safeCreate<T extends { id: string }>(spec: CreateSpec<T>): Promise<T> {
  const { operation, noun, nouns, name, retry } = spec;
  let maybeCreated = false;
  const adoptNew = async (): Promise<T | undefined> => {
    const appeared = await spec.appeared();
    if (appeared.length > 1) {
      throw new Error(
        `${operation}'s answer was lost, and since then ${appeared.length} ${nouns} named "${name}" appeared ` +
          `(${appeared.map((item) => item.id).join(', ')}): one is this run's, the others a parallel run's, and ` +
          `nothing tells them apart. ${spec.severalHint}`,
      );
    }
    const [item] = appeared;
    if (item) retry.log(`The earlier ${operation} went through after all: adopting ${noun} ${item.id}`);
    return item;
  };
  try {
    return await withRetries(retry, async () => {
      const adopted = maybeCreated ? await adoptNew() : undefined;
      if (adopted) return adopted;
      try {
        return await spec.post();
      } catch (error) {
        if (error instanceof CloudflareError && error.ambiguous) maybeCreated = true;
        throw error;
      }
    });
  } catch (error) {
    // Only a failed request earns another look; a verdict of adoptNew stands as it is.
    if (!maybeCreated || !(error instanceof CloudflareError)) throw error;
    // Out of attempts: one last look, so an object created by a lost answer is never left behind.
    const adopted = await adoptNew().catch((listError: unknown) => {
      throw new Error(
        `${describeError(error)}\nThat ${operation} may have gone through, and listing the ${nouns} to check failed ` +
          `too, so look for a ${noun} named "${name}" on the account.\n${describeError(listError)}`,
      );
    });
    if (adopted) return adopted;
    throw error;
  }
}
