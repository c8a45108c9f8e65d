// The release workflow's notes: the CHANGELOG.md section of the version, refused when it is missing.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
