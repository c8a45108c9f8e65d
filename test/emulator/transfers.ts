// When zone transfers complete: after a delay on a real timer, or never (to test a wait that times out). A
// real transfer (from a loopback peer) runs on after its timer and counts as pending until it ends. What a
// completed transfer changes is the zone store's business.

export interface TransferSettings {
  /** Milliseconds from a link, enable or force until the transfer completes. */
  delayMs: number;
  /** Transfers never complete: soa_serial and the transfer times stay where they are. */
  never: boolean;
}

export const DEFAULT_TRANSFERS: TransferSettings = { delayMs: 50, never: false };

export class TransferTimers {
  #settings: TransferSettings = { ...DEFAULT_TRANSFERS };
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #running = new Set<Promise<void>>();

  /** Changes the settings for transfers started from now on; pending ones keep theirs. */
  configure(settings: Partial<TransferSettings>): TransferSettings {
    const { delayMs } = settings;
    if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0)) {
      throw new Error(`transfer delayMs must be a non-negative number, got ${delayMs}`);
    }
    this.#settings = { ...this.#settings, ...settings };
    return { ...this.#settings };
  }

  start(complete: () => void | Promise<void>): void {
    if (this.#settings.never) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      const running = Promise.resolve(complete()).finally(() => this.#running.delete(running));
      this.#running.add(running);
    }, this.#settings.delayMs);
    this.#timers.add(timer);
  }

  get pending(): number {
    return this.#timers.size + this.#running.size;
  }

  /** Resolves when the transfers already running (real ones, over TCP) have ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#running]);
  }

  /** Drops pending transfers, so a reset or closed emulator leaves no timer behind. */
  cancel(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  reset(): void {
    this.cancel();
    this.#settings = { ...DEFAULT_TRANSFERS };
  }
}
