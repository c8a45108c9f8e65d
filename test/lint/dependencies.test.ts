// The layout's rules (.dependency-cruiser.json) hold for src/: no import cycle, plan/ without effects,
// cloudflare/ below the run, steps reached only through the orchestrator. And each rule can fail: a small
// tree that breaks every rule once is cruised with the same configuration.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../harness.ts';

// The package's own command, whatever its file is called inside the package.
const CLI = join(ROOT, 'node_modules/.bin/depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.json');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

function cruise(cwd: string): Violation[] {
  const out = execFileSync(process.execPath, [CLI, 'src', '--config', CONFIG, '--output-type', 'json'], {
    cwd,
    encoding: 'utf8',
    // Violations make the CLI exit non-zero; the JSON on stdout is what counts here.
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
  return (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
}

function cruiseAllowingFailure(cwd: string): Violation[] {
  try {
    return cruise(cwd);
  } catch (error) {
    const stdout = (error as { stdout?: string }).stdout ?? '';
    // No report at all: the command itself failed; say why.
    if (!stdout) throw error;
    return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
  }
}

describe('dependency rules', () => {
  it('hold for src/', { timeout: 60_000 }, () => {
    expect(cruiseAllowingFailure(ROOT).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });

  const bad = mkdtempSync(join(tmpdir(), 'deps-'));
  afterAll(() => rmSync(bad, { recursive: true, force: true }));
  const files: Record<string, string> = {
    // A cycle, and the journal importing a step (the cycle issue #15 removed).
    'src/base/journal.ts': "import { zoneStep } from '../steps/zone.js';\nexport const journal = zoneStep;\n",
    'src/steps/zone.ts': "import { journal } from '../base/journal.js';\nexport const zoneStep = { journal };\n",
    // A step importing another step, and a module other than the registry importing a step.
    'src/steps/peer.ts': "import { zoneStep } from './zone.js';\nexport const peerStep = zoneStep;\n",
    'src/summary.ts': "import { peerStep } from './steps/peer.js';\nexport const shown = peerStep;\n",
    // Effects in plan/: Node's fs, and the runner.
    'src/plan/peer.ts':
      "import { readFileSync } from 'node:fs';\nimport { info } from '../runner.js';\nexport const plan = [readFileSync, info];\n",
    'src/runner.ts': 'export const info = (line: string) => line;\n',
    // The client reaching up into the run.
    'src/cloudflare/peer.ts': "import { shown } from '../summary.js';\nexport const api = shown;\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(bad, path)), { recursive: true });
    writeFileSync(join(bad, path), text);
  }
  writeFileSync(
    join(bad, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
  );

  it('fail a tree that breaks each of them', { timeout: 60_000 }, () => {
    const broken = new Set(cruiseAllowingFailure(bad).map((v) => v.rule.name));
    expect([...broken].sort()).toEqual(
      [
        'cloudflare-is-low',
        'journal-knows-no-step',
        'no-cycles',
        'plan-is-pure',
        'plan-uses-no-node-or-packages',
        'steps-do-not-import-each-other',
        'steps-only-through-the-orchestrator',
      ].sort(),
    );
  });
});
