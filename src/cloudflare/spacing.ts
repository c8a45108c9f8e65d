// Cloudflare allows one IP address 200 requests per second. However fast the answers come (zones handled
// side by side, loopback in tests), request starts are held so that no second holds more than that: a
// request starts at once while the last second saw fewer than 200 starts, else when the oldest of them
// leaves it.

/** Cloudflare's documented limit per IP address. */
export const MAX_PER_SECOND = 200;

export class StartSpacing {
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  /** The last MAX_PER_SECOND start times (taken or reserved), oldest first. */
  readonly #starts: number[] = [];

  constructor(options: { sleep: (ms: number) => Promise<void>; now?: () => number }) {
    this.#sleep = options.sleep;
    this.#now = options.now ?? Date.now;
  }

  /** Resolves when the next request may start; each call reserves its start time at once. */
  async take(): Promise<void> {
    const now = this.#now();
    const last = this.#starts.at(-1) ?? now;
    const oldest = this.#starts.length < MAX_PER_SECOND ? undefined : (this.#starts[0] as number);
    const start = Math.max(now, last, oldest === undefined ? now : oldest + 1000);
    this.#starts.push(start);
    if (this.#starts.length > MAX_PER_SECOND) this.#starts.shift();
    if (start > now) await this.#sleep(start - now);
  }
}
