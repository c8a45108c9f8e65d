// One run against Cloudflare, step by step (registry.ts: the key, the peer, its zones): every step looks
// up what exists, then every step decides, then the steps write. So a situation the user must resolve
// (several objects with one name, if_exists: fail, a zone that cannot take the peer) stops the run before
// anything changed. Objects are decided and written in the order they depend on each other, and for
// state: absent in the reverse order: the zones let go of the peer before it goes, the peer of its key.

import type { Journal } from '../base/journal.js';
import { Progress } from '../base/progress.js';
import type { Board, RunnerIo, Shapes, Step, StepContext, StepName } from '../base/step.js';
import type { Connection } from '../cloudflare/collection.js';
import type { Settings } from '../inputs.js';
import type { Outcomes, Report } from '../outcome.js';
import { stepsFor } from './registry.js';

export async function converge(
  settings: Settings,
  connection: Connection,
  journal: Journal,
  io: RunnerIo,
): Promise<Report> {
  // The orchestrator needs no step's own types: each value goes to, and comes from, the step's slot.
  const steps = (await stepsFor(settings)) as unknown as Step<StepName>[];
  const progress = new Progress({ log: io.log });
  const context: StepContext = { ...io, settings, connection, journal, progress };
  const board: Board = { found: {}, plans: {}, outcomes: {} };
  // The rate limit's waiting lines say how far the run is.
  const forget = connection.retry.quota?.progress(() => progress.brief() || undefined);
  try {
    return await run(steps, settings, context, board);
  } finally {
    progress.stop();
    forget?.();
  }
}

async function run(steps: Step<StepName>[], settings: Settings, context: StepContext, board: Board): Promise<Report> {
  // Removal goes the other way round: what uses an object decides and lets go of it first.
  const order = settings.state === 'absent' ? [...steps].reverse() : steps;
  for (const step of steps) await lookUp(step, context, board);
  for (const step of order) decide(step, settings, board);
  if (settings.dryRun) {
    for (const step of order) preview(step, board);
  } else {
    for (const step of order) await apply(step, context, board);
  }

  const failure = steps
    .map((step) => failureOf(step, board))
    .filter(Boolean)
    .join('\n');
  return { dryRun: settings.dryRun, outcomes: board.outcomes as Outcomes, failure: failure || undefined };
}

// Each phase through one generic function: the board holds every step's values under the step's name.
type Slot<N extends StepName, K extends keyof Shapes[N]> = Record<N, Shapes[N][K]>;

async function lookUp<N extends StepName>(step: Step<N>, context: StepContext, board: Board): Promise<void> {
  (board.found as Partial<Slot<N, 'found'>>)[step.name] = await step.lookUp(context, board);
}

function decide<N extends StepName>(step: Step<N>, settings: Settings, board: Board): void {
  (board.plans as Partial<Slot<N, 'plan'>>)[step.name] = step.decide(settings, board);
}

function planOf<N extends StepName>(step: Step<N>, board: Board): Shapes[N]['plan'] {
  return (board.plans as Slot<N, 'plan'>)[step.name];
}

function preview<N extends StepName>(step: Step<N>, board: Board): void {
  (board.outcomes as Partial<Slot<N, 'outcome'>>)[step.name] = step.preview(planOf(step, board), board);
}

async function apply<N extends StepName>(step: Step<N>, context: StepContext, board: Board): Promise<void> {
  (board.outcomes as Partial<Slot<N, 'outcome'>>)[step.name] = await step.apply(planOf(step, board), context, board);
}

function failureOf<N extends StepName>(step: Step<N>, board: Board): string | undefined {
  const outcome = (board.outcomes as Partial<Slot<N, 'outcome'>>)[step.name];
  return outcome === undefined ? undefined : step.failureOf?.(outcome);
}
