// Bundles src/ into dist/ (or the folder given): the main step with its third-party licenses, and the
// post step apart, so a job that created nothing pays only for a tiny file at its end.
// Usage: node scripts/bundle.ts [out-dir]
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = resolve(root, process.argv[2] ?? 'dist');
const ncc = join(root, 'node_modules/.bin/ncc');

rmSync(out, { recursive: true, force: true });
const build = (entry: string, dir: string, ...extra: string[]) =>
  execFileSync(ncc, ['build', entry, '-o', dir, '--minify', '--quiet', ...extra], { cwd: root, stdio: 'inherit' });
build('src/index.ts', out, '--license', 'licenses.txt');
build('src/post.ts', join(out, 'post'), '--license', 'licenses.txt');
