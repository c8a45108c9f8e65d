// Prints the release notes of a version, after checking that the repository is ready to release it:
// package.json has that version and CHANGELOG.md a dated section for it. Run from the repository root.
// Usage: npm run -s release-notes -- 1.1.0 > notes.md (npm runs it on the project's Node 24, which runs
// TypeScript as it is; -s keeps npm's banner out of the notes).
import { readFileSync } from 'node:fs';
import { checkVersion, releaseNotes } from './changelog.ts';

const version = process.argv[2] ?? '';
try {
  checkVersion(version);
  const { version: packageVersion } = JSON.parse(readFileSync('package.json', 'utf8')) as { version?: string };
  if (packageVersion !== version) {
    throw new Error(
      `package.json says version ${packageVersion}, not ${version}: prepare the release first (README, "Releasing")`,
    );
  }
  process.stdout.write(`${releaseNotes(readFileSync('CHANGELOG.md', 'utf8'), version)}\n`);
} catch (error) {
  process.stderr.write(`::error::${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
