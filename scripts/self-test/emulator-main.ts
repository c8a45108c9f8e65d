// Main step of .github/actions/self-test-emulator: starts the Cloudflare API emulator
// (test/emulator/cli.ts) in the background for the rest of the job and hands its URL and credentials to
// later steps. Node runs it here, not `node … &` in a bash step: 5 seconds after a step's process exits,
// the runner kills that step's process tree if something still holds its output pipes, and what a Git
// Bash background job inherits on Windows is hard to tell. Node gives a child only the handles named in
// `stdio`, so the emulator, writing to its own files, outlives this step on every OS.
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { EOL, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

const STARTUP_LIMIT_MS = 15_000;

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'emulator-'));
const ready = join(dir, 'emulator.json');
const log = join(dir, 'emulator.log');

const stdout = openSync(ready, 'w');
const stderr = openSync(log, 'w');
// Zones to link the peer to; their transfers complete a moment after a link or a forced transfer.
const zones = (process.env.INPUT_SECONDARY_ZONES ?? '')
  .split(/\r?\n/)
  .map((name) => name.trim())
  .filter(Boolean)
  .flatMap((name) => ['--secondary-zone', name]);
// With the loopback guard, as in the tests: the emulator's transfers may only ever reach loopback peers.
const guard = pathToFileURL(join(root, 'test/guard/loopback-only.mjs')).href;
const args = [
  '--import',
  guard,
  join(root, 'test/emulator/cli.ts'),
  '--port',
  '0',
  '--transfer-delay-ms',
  '500',
  ...zones,
];
const child = spawn(process.execPath, args, {
  cwd: root,
  detached: true,
  stdio: ['ignore', stdout, stderr],
  windowsHide: true,
});
closeSync(stdout);
closeSync(stderr);
let exit: string | undefined;
child.on('exit', (code, signal) => {
  exit = signal ?? String(code);
});
child.unref();

interface Started {
  url: string;
  accountId: string;
  token: string;
}

// The emulator prints one JSON line once it listens.
const started = await waitForLine();
const values = { url: started.url, account_id: started.accountId, token: started.token };
for (const [name, value] of Object.entries(values)) fileCommand('GITHUB_OUTPUT', name, value);
for (const [name, value] of Object.entries({ ...values, pid: String(child.pid), log })) {
  fileCommand('GITHUB_STATE', name, value);
}
process.stdout.write(`Cloudflare API emulator at ${started.url} (pid ${child.pid}, log ${log})${EOL}`);

async function waitForLine(): Promise<Started> {
  const deadline = Date.now() + STARTUP_LIMIT_MS;
  for (;;) {
    const text = readFileSync(ready, 'utf8');
    if (text.includes('\n')) return JSON.parse(text.slice(0, text.indexOf('\n'))) as Started;
    if (exit !== undefined) fail(`the emulator exited (${exit}) before it listened`);
    if (Date.now() > deadline) {
      child.kill();
      fail(`the emulator did not listen within ${STARTUP_LIMIT_MS / 1000} seconds`);
    }
    await sleep(50);
  }
}

function fail(message: string): never {
  process.stdout.write(`::error::${message}${EOL}${readFileSync(log, 'utf8')}${EOL}`);
  process.exit(1);
}

/** `name=value` lines: every value here is one line of plain text, so no heredoc delimiter is needed. */
function fileCommand(variable: 'GITHUB_OUTPUT' | 'GITHUB_STATE', name: string, value: string): void {
  const file = process.env[variable];
  if (!file) throw new Error(`${variable} is not set: run this as a step of a workflow`);
  appendFileSync(file, `${name}=${value}${EOL}`);
}
