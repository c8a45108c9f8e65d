// Cloudflare's per-user request quota: N requests per W seconds per credential, shared by every client
// (job, person) that uses that credential. Every answer says what is left (`Ratelimit`) and what the quota
// is (`Ratelimit-Policy`), in the IETF-draft structured-field form Cloudflare sends; once the quota is spent
// every request with that credential gets 429 (code 971) with Retry-After until its window ends. Tests
// script the current window with set(), and can run Cloudflare's 1200-per-300 s shape faster with a time
// scale: at timeScale 10 a 300 s window lasts 30 s, and the headers say so (w=30): the quota is
// Cloudflare's, the clock is scaled down.
import { cfError, failure, type Reply, THROTTLED } from './envelope.ts';

export interface RateLimitSettings {
  /** Requests left in the current window (of every credential); the full quota when not given. */
  remaining?: number;
  /** Seconds (on Cloudflare's clock) until the current window ends; a whole window when not given. */
  resetSeconds?: number;
  /** Requests per window (the q of Ratelimit-Policy). */
  quota?: number;
  /** Length of a window in seconds, on Cloudflare's clock. */
  windowSeconds?: number;
  /** How many times faster than Cloudflare's clock the windows pass; the scaled window must be whole seconds. */
  timeScale?: number;
}

/** Cloudflare's published limit: 1200 requests per 5 minutes per user. */
export const DEFAULT_QUOTA = 1200;
export const DEFAULT_WINDOW_SECONDS = 300;

export type Admission = { limited: false; headers: Record<string, string> } | { limited: true; reply: Reply };

interface Window {
  remaining: number;
  resetAt: number;
}

export class RateLimiter {
  readonly #now: () => number;
  #quota = DEFAULT_QUOTA;
  #windowSeconds = DEFAULT_WINDOW_SECONDS;
  #timeScale = 1;
  /** The window on the emulator's (scaled) clock. */
  #windowMs = DEFAULT_WINDOW_SECONDS * 1000;
  /** The window set() scripted, which every credential starts in until it ends. */
  #scripted: Window;
  readonly #windows = new Map<string, Window>();

  constructor(now: () => number) {
    this.#now = now;
    this.#scripted = { remaining: DEFAULT_QUOTA, resetAt: now() + this.#windowMs };
  }

  /** Counts one request made with `credential`: the headers for its answer, or the 429 it gets instead. */
  admit(credential: string): Admission {
    const now = this.#now();
    let window = this.#windows.get(credential);
    if (!window) {
      window = now < this.#scripted.resetAt ? { ...this.#scripted } : { remaining: this.#quota, resetAt: now };
      this.#windows.set(credential, window);
    }
    if (now >= window.resetAt) {
      window.remaining = this.#quota;
      window.resetAt = now + this.#windowMs;
    }
    // Whole seconds, rounded up, so a client that waits `t` finds the window reset.
    const seconds = Math.max(1, Math.ceil((window.resetAt - now) / 1000));
    const policy = `"default";q=${this.#quota};w=${this.#windowMs / 1000}`;
    if (window.remaining === 0) {
      const headers = { Ratelimit: `"default";r=0;t=${seconds}`, 'Ratelimit-Policy': policy };
      return {
        limited: true,
        reply: failure(429, cfError(THROTTLED.code, THROTTLED.message), { ...headers, 'Retry-After': String(seconds) }),
      };
    }
    window.remaining -= 1;
    return {
      limited: false,
      headers: { Ratelimit: `"default";r=${window.remaining};t=${seconds}`, 'Ratelimit-Policy': policy },
    };
  }

  set(settings: RateLimitSettings): void {
    const quota = settings.quota ?? this.#quota;
    const timeScale = settings.timeScale ?? this.#timeScale;
    const windowSeconds = settings.windowSeconds ?? this.#windowSeconds;
    const remaining = settings.remaining ?? quota;
    const resetSeconds = settings.resetSeconds ?? windowSeconds;
    for (const [name, value] of Object.entries({ remaining, resetSeconds, quota, windowSeconds })) {
      if (!Number.isInteger(value) || value < 0)
        throw new Error(`rateLimit ${name} must be an integer ≥ 0, got ${value}`);
    }
    if (quota < 1 || windowSeconds < 1) throw new Error('rateLimit quota and windowSeconds must be at least 1');
    if (!(timeScale > 0) || !Number.isInteger(windowSeconds / timeScale)) {
      throw new Error(`rateLimit timeScale ${timeScale} must divide windowSeconds ${windowSeconds} into whole seconds`);
    }
    this.#quota = quota;
    this.#windowSeconds = windowSeconds;
    this.#timeScale = timeScale;
    this.#windowMs = (windowSeconds * 1000) / timeScale;
    this.#scripted = { remaining, resetAt: this.#now() + (resetSeconds * 1000) / timeScale };
    this.#windows.clear();
  }

  /** Back to Cloudflare's defaults, with a fresh window. */
  reset(): void {
    this.set({ quota: DEFAULT_QUOTA, windowSeconds: DEFAULT_WINDOW_SECONDS, timeScale: 1 });
  }
}
