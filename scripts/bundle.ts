// Bundles src/ into dist/ (or the folder given): the main step, and the post step apart, so a job
// that created nothing pays only for a tiny file at its end. Beside them, licenses.txt holds the
// license of every production dependency they may contain.
// Usage: node scripts/bundle.ts [out-dir]
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = resolve(root, process.argv[2] ?? 'dist');
const ncc = join(root, 'node_modules/.bin/ncc');

rmSync(out, { recursive: true, force: true });
const build = (entry: string, dir: string) =>
  execFileSync(ncc, ['build', entry, '-o', dir, '--minify', '--quiet'], { cwd: root, stdio: 'inherit' });
build('src/index.ts', out);
build('src/post.ts', join(out, 'post'));
writeFileSync(join(out, 'licenses.txt'), thirdPartyLicenses());

/**
 * ncc's own --license leaves out some ESM packages (zod, @actions/http-client), so the list comes
 * from the lockfile: every package that is not a devDependency, with its license text.
 */
function thirdPartyLicenses(): string {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; license?: string; dev?: boolean }>;
  };
  const sections = new Map<string, string>();
  for (const [path, info] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/') || info.dev) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const dir = join(root, path);
    const file = existsSync(dir) ? readdirSync(dir).find((entry) => /^(licen[cs]e|copying)/i.test(entry)) : undefined;
    const text = file
      ? readFileSync(join(dir, file), 'utf8').trim()
      : `(no license file; package.json says ${info.license})`;
    sections.set(`${name}@${info.version}`, `${name}@${info.version} (${info.license ?? 'unknown'})\n\n${text}`);
  }
  const sorted = [...sections.keys()].sort().map((key) => sections.get(key));
  return `${sorted.join('\n\n-----\n\n')}\n`;
}
