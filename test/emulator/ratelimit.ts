// Cloudflare's per-user request budget. Every answer says what is left (`Ratelimit`) and what the
// budget is (`Ratelimit-Policy`), in the IETF-draft structured-field form Cloudflare sends; once the
// budget is spent every request gets 429 until the window resets. Tests script the budget with set().
import { cfError, failure, type Reply, THROTTLED } from './envelope.ts';

export interface RateLimitSettings {
  /** Requests left in the current window. */
  remaining: number;
  /** Seconds until the current window ends; then `remaining` is back to `quota`. */
  resetSeconds: number;
  /** Requests per window from the next window on (and the q of Ratelimit-Policy). */
  quota?: number;
  /** Length of the windows after the current one, in seconds. */
  windowSeconds?: number;
}

/** Cloudflare's published limit: 1200 requests per 5 minutes per user. */
export const DEFAULT_QUOTA = 1200;
export const DEFAULT_WINDOW_SECONDS = 300;

export type Admission = { limited: false; headers: Record<string, string> } | { limited: true; reply: Reply };

export class RateLimiter {
  readonly #now: () => number;
  #quota = DEFAULT_QUOTA;
  #windowSeconds = DEFAULT_WINDOW_SECONDS;
  #remaining = DEFAULT_QUOTA;
  #resetAt: number;

  constructor(now: () => number) {
    this.#now = now;
    this.#resetAt = now() + DEFAULT_WINDOW_SECONDS * 1000;
  }

  /** Counts one request: the headers for its answer, or the 429 it gets instead. */
  admit(): Admission {
    const now = this.#now();
    if (now >= this.#resetAt) {
      this.#remaining = this.#quota;
      this.#resetAt = now + this.#windowSeconds * 1000;
    }
    // Whole seconds, rounded up, so a client that waits `t` finds the window reset.
    const seconds = Math.max(1, Math.ceil((this.#resetAt - now) / 1000));
    const policy = `"default";q=${this.#quota};w=${this.#windowSeconds}`;
    if (this.#remaining === 0) {
      const headers = { Ratelimit: `"default";r=0;t=${seconds}`, 'Ratelimit-Policy': policy };
      return {
        limited: true,
        reply: failure(429, cfError(THROTTLED.code, THROTTLED.message), { ...headers, 'Retry-After': String(seconds) }),
      };
    }
    this.#remaining -= 1;
    return {
      limited: false,
      headers: { Ratelimit: `"default";r=${this.#remaining};t=${seconds}`, 'Ratelimit-Policy': policy },
    };
  }

  set(settings: RateLimitSettings): void {
    const quota = settings.quota ?? this.#quota;
    const windowSeconds = settings.windowSeconds ?? this.#windowSeconds;
    for (const [name, value] of Object.entries({ ...settings, quota, windowSeconds })) {
      if (!Number.isInteger(value) || value < 0)
        throw new Error(`rateLimit ${name} must be an integer ≥ 0, got ${value}`);
    }
    if (quota < 1 || windowSeconds < 1) throw new Error('rateLimit quota and windowSeconds must be at least 1');
    this.#quota = quota;
    this.#windowSeconds = windowSeconds;
    this.#remaining = settings.remaining;
    this.#resetAt = this.#now() + settings.resetSeconds * 1000;
  }

  /** Back to Cloudflare's defaults, with a fresh window. */
  reset(): void {
    this.set({
      remaining: DEFAULT_QUOTA,
      resetSeconds: DEFAULT_WINDOW_SECONDS,
      quota: DEFAULT_QUOTA,
      windowSeconds: DEFAULT_WINDOW_SECONDS,
    });
  }
}
