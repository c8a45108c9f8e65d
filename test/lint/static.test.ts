// The same checks as `npm run lint` and `npm run typecheck`, so `npm test` fails on them too. All three
// processes start at once (they take a few seconds each); each test waits for its own.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from './files.ts';

interface Run {
  code: number;
  output: string;
}

function run(script: string, args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(ROOT, 'node_modules', script), ...args],
      { cwd: ROOT, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, output: `${stdout}${stderr}`.trim() || String(error ?? '') });
      },
    );
  });
}

// tsc as `npm run typecheck` runs it, plus a build-info cache in .tmp/ (git-ignored): a warm run takes a
// second or two instead of four.
const tsc = (project: string, cache: string) =>
  run('typescript/bin/tsc', ['--noEmit', '-p', project, '--incremental', '--tsBuildInfoFile', `.tmp/lint/${cache}`]);
const biome = run('@biomejs/biome/bin/biome', ['check', '--colors=off']);
const tscSrc = tsc('.', 'src.tsbuildinfo');
const tscTest = tsc('test', 'test.tsbuildinfo');

it('biome check (npm run lint) is clean', { timeout: 60_000 }, async () => {
  const { code, output } = await biome;
  expect(code, output).toBe(0);
});

it('tsc -p . (src) type-checks', { timeout: 60_000 }, async () => {
  const { code, output } = await tscSrc;
  expect(code, output).toBe(0);
});

it('tsc -p test (tests, scripts, bench) type-checks', { timeout: 60_000 }, async () => {
  const { code, output } = await tscTest;
  expect(code, output).toBe(0);
});
