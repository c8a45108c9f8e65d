// Progress on long runs: a step counts its work by stage (zones looked up, linked, forced, transferred)
// and, when there is much of it, a line says where the run is at least every 10 s, so a run of hundreds
// of zones (waiting out the rate limit included) never looks hung.

/** Below this many items a run is short: its own log lines say enough. */
export const PROGRESS_FROM = 21;
const EVERY_MS = 10_000;

export interface ProgressOptions {
  log: (line: string) => void;
  everyMs?: number;
}

export class Counter {
  readonly noun: string;
  readonly total: number;
  readonly #stages: readonly string[];
  readonly #counts = new Map<string, number>();

  constructor(noun: string, total: number, stages: readonly string[]) {
    this.noun = noun;
    this.total = total;
    this.#stages = stages;
  }

  add(stage: string, count = 1): void {
    this.#counts.set(stage, (this.#counts.get(stage) ?? 0) + count);
  }

  count(stage: string): number {
    return this.#counts.get(stage) ?? 0;
  }

  /** "Zones: 300 looked up, 212 linked, 0 forced, 0 transferred (of 300)" */
  line(): string {
    const counts = this.#stages.map((stage) => `${this.count(stage)} ${stage}`).join(', ');
    return `${this.noun[0]?.toUpperCase()}${this.noun.slice(1)}: ${counts} (of ${this.total})`;
  }

  /** The furthest stage reached, for the rate limit's waiting lines: "212 of 300 zones linked". */
  brief(): string | undefined {
    const stage = [...this.#stages].reverse().find((each) => this.count(each) > 0);
    return stage && `${this.count(stage)} of ${this.total} ${this.noun} ${stage}`;
  }
}

export class Progress {
  readonly #log: (line: string) => void;
  readonly #everyMs: number;
  readonly #counters: Counter[] = [];
  readonly #byNoun = new Map<string, Counter>();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: ProgressOptions) {
    this.#log = options.log;
    this.#everyMs = options.everyMs ?? EVERY_MS;
  }

  /**
   * The counter of this noun (the same one for every phase of the run); its line is printed every 10 s
   * while the run lasts, when it counts PROGRESS_FROM items or more.
   */
  counter(noun: string, total: number, stages: readonly string[]): Counter {
    const known = this.#byNoun.get(noun);
    if (known) return known;
    const counter = new Counter(noun, total, stages);
    this.#byNoun.set(noun, counter);
    if (total < PROGRESS_FROM) return counter;
    this.#counters.push(counter);
    // unref: the timer never keeps the step alive.
    this.#timer ??= setInterval(() => this.#print(), this.#everyMs).unref();
    return counter;
  }

  /** The furthest stage of the long counters, for other waiting lines. */
  brief(): string | undefined {
    return this.#counters
      .map((counter) => counter.brief())
      .filter(Boolean)
      .join('; ');
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #print(): void {
    for (const counter of this.#counters) this.#log(counter.line());
  }
}
