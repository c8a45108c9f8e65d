// Independent work (one zone each) runs side by side, a few at a time: fast, and gentle on the rate limit.
import { describeError } from './cloudflare/errors.js';
import { DetailedError, shortList } from './short-list.js';

/** Like Promise.allSettled over items.map(fn), with at most `limit` calls in flight; results in item order. */
export async function settleAll<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await fn(items[index] as T) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The values of settled work, or one error naming every item that failed ("- zone a.example: why"): the
 * message lists at most 10, its detail (for the job summary) all of them.
 */
export function valuesOrFailure<T>(results: PromiseSettledResult<T>[], labels: string[], what: string): T[] {
  const failed = results.flatMap((result, index) =>
    result.status === 'rejected' ? [`- ${labels[index]}: ${describeError(result.reason)}`] : [],
  );
  if (failed.length > 0) {
    throw new DetailedError(`${what}:\n${shortList(failed, '\n')}`, `${what}:\n${failed.join('\n')}`);
  }
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}
