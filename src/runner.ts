// The few runner commands the main step needs on its way to success: read an input, mask a value,
// print a line, set outputs, save state, append to the job summary.
//
// Why not @actions/core here: its entry point loads its HTTP client (undici) and process helpers at
// import, about 60 ms before the first request, on every run. These commands are plain environment
// reads, file appends and `::command::` lines, so the happy path does them directly; the toolkit is
// loaded where it pays for itself (a failed run, the post step). See README, "Performance".
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';

/** The input as the runner passes it (INPUT_<NAME>), trimmed; "" when not given. */
export function input(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

const masked = new Set<string>();

/** Asks the runner to print *** for this value from now on (once per value: every TSIG List repeats them). */
export function mask(value: string): void {
  if (masked.has(value)) return;
  masked.add(value);
  command('add-mask', value);
}

/** One log line. Line breaks inside it are flattened, so no value can start a workflow command. */
export function info(line: string): void {
  process.stdout.write(line.replace(/[\r\n]+/g, ' ') + EOL);
}

/** Step debug logging is on: the runner sets RUNNER_DEBUG=1 when a run is re-run with debug logging. */
export function stepDebugOn(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.RUNNER_DEBUG === '1' || env.ACTIONS_STEP_DEBUG === 'true';
}

/** A warning annotation: shown in the log and on the run's page. */
export function warning(line: string): void {
  command('warning', line);
}

/** A line the runner shows only with step debug logging on. */
export function debug(line: string): void {
  command('debug', line);
}

export function setOutputs(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) fileCommand('GITHUB_OUTPUT', name, value);
}

export function saveState(name: string, value: string): void {
  fileCommand('GITHUB_STATE', name, value);
}

/** The summary is a courtesy: a file that cannot be written is reported, never a failed step. */
export function appendSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    appendFileSync(file, markdown + EOL);
  } catch (error) {
    info(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Marks the step failed with an error annotation, through the toolkit (only failures pay for loading it). */
export async function fail(message: string): Promise<void> {
  const core = await import('@actions/core');
  core.setFailed(message);
}

function command(name: string, data: string): void {
  const escaped = data.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  process.stdout.write(`::${name}::${escaped}${EOL}`);
}

/** `name<<DELIMITER` blocks with a random delimiter, so no value can end the block early. */
function fileCommand(variable: 'GITHUB_OUTPUT' | 'GITHUB_STATE', name: string, value: string): void {
  const file = process.env[variable];
  if (!file) {
    info(`${variable} is not set (not on a runner?): ${name}=${value}`);
    return;
  }
  const delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`);
}
