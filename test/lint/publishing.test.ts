// What makes the action publishable and keeps it so: the self-test covers three OSes, write permission
// stays in the one release job, which tags with RELEASE_TOKEN when set, pins agree, helper actions are
// valid, code owners are teams or users, badges and the license are real.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionMetadata, describeIssues } from './action-schema.ts';
import { packageJson, ROOT, read, workflowFiles } from './files.ts';
import { repositoryName } from './workflow-lint.ts';

type Permissions = string | Record<string, string> | undefined;
interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}
interface Job {
  'runs-on'?: unknown;
  strategy?: { matrix?: Record<string, unknown> };
  permissions?: Permissions;
  env?: Record<string, string>;
  steps?: Step[];
  uses?: string;
}
interface Workflow {
  permissions?: Permissions;
  jobs: Record<string, Job>;
}

const workflow = (file: string) => parse(read(file)) as Workflow;

/** The scopes a permissions block lets write (`write-all` counts as everything). */
function writes(permissions: Permissions): string[] {
  if (permissions === undefined) return [];
  if (typeof permissions === 'string') return permissions === 'write-all' ? ['*'] : [];
  return Object.entries(permissions)
    .filter(([, access]) => access === 'write')
    .map(([scope]) => scope);
}

describe('self-test.yml', () => {
  const { jobs } = workflow('.github/workflows/self-test.yml');
  const OSES = ['ubuntu-latest', 'windows-latest', 'macos-latest'];

  it.each(Object.keys(jobs))('job %s runs on ubuntu, windows and macos', (name) => {
    const job = jobs[name] as Job;
    expect(job['runs-on']).toMatch(/^\$\{\{\s*matrix\.os\s*\}\}$/);
    expect(job.strategy?.matrix?.os).toEqual(OSES);
  });

  it('runs the action from the checkout, and starts the emulator before it so its check runs last', () => {
    const steps = jobs.create?.steps ?? [];
    const uses = steps.map((step) => step.uses ?? '');
    const emulator = uses.indexOf('./.github/actions/self-test-emulator');
    expect(uses.filter((value) => value === './').length).toBeGreaterThanOrEqual(2);
    // Post steps run in reverse order: the emulator's post step must come after every post step of the action.
    expect(emulator).toBeGreaterThanOrEqual(0);
    expect(emulator).toBeLessThan(uses.indexOf('./'));
  });
});

describe('permissions', () => {
  it.each(workflowFiles())('%s grants no write access at the top level', (file) => {
    expect(writes(workflow(file).permissions)).toEqual([]);
  });

  it('release.yml writes contents in exactly one job, the one that publishes, which runs no npm', () => {
    const { jobs } = workflow('.github/workflows/release.yml');
    const writers = Object.entries(jobs).filter(([, job]) => writes(job.permissions).length > 0);
    expect(writers.map(([name, job]) => [name, writes(job.permissions)])).toEqual([['release', ['contents']]]);
    const scripts = (writers[0]?.[1].steps ?? []).map((step) => step.run ?? '').join('\n');
    expect(scripts).toContain('node scripts/release/publish.ts');
    expect(scripts).not.toMatch(/\bnpm\b/);
  });

  it('release.yml runs npm ci, npm test and the dist/ check before it publishes', () => {
    const { jobs } = workflow('.github/workflows/release.yml');
    const verify = (jobs.verify?.steps ?? []).map((step) => step.run ?? '').join('\n');
    const commands = ['npm run -s release-notes -- "$VERSION"', 'npm ci', 'npm test', 'npm run bundle'];
    for (const command of [...commands, 'git diff --exit-code -- dist/']) {
      expect(verify).toContain(command);
    }
    expect((jobs.release as Job & { needs?: string[] }).needs).toEqual(expect.arrayContaining(['verify']));
  });
});

