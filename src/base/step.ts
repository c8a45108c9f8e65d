// The one shape every step has. A step is one resource (the peer, its TSIG key, its zones, the check of
// the peer's nameserver): it looks up what exists (reads only), decides (pure: a plan, or a refusal),
// previews (dry run) or applies the plan (writes, each recorded in the journal before it is sent), and
// undoes one journal entry. The orchestrator (converge.ts) runs the steps the inputs call for, in order,
// through this shape alone.
import type { Connection } from '../cloudflare/collection.js';
import type { Settings } from '../inputs.js';
import type { KeyOutcome, PeerOutcome, VerifyOutcome, ZonesOutcome } from '../outcome.js';
import type { Found as PeerFound, Plan as PeerPlan } from '../plan/peer.js';
import type { KeysFound, TsigPlan } from '../plan/tsig.js';
import type { VerifyFound, ZoneVerification } from '../plan/verify.js';
import type { ZoneFound, ZonePlan } from '../plan/zone.js';
import type { EntryHandler, Journal } from './journal.js';
import type { Progress } from './progress.js';

/** What each step reads, decides and reports, by step name. */
export interface Shapes {
  tsig: { found: KeysFound; plan: TsigPlan; outcome: KeyOutcome };
  peer: { found: PeerFound; plan: PeerPlan; outcome: PeerOutcome };
  zone: { found: ZoneFound[]; plan: ZonePlan[]; outcome: ZonesOutcome };
  verify: { found: VerifyFound; plan: ZoneVerification[]; outcome: VerifyOutcome };
}

export type StepName = keyof Shapes;

/**
 * What the run knows so far, shared by the steps: a step reads what the steps before it found, decided
 * and did (the peer links the key the key step made; the zones link the peer).
 */
export interface Board {
  found: { [N in StepName]?: Shapes[N]['found'] };
  plans: { [N in StepName]?: Shapes[N]['plan'] };
  outcomes: { [N in StepName]?: Shapes[N]['outcome'] };
}

/**
 * reveal: masks a secret from an answer before anything else is printed; log: one line for the log;
 * warn: a warning annotation.
 */
export interface RunnerIo {
  reveal: (secret: string) => void;
  log: (line: string) => void;
  warn: (line: string) => void;
}

/** What a step may use to read and write, and to say how far a long run is. */
export interface StepContext extends RunnerIo {
  settings: Settings;
  connection: Connection;
  journal: Journal;
  progress: Progress;
}

export interface Step<N extends StepName> {
  name: N;
  lookUp: (context: StepContext, board: Board) => Promise<Shapes[N]['found']>;
  /** Pure: from the settings and the board, the plan; a situation the user must resolve throws a PlanError. */
  decide: (settings: Settings, board: Board) => Shapes[N]['plan'];
  preview: (plan: Shapes[N]['plan'], board: Board) => Shapes[N]['outcome'];
  apply: (plan: Shapes[N]['plan'], context: StepContext, board: Board) => Promise<Shapes[N]['outcome']>;
  /** The journal entries this step writes, by kind. */
  entries: Record<string, EntryHandler>;
  /** Set on an outcome when the run must fail although what was done stays (a wait that timed out). */
  failureOf?: (outcome: Shapes[N]['outcome']) => string | undefined;
}

export type AnyStep = { [N in StepName]: Step<N> }[StepName];
