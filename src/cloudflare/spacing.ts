// Cloudflare allows one IP address 200 requests per second. However fast the answers come (zones handled
// side by side, loopback in tests), request starts are spaced so that no second holds more than that.

/** Cloudflare's documented limit per IP address. */
export const MAX_PER_SECOND = 200;

export class StartSpacing {
  readonly #gapMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  #next = 0;

  constructor(options: { perSecond?: number; sleep: (ms: number) => Promise<void>; now?: () => number }) {
    this.#gapMs = 1000 / (options.perSecond ?? MAX_PER_SECOND);
    this.#sleep = options.sleep;
    this.#now = options.now ?? Date.now;
  }

  /** Resolves when the next request may start: each start takes the next slot, one gap after the last. */
  async take(): Promise<void> {
    const now = this.#now();
    const start = Math.max(now, this.#next);
    this.#next = start + this.#gapMs;
    if (start > now) await this.#sleep(start - now);
  }
}
