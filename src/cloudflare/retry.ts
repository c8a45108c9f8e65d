// The only place that knows about retrying: capped exponential backoff with full jitter,
// Retry-After honoured, a wait budget, and one log line per retry. A 429 is different: Cloudflare
// blocks the whole credential until its quota window ends, so that wait is sat out (with progress
// lines), whatever the attempts and the budget say, as long as it fits in one window.
import { CloudflareError, shortReason } from './errors.js';
import { type Deadline, Quota } from './quota.js';

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
  /**
   * The run's shared quota waits (the pacer's too): the window Cloudflare announced, the progress text,
   * one line every 30 s however many requests wait. Without it each call waits on its own, for a
   * 300 s window.
   */
  quota?: Quota;
  /**
   * No wait (a backoff or a 429's) starts when it would end past it: the call fails at once instead, saying
   * what the deadline is ("the end of wait_for_transfer"). Clients that pass it on with each request
   * (ZoneApi's configuration reads and updates: the wait's polls and re-adds) stop the pacing's wait too.
   */
  deadline?: Deadline;
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
  // This call's 429 waits since any request of the run got through: a whole window of them means the
  // quota stays spent for the run (someone else takes all of it). While other requests of the run get
  // through, the run is sharing the window with other jobs and makes progress, so this call waits on:
  // its retry lands seconds after a reset (Retry-After is whole seconds) and may lose that window too.
  let quotaWaitedMs = 0;
  const quota = policy.quota ?? new Quota({ sleep: policy.sleep, log: policy.log });
  let servedBefore = quota.served();
  for (let number = 1; ; ) {
    try {
      const result = await attempt(number);
      quota.markServed();
      return result;
    } catch (error) {
      if (error instanceof CloudflareError && error.status !== undefined && error.status !== 429) quota.markServed();
      if (!(error instanceof CloudflareError) || !canRetry(error)) throw error;
      if (error.status === 429 && error.retryAfterMs !== undefined) {
        if (quota.served() !== servedBefore) quotaWaitedMs = 0;
        servedBefore = quota.served();
        checkDeadline(policy, quota, error, error.retryAfterMs);
        // Not processed, so not an attempt: the same number is tried again.
        quotaWaitedMs += await waitOutQuota(error, error.retryAfterMs, quotaWaitedMs, quota);
        continue;
      }
      quotaWaitedMs = 0;
      if (number >= policy.maxAttempts) throw error;
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
      checkDeadline(policy, quota, error, waitMs);
      policy.log(
        `Cloudflare ${error.request.method} ${error.request.path}: ${shortReason(error)}; ` +
          `waiting ${seconds(waitMs)} before attempt ${number + 1} of ${policy.maxAttempts}`,
      );
      await policy.sleep(waitMs);
      waitedMs += waitMs;
      number++;
    }
  }
}

/** Fails the call, briefly, when a wait of `waitMs` would end past the policy's deadline. */
function checkDeadline(policy: RetryPolicy, quota: Quota, error: CloudflareError, waitMs: number): void {
  const { deadline } = policy;
  if (!deadline || quota.now() + waitMs < deadline.at) return;
  throw restated(
    error,
    `${error.message}; a retry would wait ${seconds(waitMs)}, past ${deadline.what}, so it was not tried`,
  );
}

/** The same failure in other words: every detail of Cloudflare's answer kept. */
function restated(error: CloudflareError, message: string): CloudflareError {
  const { status, errors, ray, retryAfterMs, notProcessed, permanent } = error;
  return new CloudflareError(error.kind, error.request, message, {
    status,
    errors,
    ray,
    retryAfterMs,
    notProcessed,
    permanent,
  });
}

/**
 * Sits out a 429's Retry-After when it fits in one quota window; fails, briefly, when it does not, or
 * when a whole window of waiting has already gone by with nothing of the run let through and the quota
 * is still spent (another job or person keeps spending it). Returns the time waited.
 */
async function waitOutQuota(error: CloudflareError, waitMs: number, alreadyMs: number, quota: Quota): Promise<number> {
  const windowMs = quota.windowMs();
  // A 429 was not processed (the transport says so), and the restated failure keeps that.
  const fail = (why: string) => restated(error, `Cloudflare's rate limit for this credential: ${why}`);
  if (waitMs > windowMs) {
    throw fail(
      `it asks to wait ${seconds(waitMs)}, longer than its ${seconds(windowMs)} window, so the action stops now; ` +
        're-run the job later',
    );
  }
  if (alreadyMs >= windowMs) {
    throw fail(
      `the quota was still spent after waiting ${seconds(alreadyMs)} (a whole window, in which none of this ` +
        "run's requests got through): other jobs or people " +
        'are using the same credential; re-run later, or run fewer jobs with it at once',
    );
  }
  await quota.wait(
    waitMs,
    `Cloudflare ${error.request.method} ${error.request.path}: ${shortReason(error)}; ` +
      `waiting ${seconds(waitMs)} for the rate-limit window to reset (not counted as an attempt)`,
  );
  return waitMs;
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
