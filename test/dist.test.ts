// dist/ is committed; it must be exactly what the bundle script makes from the committed src/ and lockfile.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ROOT } from './harness.ts';

const fresh = mkdtempSync(join(tmpdir(), 'dist-check-'));
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

function files(dir: string): Record<string, string> {
  const all = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return Object.fromEntries(
    all.map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return [relative(dir, path), readFileSync(path, 'utf8')];
    }),
  );
}

it('dist/ is byte for byte what `npm run bundle` makes', { timeout: 120_000 }, () => {
  execFileSync(process.execPath, ['scripts/bundle.ts', join(fresh, 'dist')], { cwd: ROOT, stdio: 'pipe' });
  const built = files(join(fresh, 'dist'));
  const committed = files(join(ROOT, 'dist'));
  expect(Object.keys(committed).sort()).toEqual(Object.keys(built).sort());
  for (const [path, text] of Object.entries(built)) {
    expect(committed[path] === text, `dist/${path} is stale: run npm run bundle and commit dist/`).toBe(true);
  }
});

it('names the version of package.json in the User-Agent', async () => {
  const { ACTION_VERSION } = await import('../src/version.ts');
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  expect(ACTION_VERSION).toBe(version);
});

it('runs on Node 24, as action.yml declares', () => {
  expect(process.versions.node.split('.')[0]).toBe('24');
  expect(readFileSync(join(ROOT, 'action.yml'), 'utf8')).toMatch(/using: node24/);
});

it('ships the license of every production dependency beside the bundle', () => {
  const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const licenses = readFileSync(join(ROOT, 'dist/licenses.txt'), 'utf8');
  for (const name of Object.keys(dependencies)) expect(licenses).toMatch(new RegExp(`^${name}@\\d`, 'm'));
});

it('keeps the TSIG key code out of the entry bundles: runs without tsig_name never load it', () => {
  // Text only the key's modules hold (src/cloudflare/tsig.ts, src/plan/tsig.ts).
  for (const entry of ['dist/index.js', 'dist/post/index.js']) {
    const text = readFileSync(join(ROOT, entry), 'utf8');
    expect(text, entry).not.toContain('Create TSIG');
    expect(text, entry).not.toContain('TSIG keys are named');
  }
  const chunks = readdirSync(join(ROOT, 'dist')).filter((name) => /^\d+\.index\.js$/.test(name));
  const holders = chunks.filter((name) => readFileSync(join(ROOT, 'dist', name), 'utf8').includes('Create TSIG'));
  expect(holders.length, 'the TSIG client is bundled in a chunk loaded on demand').toBeGreaterThan(0);
});

it('keeps the zones code out of the entry bundles: runs without zones never load it', () => {
  // Text only the zones' modules hold (src/steps/zone.ts, src/plan/zone.ts, src/cloudflare/zone.ts).
  const markers = ['Linking the zones failed', 'Cloudflare links at most', 'secondary_dns/force_axfr'];
  for (const entry of ['dist/index.js', 'dist/post/index.js']) {
    const text = readFileSync(join(ROOT, entry), 'utf8');
    for (const marker of markers) expect(text, entry).not.toContain(marker);
  }
  const chunks = readdirSync(join(ROOT, 'dist')).filter((name) => /^\d+\.index\.js$/.test(name));
  const holders = chunks.filter((name) => readFileSync(join(ROOT, 'dist', name), 'utf8').includes(markers[0] ?? ''));
  expect(holders.length, 'the zones step is bundled in a chunk loaded on demand').toBeGreaterThan(0);
});

it('keeps the peer check out of the entry bundles: runs without zones, or with verify_peer: false, never load it', () => {
  // Text only the check's modules hold (src/plan/verify.ts; src/dns/tcp.ts says "no answer from").
  const markers = ['answered BADSIG to a query signed', 'no answer from '];
  const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
  for (const entry of ['dist/index.js', 'dist/post/index.js']) {
    for (const marker of markers) expect(read(entry), entry).not.toContain(marker);
  }
  const chunks = readdirSync(join(ROOT, 'dist')).filter((name) => /^\d+\.index\.js$/.test(name));
  const holders = chunks.filter((name) => read(`dist/${name}`).includes(markers[0] ?? ''));
  expect(holders.length, 'the peer check is bundled in a chunk loaded on demand').toBeGreaterThan(0);
  // Nor is it in the zones step's chunk: the wait asks the peer through the closure the check left on the board.
  const zones = chunks.filter((name) => read(`dist/${name}`).includes('Linking the zones failed'));
  expect(zones.length).toBeGreaterThan(0);
  for (const name of zones) for (const marker of markers) expect(read(`dist/${name}`), name).not.toContain(marker);
});