describe('release.yml publishing', () => {
  const text = read('.github/workflows/release.yml');
  const release = workflow('.github/workflows/release.yml').jobs.release as Job;
  const steps = release.steps ?? [];
  const publishing = steps.filter((step) => step.run?.includes('scripts/release/publish.ts'));

  // GitHub refuses GITHUB_TOKEN a tag move across a change to .github/workflows/.
  it('tags and publishes in one last step, with RELEASE_TOKEN when set and GITHUB_TOKEN otherwise', () => {
    expect(publishing).toHaveLength(1);
    expect(steps.at(-1)).toBe(publishing[0]);
    // The order (vX.Y.Z, the major tag, then the release) is tested on the script: release-notes.test.ts.
    const env = publishing[0]?.env ?? {};
    expect(Object.keys(env).sort()).toEqual(['GH_TOKEN', 'TOKEN_NAME']);
    expect(env.GH_TOKEN).toMatch(/^\$\{\{ secrets\.RELEASE_TOKEN \|\| github\.token \}\}$/);
    expect(env.TOKEN_NAME).toMatch(/^\$\{\{ secrets\.RELEASE_TOKEN && 'RELEASE_TOKEN' \|\| 'GITHUB_TOKEN' \}\}$/);
  });

  it('shows RELEASE_TOKEN to that step only, and writes refs and releases nowhere else', () => {
    expect(text.match(/secrets\.RELEASE_TOKEN/g)).toHaveLength(2);
    expect(release.env ?? {}).not.toHaveProperty('GH_TOKEN');
    const others = steps.filter((step) => !publishing.includes(step)).map((step) => step.run ?? '');
    expect(others.join('\n')).not.toMatch(/\bgh\b|git push|api\.github|git\/refs|releases/);
  });

  it('npm run release-notes runs the notes script, as README and release.yml call it', () => {
    expect(packageJson().scripts?.['release-notes']).toBe('node scripts/release/notes.ts');
  });

  it('README, Releasing: the npm script, RELEASE_TOKEN, the manual tag move and the one-time steps', () => {
    const readme = read('README.md');
    const section = readme.slice(
      readme.indexOf('## Releasing\n'),
      readme.indexOf('\n## ', readme.indexOf('## Releasing\n')),
    );
    expect(section).toContain('npm run release-notes -- 1.1.0');
    expect(readme).not.toContain('node scripts/release/notes.ts');
    for (const words of ['`RELEASE_TOKEN`', '**Workflows**', 'git tag -f v1 <sha>', 'git push -f origin v1']) {
      expect(section).toContain(words);
    }
    expect(section).toContain('git tag v1.0.0 <sha> && git tag v1 <sha> && git push origin v1.0.0 v1');
    expect(section).toMatch(/private vulnerability reporting/i);
    expect(section).toContain('`@dnsops/maintainers`');
  });
});

describe('pins', () => {
  it('every workflow pins an action to the same commit and version', () => {
    const pins = new Map<string, Set<string>>();
    for (const file of workflowFiles()) {
      for (const match of read(file).matchAll(/uses:\s*([\w.-]+\/[\w./-]+)@([0-9a-f]{40})\s+#\s*(v\S+)/g)) {
        const [, action = '', sha, version] = match;
        pins.set(action, (pins.get(action) ?? new Set()).add(`${sha} # ${version}`));
      }
    }
    expect(pins.size).toBeGreaterThan(0);
    const disagreeing = [...pins].filter(([, seen]) => seen.size > 1).map(([action, seen]) => [action, [...seen]]);
    expect(disagreeing).toEqual([]);
  });
});

describe('helper actions in .github/actions', () => {
  const dir = join(ROOT, '.github/actions');
  const names = existsSync(dir) ? readdirSync(dir) : [];

  it.each(names)('%s/action.yml conforms to the action metadata schema and names files that exist', (name) => {
    const raw = parse(read(`.github/actions/${name}/action.yml`));
    const result = actionMetadata.safeParse(raw);
    expect(result.success ? [] : describeIssues(result.error)).toEqual([]);
    const runs = actionMetadata.parse(raw).runs;
    const files = [runs.main, runs.pre, runs.post].filter((file): file is string => file !== undefined);
    expect(files.filter((file) => !existsSync(join(dir, name, file)))).toEqual([]);
  });

  it('every local action a workflow uses exists', () => {
    const missing: string[] = [];
    for (const file of workflowFiles()) {
      for (const [, path = ''] of read(file).matchAll(/uses:\s*\.\/(\.github\/actions\/[\w.-]+)/g)) {
        if (!existsSync(join(ROOT, path, 'action.yml'))) missing.push(`${file}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('CODEOWNERS', () => {
  it('names users or @org/team, never the organisation that owns the repository alone', () => {
    const owner = repositoryName(packageJson().repository)?.split('/')[0];
    const lines = read('.github/CODEOWNERS')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    const owners = lines.flatMap((line) => line.trim().split(/\s+/).slice(1));
    expect(lines.length).toBeGreaterThan(0);
    expect(owners.filter((name) => !/^@[\w-]+(\/[\w.-]+)?$/.test(name))).toEqual([]);
    expect(owner).toBe('dnsops');
    expect(owners).not.toContain(`@${owner}`);
  });
});

describe('README badges', () => {
  it('show CI and Self-test, and every badge names a workflow that exists', () => {
    const badges = [...read('README.md').matchAll(/actions\/workflows\/([\w.-]+\.ya?ml)\/badge\.svg/g)].map(
      ([, file]) => `.github/workflows/${file}`,
    );
    expect(badges).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/self-test.yml']));
    expect(badges.filter((file) => !workflowFiles().includes(file))).toEqual([]);
  });
});

describe('license', () => {
  it('LICENSE is the MIT license that package.json names', () => {
    expect((packageJson() as { license?: string }).license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} \S/);
    expect(read('README.md')).toMatch(/^## License\n\n\[MIT\]\(LICENSE\)/m);
  });
});

describe('issue forms', () => {
  it('the bug report asks for the step log with debug logging on and says secrets are masked', () => {
    const form = parse(read('.github/ISSUE_TEMPLATE/bug_report.yml')) as {
      body: { type: string; id?: string; attributes: Record<string, unknown>; validations?: { required?: boolean } }[];
    };
    const text = JSON.stringify(form);
    expect(text).toContain('ACTIONS_STEP_DEBUG');
    expect(text).toContain('Enable debug logging');
    expect(text).toMatch(/masked/);
    const log = form.body.find((field) => field.id === 'log');
    expect(log?.validations?.required).toBe(true);
  });
});
