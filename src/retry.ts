// The only place that knows about retrying: capped exponential backoff with full jitter,
// Retry-After honoured, a wait budget, and one log line per retry.
import { CloudflareError, shortReason } from './cloudflare/errors.js';

export interface RetryPolicy {
  maxAttempts: number;
  /** Total time all the waits of one call may add up to. */
  budgetMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1); injected so tests are deterministic. */
  random: () => number;
  log: (line: string) => void;
}

export const RETRY_DEFAULTS = {
  budgetMs: 120_000,
  baseDelayMs: 1_000,
  maxDelayMs: 20_000,
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** Runs `attempt` until it succeeds, fails for good, or attempts or budget run out. */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: (number: number) => Promise<T>,
  canRetry: (error: CloudflareError) => boolean = (error) => error.transient,
): Promise<T> {
  let waitedMs = 0;
  for (let number = 1; ; number++) {
    try {
      return await attempt(number);
    } catch (error) {
      if (!(error instanceof CloudflareError) || !canRetry(error) || number >= policy.maxAttempts) throw error;
      const waitMs = delayBefore(number + 1, error, policy);
      const leftMs = policy.budgetMs - waitedMs;
      if (waitMs > leftMs) {
        throw new CloudflareError(
          error.kind,
          error.request,
          `${error.message}; ${error.retryAfterMs === undefined ? 'the next retry would wait' : 'Cloudflare asks to wait'} ` +
            `${seconds(waitMs)}, more than the ${seconds(leftMs)} left of this request's retry budget, so the action ` +
            'stops now: re-run the job later, or run fewer jobs in parallel',
          { status: error.status, errors: error.errors, ray: error.ray },
        );
      }
      policy.log(
        `Cloudflare ${error.request.method} ${error.request.path}: ${shortReason(error)}; ` +
          `waiting ${seconds(waitMs)} before attempt ${number + 1} of ${policy.maxAttempts}`,
      );
      await policy.sleep(waitMs);
      waitedMs += waitMs;
    }
  }
}

/** After a 429, Cloudflare blocks the user for minutes if the limit is hit again: never retry sooner than this. */
export const MIN_WAIT_AFTER_429_MS = 1_000;

/**
 * Full jitter: uniform in [0, min(cap, base * 2^(retry-1))]; Retry-After wins when it is given.
 * A 429 without Retry-After waits at least MIN_WAIT_AFTER_429_MS.
 */
export function delayBefore(attemptNumber: number, error: CloudflareError, policy: RetryPolicy): number {
  if (error.retryAfterMs !== undefined) return error.retryAfterMs;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNumber - 2));
  const jitter = Math.round(policy.random() * ceiling);
  return error.status === 429 ? Math.max(MIN_WAIT_AFTER_429_MS, jitter) : jitter;
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
