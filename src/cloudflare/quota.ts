// Waiting for Cloudflare's rate-limit window, shared by the pacer (before a request) and the retries
// (after a 429). A quota wait can last minutes, so while anyone waits the run prints one line at least
// every 30 s, however many requests wait at once, with what the run has done so far (the caller's
// progress text), instead of looking hung.

export interface QuotaOptions {
  sleep: (ms: number) => Promise<void>;
  log: (line: string) => void;
  now?: () => number;
}

/** A time (the quota's clock) past which no wait may run, and what it is, for the message. */
export interface Deadline {
  at: number;
  /** "the end of wait_for_transfer" */
  what: string;
}

/** Cloudflare's documented window: 1200 requests per 5 minutes per user. */
const DEFAULT_WINDOW_MS = 300_000;
/** While waiting, a line at least this often. */
const HEARTBEAT_MS = 30_000;

export class Quota {
  readonly #sleep: QuotaOptions['sleep'];
  readonly #log: QuotaOptions['log'];
  readonly #now: () => number;
  #windowMs = DEFAULT_WINDOW_MS;
  #progress: (() => string | undefined) | undefined;
  /** When each wait under way ends, so a line says how long the longest one still has. */
  readonly #ends = new Set<{ end: number }>();
  #lastLineAt = Number.NEGATIVE_INFINITY;
  #served = 0;

  constructor(options: QuotaOptions) {
    this.#sleep = options.sleep;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
  }

  now(): number {
    return this.#now();
  }

  /** The quota window Cloudflare announced last (`Ratelimit-Policy: …;w=300`); 300 s until one is seen. */
  windowMs(): number {
    return this.#windowMs;
  }

  setWindowMs(ms: number): void {
    if (ms > 0) this.#windowMs = ms;
  }

  /**
   * How many of the run's requests Cloudflare has let through (answered with anything but a 429). A
   * request that keeps getting 429s while this grows is sharing the quota, not shut out of it.
   */
  served(): number {
    return this.#served;
  }

  markServed(): void {
    this.#served++;
  }

  /**
   * What the run has done so far, appended to every waiting line ("212 of 300 zones linked"). The caller
   * keeps the text current; the returned function removes it again.
   */
  progress(text: () => string | undefined): () => void {
    this.#progress = text;
    return () => {
      if (this.#progress === text) this.#progress = undefined;
    };
  }

  /**
   * Sleeps `ms`. `line` explains the wait; it is printed unless another waiting line was printed less
   * than 30 s ago (requests waiting side by side say it once). Then, until the wait is over, a line at
   * least every 30 s: "rate limit: waiting 140 s more, 212 of 300 zones linked".
   */
  async wait(ms: number, line: string): Promise<void> {
    if (ms <= 0) return;
    const mine = { end: this.#now() + ms };
    this.#ends.add(mine);
    try {
      if (this.#now() - this.#lastLineAt >= HEARTBEAT_MS) this.#say(line);
      // Counted down by what was slept, not read from the clock, so a sleep that does not move a clock
      // (a test's) still ends the wait.
      let left = ms;
      while (left > 0) {
        const now = this.#now();
        if (now - this.#lastLineAt >= HEARTBEAT_MS) this.#say(this.#heartbeat(now));
        // Wake when the next line is due, so some waiter prints it on time.
        const chunk = Math.min(left, Math.max(1, this.#lastLineAt + HEARTBEAT_MS - this.#now()));
        await this.#sleep(chunk);
        left -= chunk;
      }
    } finally {
      this.#ends.delete(mine);
    }
  }

  #say(line: string): void {
    const progress = this.#progress?.();
    this.#log(progress ? `${line}, ${progress}` : line);
    this.#lastLineAt = this.#now();
  }

  #heartbeat(now: number): string {
    const longest = Math.max(...[...this.#ends].map((wait) => wait.end));
    return `rate limit: waiting ${Math.max(1, Math.ceil((longest - now) / 1000))} s more`;
  }
}
