// The release workflow's scripts: the notes (the CHANGELOG.md section of the version, refused when it is
// missing), the version check of release.yml, and publishing against a local stand-in for GitHub's API.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkVersion, releaseNotes } from '../scripts/release/changelog.ts';
import { ROOT } from './harness.ts';

const changelog = `# Changelog

Intro text.

## [Unreleased]

### Fixed

- Something not released yet.

## [1.1.0] - 2026-12-01

### Added

- Debug logging.

### Fixed

- A retry.

## [1.0.0] - 2026-11-30

### Added

- The first release.

[Unreleased]: https://github.com/dnsops/x/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/dnsops/x/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/dnsops/x/releases/tag/v1.0.0
`;

describe('releaseNotes', () => {
  it('returns the body of the version section, up to the next section', () => {
    expect(releaseNotes(changelog, '1.1.0')).toBe('### Added\n\n- Debug logging.\n\n### Fixed\n\n- A retry.');
  });

  it('leaves out the link definitions after the last section', () => {
    expect(releaseNotes(changelog, '1.0.0')).toBe('### Added\n\n- The first release.');
  });

  it('reads CRLF files the same', () => {
    expect(releaseNotes(changelog.replace(/\n/g, '\r\n'), '1.1.0')).toBe(releaseNotes(changelog, '1.1.0'));
  });

  it('fails without a section for the version, naming what to add', () => {
    expect(() => releaseNotes(changelog, '1.2.0')).toThrow('CHANGELOG.md has no "## [1.2.0] - YYYY-MM-DD" section');
    // A longer version that starts the same is another version.
    expect(() => releaseNotes(changelog.replace('[1.1.0] -', '[1.1.0-rc.1] -'), '1.1.0')).toThrow(/no "## \[1\.1\.0\]/);
  });

  it('fails for an undated, duplicated or empty section', () => {
    expect(() => releaseNotes(changelog.replace('## [1.1.0] - 2026-12-01', '## [1.1.0]'), '1.1.0')).toThrow(
      'needs its release date',
    );
    expect(() => releaseNotes(`${changelog}\n## [1.1.0] - 2026-12-02\n\n- again\n`, '1.1.0')).toThrow(
      'has 2 sections for 1.1.0',
    );
    expect(() => releaseNotes('## [2.0.0] - 2027-01-01\n\n\n## [1.0.0] - 2026-11-30\n- x\n', '2.0.0')).toThrow(
      'the 2.0.0 section is empty',
    );
  });
});

describe('checkVersion', () => {
  it('accepts X.Y.Z only', () => {
    expect(() => checkVersion('1.1.0')).not.toThrow();
    for (const bad of ['v1.1.0', '1.1', '1.1.0-rc.1', ' 1.1.0', '']) {
      expect(() => checkVersion(bad), bad).toThrow('give it as X.Y.Z');
    }
  });
});

describe('node scripts/release/notes.ts <version>', () => {
  const dir = mkdtempSync(join(tmpdir(), 'release-notes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function run(version: string, cwd: string) {
    return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, [join(ROOT, 'scripts/release/notes.ts'), version], { cwd }, (error, stdout, stderr) =>
        done({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
  }

  it('prints the notes when package.json and CHANGELOG.md are ready for the version', async () => {
    writeFileSync(join(dir, 'CHANGELOG.md'), changelog);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: '1.1.0' }));
    const result = await run('1.1.0', dir);
    expect(result).toEqual({ code: 0, stdout: `${releaseNotes(changelog, '1.1.0')}\n`, stderr: '' });
  });

  it('fails with an error annotation when package.json has another version', async () => {
    writeFileSync(join(dir, 'CHANGELOG.md'), changelog);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: '1.0.0' }));
    const result = await run('1.1.0', dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^::error::package\.json says version 1\.0\.0, not 1\.1\.0/);
  });

  it("finds this repository's notes for the version in its package.json", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await run(version, ROOT);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(releaseNotes(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'), version));
    expect(result.stdout).toMatch(/^### /);
  });
});

