// Pacing before the rate limit, not after it. Cloudflare allows a user 1200 requests per 5 minutes,
// shared by every job and person using that credential, and answers the next one with a block of up to
// 5 minutes for all of them. Every answer says what is left (`Ratelimit: "default";r=12;t=40`), so when
// little is left the action spreads what is left evenly up to the reset: each request, however many
// are sent at once, takes its own slot of one schedule, and after the reset they go out at once.
import { type Deadline, Quota } from './quota.js';

export interface PacerOptions {
  sleep: (ms: number) => Promise<void>;
  log: (line: string) => void;
  now?: () => number;
  /** The run's shared quota waits; one of its own when not given. */
  quota?: Quota;
}

/** Below this share of the quota left, requests are spread over the rest of the window. */
const RESERVE_SHARE = 0.1;
const DEFAULT_QUOTA = 1200;

export class Pacer {
  readonly quota: Quota;
  /**
   * Requests that took a slot and whose answer has not come yet, by ticket (the order they took their
   * slots in). Those after the answered one had not reached Cloudflare when it counted: each will spend
   * one of what the answer says is left.
   */
  readonly #pending = new Set<number>();
  #tickets = 0;
  /** While pacing: when the window resets, how many more requests may start before then, the last slot given. */
  #pacing = false;
  #resetAt = 0;
  #free = 0;
  #lastSlot = 0;
  #reason = '';
  /**
   * How many requests Cloudflare counts for each one of ours: 1 when this run is alone, about 3 when two
   * other jobs use the credential as fast. Read from how fast `r` falls against how many requests we
   * send, so runs sharing a credential each plan for their share of what is left, not all of it.
   */
  #share = 1;
  /** The first answer of the current window that the share is measured from. */
  #base: { ticket: number; remaining: number; resetAt: number } | undefined;

  constructor(options: PacerOptions) {
    this.quota = options.quota ?? new Quota(options);
  }

  /**
   * Reads an answer's rate-limit headers, a 429's included; called with none for a request that got no
   * answer. `ticket` is what beforeRequest gave the request (without it, the oldest one under way).
   * Absent or unreadable headers change nothing but the requests under way.
   */
  observe(ratelimit: string | undefined, policy: string | undefined, ticket?: number): void {
    const answered = ticket ?? Math.min(...this.#pending);
    this.#pending.delete(answered);
    const left = parseParams(ratelimit);
    const remaining = left.r;
    const resetSeconds = left.t;
    if (remaining === undefined || resetSeconds === undefined) return;
    const limits = parseParams(policy);
    const quota = limits.q ?? DEFAULT_QUOTA;
    // Without a policy, the window announced last (300 s, Cloudflare's documented one, until then).
    const windowSeconds = limits.w ?? this.quota.windowMs() / 1000;
    if (limits.w !== undefined) this.quota.setWindowMs(limits.w * 1000);
    const now = this.quota.now();
    const resetAt = now + Math.min(resetSeconds, windowSeconds) * 1000;
    this.#measureShare(answered, remaining, resetAt);
    if (remaining >= quota * RESERVE_SHARE) {
      this.#pacing = false;
      return;
    }
    // The schedule is kept across answers: a new answer changes how much is left, not the slots given.
    if (!this.#pacing) this.#lastSlot = now;
    this.#pacing = true;
    this.#resetAt = resetAt;
    this.#free = Math.floor(remaining / this.#share) - [...this.#pending].filter((other) => other > answered).length;
    this.#reason =
      `${remaining} of ${quota} requests left for this credential, the window resets in ${resetSeconds} s ` +
      '(every job using this credential shares them)';
  }

  /**
   * How far `r` fell since the first answer of this window, against how many of our requests were sent in
   * between; measured once at least 8 were, so a burst of answers arriving together does not skew it.
   */
  #measureShare(ticket: number, remaining: number, resetAt: number): void {
    if (!Number.isFinite(ticket)) return;
    const base = this.#base;
    // Within a second or so of the same reset: the same window (t is rounded up to whole seconds).
    if (!base || remaining > base.remaining || Math.abs(resetAt - base.resetAt) >= 2_000) {
      this.#base = { ticket, remaining, resetAt };
      return;
    }
    const ours = ticket - base.ticket;
    if (ours >= 8) this.#share = Math.max(1, (base.remaining - remaining) / ours);
  }

  /**
   * Waits for this request's slot when the last answer said the quota is nearly spent: what is left is
   * spread evenly up to the reset, and a request beyond it waits for the reset itself. Gives the ticket
   * to hand to observe() with the answer.
   */
  async beforeRequest(deadline?: Deadline): Promise<number> {
    const now = this.quota.now();
    if (this.#pacing && now >= this.#resetAt) {
      // A fresh window: everything queued goes now; the next answer says how much of it is left.
      this.#pacing = false;
    }
    const spread = this.#pacing && this.#free > 0 && this.#lastSlot < this.#resetAt;
    const slot = !this.#pacing
      ? now
      : spread
        ? Math.max(now, this.#lastSlot + (this.#resetAt - this.#lastSlot) / (this.#free + 1))
        : this.#resetAt;
    const waitMs = Math.ceil(slot - now);
    if (deadline && waitMs > 0 && now + waitMs >= deadline.at) {
      // Never sent: it takes no ticket (the share counts only requests sent) and no slot.
      throw new Error(
        `Cloudflare rate limit nearly reached: ${this.#reason}; the request would wait ` +
          `${(waitMs / 1000).toFixed(1)} s, past ${deadline.what}, so it was not sent`,
      );
    }
    const ticket = ++this.#tickets;
    this.#pending.add(ticket);
    if (spread) {
      this.#free--;
      this.#lastSlot = slot;
    }
    if (waitMs > 0) {
      await this.quota.wait(
        waitMs,
        `Cloudflare rate limit nearly reached: ${this.#reason}; waiting ${(waitMs / 1000).toFixed(1)} s`,
      );
    }
    return ticket;
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
