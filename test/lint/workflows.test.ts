// actionlint over every workflow of the repository and every workflow example in README.md, plus a check
// that each step using this action passes only its inputs and reads only its outputs.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionYml, packageJson, read, readIfExists, workflowFiles } from './files.ts';
import { extractWorkflowBlocks } from './markdown.ts';
import {
  actionlint,
  checkActionUsage,
  format,
  type Problem,
  repositoryName,
  thisActionMatcher,
} from './workflow-lint.ts';

const action = actionYml();
const iface = { inputs: Object.keys(action.inputs ?? {}), outputs: Object.keys(action.outputs ?? {}) };
const isThisAction = thisActionMatcher(repositoryName(packageJson().repository) ?? packageJson().name);

async function lint(text: string, path: string): Promise<Problem[]> {
  return [...(await actionlint(text, path)), ...checkActionUsage(text, iface, isThisAction)];
}

describe('workflows in .github/workflows', () => {
  const files = workflowFiles();

  it('exist', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yml',
        '.github/workflows/self-test.yml',
        '.github/workflows/example-dispatch.yml',
        '.github/workflows/release.yml',
        '.github/workflows/codeql.yml',
      ]),
    );
  });

  it.each(files)('%s passes actionlint and uses the action as action.yml declares it', async (file) => {
    const problems = await lint(read(file), file);
    expect(problems.map((problem) => format(file, problem))).toEqual([]);
  });

  it.each(files)('%s pins third-party actions to a full commit SHA with a version comment', (file) => {
    const unpinned = read(file)
      .split('\n')
      .map((line, index) => ({ line, number: index + 1 }))
      .filter(({ line }) => /^\s*(?:-\s+)?uses:\s*/.test(line))
      .filter(({ line }) => !/uses:\s*['"]?\.\.?\//.test(line) && !/uses:\s*docker:\/\//.test(line))
      .filter(({ line }) => !/uses:\s*[\w.-]+\/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+\.\d+\.\d+\s*$/.test(line))
      .map(({ line, number }) => `${file}:${number}: ${line.trim()}`);
    expect(unpinned, 'pin as owner/repo@<40-hex sha> # vX.Y.Z').toEqual([]);
  });

  it.each(files)('%s sets top-level permissions', (file) => {
    expect(read(file)).toMatch(/^permissions:/m);
  });
});

describe('workflow examples in README.md', () => {
  const readme = readIfExists('README.md');

  it('README.md has at least one complete workflow example', () => {
    expect(readme, 'README.md is missing').toBeDefined();
    expect(extractWorkflowBlocks(readme ?? '').length, 'no ```yaml block with top-level on: and jobs:').toBeGreaterThan(
      0,
    );
  });

  it('every example passes actionlint and uses the action as action.yml declares it', async () => {
    const problems: string[] = [];
    for (const block of extractWorkflowBlocks(readme ?? '')) {
      // Named after the README line where the block starts; problems are reported at README lines.
      for (const problem of await lint(block.text, `README.md:${block.line}`)) {
        problems.push(format('README.md', problem, block.line - 1));
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('.github/dependabot.yml', () => {
  it('updates npm and github-actions weekly', () => {
    const config = parse(read('.github/dependabot.yml')) as {
      version: number;
      updates: { 'package-ecosystem': string; directory: string; schedule: { interval: string } }[];
    };
    expect(config.version).toBe(2);
    const weekly = config.updates
      .filter((update) => update.schedule.interval === 'weekly' && update.directory === '/')
      .map((update) => update['package-ecosystem']);
    expect(weekly.sort()).toEqual(['github-actions', 'npm']);
  });
});