interface Exit {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: string[], options: { cwd?: string; env: Record<string, string> }): Promise<Exit> {
  return new Promise((done) => {
    execFile(file, args, options, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const PATH = process.env.PATH ?? '';

describe('release.yml: "The tag is new and the version newer than every release"', () => {
  const { jobs } = parse(readFileSync(join(ROOT, '.github/workflows/release.yml'), 'utf8')) as {
    jobs: Record<string, { steps: { name?: string; run?: string }[] }>;
  };
  const script = jobs.verify?.steps.find((step) => step.name?.startsWith('The tag is new'))?.run ?? '';
  const repo = mkdtempSync(join(tmpdir(), 'release-tags-'));
  afterAll(() => rmSync(repo, { recursive: true, force: true }));
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: repo,
      encoding: 'utf8',
      env: { PATH, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', HOME: repo },
    }).trim();
  git('init', '-q');
  for (const message of ['one', 'two'])
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', message);
  const head = git('rev-parse', 'HEAD');

  /**
   * Runs the step as the runner does with `shell: bash` (stricter than the default `bash -e`), in a
   * repository with only `tags` (name → commit-ish).
   */
  async function check(version: string, tags: Record<string, string>, annotated = false): Promise<Exit> {
    for (const tag of git('tag', '--list').split('\n').filter(Boolean)) git('tag', '-d', tag);
    for (const [tag, target] of Object.entries(tags)) {
      git(
        '-c',
        'user.name=t',
        '-c',
        'user.email=t@example.com',
        'tag',
        ...(annotated ? ['-a', '-m', tag] : []),
        tag,
        target,
      );
    }
    return exec('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd: repo,
      env: { PATH, VERSION: version, GITHUB_SHA: head },
    });
  }

  it('is in the verify job', () => {
    expect(script).toContain('git tag --list');
  });

  it('passes when there is no v*.*.* tag at all: the first release', async () => {
    const result = await check('1.1.0', { 'v2-preview': 'HEAD~1' });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('No v*.*.* tag yet: v1.1.0 is the first');
  });

  it('passes for a version newer than every release, comparing numbers, not text', async () => {
    expect(await check('1.1.0', { 'v1.0.0': 'HEAD~1', v1: 'HEAD~1' })).toMatchObject({ code: 0, stdout: '' });
    expect(await check('1.10.0', { 'v1.9.0': 'HEAD~1' })).toMatchObject({ code: 0, stdout: '' });
  });

  it('fails for a version older than a release', async () => {
    const result = await check('1.9.1', { 'v1.9.0': 'HEAD~1', 'v1.10.0': 'HEAD~1' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error::1.9.1 is not newer than the latest release, 1.10.0');
  });

  it.each([false, true])('passes a re-run: the tag already on this commit (annotated: %s)', async (annotated) => {
    const result = await check('1.1.0', { 'v1.0.0': 'HEAD~1', 'v1.1.0': 'HEAD' }, annotated);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`::notice::v1.1.0 already points to ${head}: this run finishes that release\n`);
  });

  it('fails when the tag exists on another commit', async () => {
    const result = await check('1.1.0', { 'v1.1.0': 'HEAD~1' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`::error::v1.1.0 exists already, on ${git('rev-parse', 'HEAD~1')}, not on ${head}`);
  });
});

/** The part of GitHub's REST API that publish.ts uses, for one repository, kept in memory. */
function fakeGitHub(token: string) {
  const refs = new Map<string, { type: 'commit' | 'tag'; sha: string }>();
  /** Annotated tag objects: their sha → the commit they point at. */
  const tagObjects = new Map<string, string>();
  const releases = new Map<string, Record<string, unknown>>();
  /** Tags GitHub refuses to write, as it does for GITHUB_TOKEN across a workflow change. */
  const refuse = new Set<string>();
  /** Every write, in order: "POST tag v1.1.0", "PATCH tag v1 force", "POST release v1.1.0". */
  const writes: string[] = [];

  const body = async (request: IncomingMessage) => {
    let text = '';
    for await (const chunk of request) text += chunk;
    return JSON.parse(text) as Record<string, unknown>;
  };
  const refusal = (tag: string) => ({
    status: 422,
    data: {
      message: `refusing to allow a GitHub App to create or update workflow \`.github/workflows/ci.yml\` without \`workflows\` permission (${tag})`,
    },
  });

  async function answer(request: IncomingMessage): Promise<{ status: number; data?: unknown }> {
    if (request.headers.authorization !== `Bearer ${token}`) {
      return { status: 401, data: { message: 'Bad credentials' } };
    }
    const path = (request.url ?? '').replace(/^\/repos\/dnsops\/x\//, '');
    // "GET git/ref/tags" for /git/ref/tags/v1, with the last part (a tag or an object sha) apart.
    const [, collection = path, name = ''] = /^(.+)\/([^/]+)$/.exec(path) ?? [];
    switch (`${request.method} ${collection}`) {
      case 'GET git/ref/tags': {
        const ref = refs.get(name);
        return ref ? { status: 200, data: { ref: `refs/tags/${name}`, object: ref } } : { status: 404 };
      }
      case 'GET git/tags': {
        const commit = tagObjects.get(name);
        return commit ? { status: 200, data: { object: { type: 'commit', sha: commit } } } : { status: 404 };
      }
      case 'PATCH git/refs/tags': {
        const { sha, force } = (await body(request)) as { sha: string; force?: boolean };
        if (refuse.has(name)) return refusal(name);
        if (!refs.has(name) || force !== true) {
          return { status: 422, data: { message: 'Update is not a fast forward' } };
        }
        refs.set(name, { type: 'commit', sha });
        writes.push(`PATCH tag ${name}`);
        return { status: 200, data: {} };
      }
      case 'GET releases/tags':
        return releases.has(name)
          ? { status: 200, data: { html_url: `https://github.test/${name}` } }
          : { status: 404 };
    }
    if (request.method === 'POST' && path === 'git/refs') {
      const { ref, sha } = (await body(request)) as { ref: string; sha: string };
      const tag = ref.replace(/^refs\/tags\//, '');
      if (refuse.has(tag)) return refusal(tag);
      if (refs.has(tag)) return { status: 422, data: { message: 'Reference already exists' } };
      refs.set(tag, { type: 'commit', sha });
      writes.push(`POST tag ${tag}`);
      return { status: 201, data: { ref } };
    }
    if (request.method === 'POST' && path === 'releases') {
      const release = await body(request);
      const tag = String(release.tag_name);
      // GitHub would make a missing tag from the default branch; here that is a mistake to catch.
      if (!refs.has(tag)) return { status: 422, data: { message: `no tag ${tag} yet` } };
      releases.set(tag, release);
      writes.push(`POST release ${tag}`);
      return { status: 201, data: { html_url: `https://github.test/${tag}` } };
    }
    return { status: 404, data: { message: 'Not Found' } };
  }

  const server = createServer((request, response) => {
    answer(request).then(({ status, data }) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(data ?? { message: 'Not Found' }));
    });
  });
  return {
    refs,
    tagObjects,
    releases,
    refuse,
    writes,
    listen: () =>
      new Promise<string>((done) =>
        server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

describe('node scripts/release/publish.ts <version> <notes file>', () => {
  const SHA = 'a'.repeat(40);
  const OLD = 'b'.repeat(40);
  const TOKEN = 'ghs_test-token-never-printed';
  const dir = mkdtempSync(join(tmpdir(), 'release-publish-'));
  const notesFile = join(dir, 'notes.md');
  writeFileSync(notesFile, '### Added\n\n- Debug logging.\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let github: ReturnType<typeof fakeGitHub>;
  let url: string;
  beforeEach(async () => {
    github = fakeGitHub(TOKEN);
    url = await github.listen();
  });
  afterEach(() => github.close());

  async function publish(tokenName = 'GITHUB_TOKEN'): Promise<Exit> {
    const env = {
      PATH,
      GITHUB_SHA: SHA,
      GITHUB_REPOSITORY: 'dnsops/x',
      GITHUB_API_URL: url,
      GH_TOKEN: TOKEN,
      TOKEN_NAME: tokenName,
    };
    const result = await exec(process.execPath, [join(ROOT, 'scripts/release/publish.ts'), '1.1.0', notesFile], {
      env,
    });
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
    return result;
  }

  it('a first release: tags v1.1.0 and v1 on the commit, then publishes the release with the notes', async () => {
    const result = await publish();
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(github.writes).toEqual(['POST tag v1.1.0', 'POST tag v1', 'POST release v1.1.0']);
    expect(github.refs.get('v1.1.0')).toEqual({ type: 'commit', sha: SHA });
    expect(github.refs.get('v1')).toEqual({ type: 'commit', sha: SHA });
    expect(github.releases.get('v1.1.0')).toEqual({
      tag_name: 'v1.1.0',
      name: 'v1.1.0',
      body: '### Added\n\n- Debug logging.',
      make_latest: 'true',
    });
    expect(result.stdout).toContain('The release v1.1.0 is published: https://github.test/v1.1.0');
  });

  it('moves v1 from the previous release, forced', async () => {
    github.refs.set('v1.0.0', { type: 'commit', sha: OLD });
    github.refs.set('v1', { type: 'commit', sha: OLD });
    const result = await publish();
    expect(result.code).toBe(0);
    expect(github.writes).toEqual(['POST tag v1.1.0', 'PATCH tag v1', 'POST release v1.1.0']);
    expect(github.refs.get('v1')?.sha).toBe(SHA);
    expect(result.stdout).toContain(`v1 moved from ${OLD} to ${SHA}`);
  });

  it('when GitHub refuses to move v1, publishes no release and says what to do; the re-run finishes', async () => {
    github.refs.set('v1', { type: 'commit', sha: OLD });
    github.refuse.add('v1');
    const refused = await publish('GITHUB_TOKEN');
    expect(refused.code).toBe(1);
    expect(github.writes).toEqual(['POST tag v1.1.0']);
    expect(github.releases.size).toBe(0);
    expect(refused.stderr).toMatch(
      /^::error::GitHub refused to write the tag v1 with GITHUB_TOKEN \(PATCH .*refusing to allow/,
    );
    expect(refused.stderr).toContain('add a RELEASE_TOKEN repository secret');
    expect(refused.stderr).toContain(`git tag -f v1 ${SHA} && git push -f origin v1`);

    // The maintainer adds RELEASE_TOKEN (GitHub now lets the tag move) and re-runs the failed job.
    github.refuse.clear();
    const rerun = await publish('RELEASE_TOKEN');
    expect(rerun).toMatchObject({ code: 0, stderr: '' });
    expect(rerun.stdout).toContain(`v1.1.0 already points to ${SHA}: kept`);
    expect(github.writes).toEqual(['POST tag v1.1.0', 'PATCH tag v1', 'POST release v1.1.0']);
  });

  it('names RELEASE_TOKEN and its permissions when GitHub refuses that token', async () => {
    github.refuse.add('v1.1.0');
    const result = await publish('RELEASE_TOKEN');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GitHub refused to write the tag v1.1.0 with RELEASE_TOKEN');
    expect(result.stderr).toContain('Check that RELEASE_TOKEN still has Contents and Workflows write');
    expect(github.writes).toEqual([]);
  });

  it('stops, writing nothing, when v1.1.0 is on another commit', async () => {
    github.refs.set('v1.1.0', { type: 'commit', sha: OLD });
    const result = await publish();
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `::error::v1.1.0 exists already on ${OLD}, not on this run's commit ${SHA}: release a new version\n`,
    );
    expect(github.writes).toEqual([]);
  });

  it('keeps everything when all is done already, following an annotated tag to its commit', async () => {
    github.refs.set('v1.1.0', { type: 'tag', sha: 'c'.repeat(40) });
    github.tagObjects.set('c'.repeat(40), SHA);
    github.refs.set('v1', { type: 'commit', sha: SHA });
    github.releases.set('v1.1.0', { tag_name: 'v1.1.0' });
    const result = await publish();
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(github.writes).toEqual([]);
    expect(result.stdout.split('\n').filter((line) => line.includes('kept'))).toHaveLength(3);
  });
});
