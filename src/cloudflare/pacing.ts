// Pacing before the rate limit, not after it. Cloudflare allows a user 1200 requests per 5 minutes,
// shared by every job and person using that credential, and answers the next one with a block of up to
// 5 minutes for all of them. Every answer says what is left (`Ratelimit: "default";r=12;t=40`), so when
// little is left the action spreads its next requests over the rest of the window instead of spending it.

export interface PacerOptions {
  sleep: (ms: number) => Promise<void>;
  log: (line: string) => void;
  now?: () => number;
}

/** Below this share of the quota left, requests are spread over the rest of the window. */
const RESERVE_SHARE = 0.1;
const DEFAULT_QUOTA = 1200;
const DEFAULT_WINDOW_SECONDS = 300;

export class Pacer {
  readonly #sleep: PacerOptions['sleep'];
  readonly #log: PacerOptions['log'];
  readonly #now: () => number;
  /** While pacing: the gap between two requests, the earliest start of the next one, and why. */
  #spreadMs = 0;
  #notBefore = 0;
  #reason = '';

  constructor(options: PacerOptions) {
    this.#sleep = options.sleep;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
  }

  /** Reads an answer's rate-limit headers; absent or unreadable headers change nothing. */
  observe(ratelimit: string | undefined, policy: string | undefined): void {
    const left = parseParams(ratelimit);
    const remaining = left.r;
    const resetSeconds = left.t;
    if (remaining === undefined || resetSeconds === undefined) return;
    const limits = parseParams(policy);
    const quota = limits.q ?? DEFAULT_QUOTA;
    const windowSeconds = limits.w ?? DEFAULT_WINDOW_SECONDS;
    if (remaining >= quota * RESERVE_SHARE) {
      this.#spreadMs = 0;
      this.#notBefore = 0;
      return;
    }
    // The remaining requests, and the reset itself, share what is left of the window evenly.
    this.#spreadMs = (Math.min(resetSeconds, windowSeconds) * 1000) / (remaining + 1);
    this.#notBefore = this.#now() + this.#spreadMs;
    this.#reason =
      `${remaining} of ${quota} requests left for this credential, the window resets in ${resetSeconds} s ` +
      '(every job using this credential shares them)';
  }

  /**
   * Waits, with a log line, when the last answer said the quota is nearly spent. Requests sent at once
   * (zones handled in parallel) each take the next slot, so they stay spread out too.
   */
  async beforeRequest(): Promise<void> {
    if (this.#spreadMs === 0) return;
    const now = this.#now();
    const start = Math.max(now, this.#notBefore);
    this.#notBefore = start + this.#spreadMs;
    const waitMs = Math.ceil(start - now);
    if (waitMs <= 0) return;
    this.#log(`Cloudflare rate limit nearly reached: ${this.#reason}; waiting ${(waitMs / 1000).toFixed(1)} s`);
    await this.#sleep(waitMs);
  }
}

/** The integer parameters of the first item of a structured header: `"default";r=50;t=30` gives {r: 50, t: 30}. */
export function parseParams(header: string | undefined): Record<string, number | undefined> {
  const params: Record<string, number | undefined> = {};
  const item = header?.split(',')[0] ?? '';
  for (const part of item.split(';').slice(1)) {
    const match = /^\s*([a-z]+)=(\d+)\s*$/.exec(part);
    if (match) params[match[1] as string] = Number(match[2]);
  }
  return params;
}
