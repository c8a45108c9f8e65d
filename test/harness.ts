// Runs the bundled action the way the GitHub runner does: a child process on Node 24 with INPUT_*
// variables and GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files, then parses those files.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(import.meta.dirname, '..');
export const MAIN = join(ROOT, 'dist/index.js');
export const POST = join(ROOT, 'dist/post/index.js');
/** Preloaded in every step: a connection beyond loopback is refused and reported on stderr. */
export const LOOPBACK_GUARD = pathToFileURL(join(ROOT, 'test/guard/loopback-only.mjs')).href;

/** The step's environment for a runner whose clock is `seconds` off (test/guard/clock-skew.mjs). */
export function clockSkew(seconds: number): Record<string, string> {
  const preload = pathToFileURL(join(ROOT, 'test/guard/clock-skew.mjs')).href;
  return { NODE_OPTIONS: `--import=${preload}`, CLOCK_SKEW_SECONDS: String(seconds) };
}

export interface StepRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** The state as the runner keeps it: the last value saved under each name. */
  state: Record<string, string>;
  /** Every state value saved, in order (GITHUB_STATE as written). */
  stateLog: string;
  summary: string;
}

export interface StepOptions {
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  /** State saved by the main step, handed to the post step as STATE_* variables. */
  state?: Record<string, string>;
  entry?: string;
}

/** Variables a runner sets for every step, minus anything of the test process that could leak in. */
function baseEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT'];
  const env: Record<string, string> = {};
  for (const name of keep) if (process.env[name]) env[name] = process.env[name] as string;
  return {
    ...env,
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'octo-org/dns',
    GITHUB_WORKFLOW: 'Secondary DNS',
    GITHUB_JOB: 'peer',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_NUMBER: '17',
  };
}

export async function runStep(options: StepOptions = {}): Promise<StepRun> {
  const dir = mkdtempSync(join(tmpdir(), 'peer-step-'));
  const files = { GITHUB_OUTPUT: 'output', GITHUB_STATE: 'state', GITHUB_STEP_SUMMARY: 'summary' };
  const env: Record<string, string> = { ...baseEnv() };
  for (const [variable, file] of Object.entries(files)) {
    env[variable] = join(dir, file);
    writeFileSync(env[variable], '');
  }
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    env[`INPUT_${name.toUpperCase()}`] = value;
  }
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;
  Object.assign(env, options.env);

  try {
    const { code, stdout, stderr } = await spawnNode(options.entry ?? MAIN, env);
    // A refused connection beyond loopback fails the test even when the step was expected to fail anyway.
    if (stderr.includes('[loopback-only]')) throw new Error(`the step tried to leave loopback:\n${stderr}`);
    return {
      code,
      stdout,
      stderr,
      outputs: parseFileCommands(readFileSync(env.GITHUB_OUTPUT as string, 'utf8')),
      state: parseFileCommands(readFileSync(env.GITHUB_STATE as string, 'utf8')),
      stateLog: readFileSync(env.GITHUB_STATE as string, 'utf8'),
      summary: readFileSync(env.GITHUB_STEP_SUMMARY as string, 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function spawnNode(script: string, env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn(process.execPath, ['--import', LOOPBACK_GUARD, script], {
      env,
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** Parses GITHUB_OUTPUT / GITHUB_STATE as the runner does: `name<<DELIMITER` blocks and `name=value` lines. */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const block = /^([^<=]+)<<(.+)$/.exec(line);
    if (block) {
      const [, name, delimiter] = block as unknown as [string, string, string];
      const end = lines.indexOf(delimiter, i + 1);
      if (end === -1) throw new Error(`no closing ${delimiter} for ${name} in:\n${text}`);
      values[name] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const pair = /^([^=]+)=(.*)$/.exec(line);
    if (pair) values[pair[1] as string] = pair[2] as string;
  }
  return values;
}

/** Credentials inputs for the emulator's valid API token. */
export function tokenInputs(emulator: { accountId: string; token: string; url: string }, name = 'primary-ns1') {
  return { account_id: emulator.accountId, api_token: emulator.token, api_url: emulator.url, name };
}

/** The `zones` output, one object per zone, in the order given. */
export function zonesOutput<T = Record<string, unknown>>(run: StepRun): T[] {
  return JSON.parse(run.outputs.zones ?? '[]') as T[];
}

/** The log a person sees: the runner consumes `::add-mask::` commands instead of printing them. */
export function visibleLog(run: StepRun): string {
  return (run.stdout + run.stderr)
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

/** Everything of a run that a person or a later job can read. */
export function everythingShown(run: StepRun): string {
  return [visibleLog(run), run.summary, JSON.stringify(run.outputs), JSON.stringify(run.state)].join('\n');
}

/** The values masked before the first other line was printed. */
export function maskedFirst(run: StepRun): string[] {
  const lines = run.stdout.split('\n');
  const firstOther = lines.findIndex((line) => !line.startsWith('::add-mask::'));
  return lines.slice(0, firstOther).map((line) => line.slice('::add-mask::'.length));
}
