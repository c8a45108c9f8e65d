// Release notes are the CHANGELOG.md section of the version (Keep a Changelog: `## [1.1.0] - 2026-12-01`).

const VERSION = /^\d+\.\d+\.\d+$/;
const SECTION = /^## \[([^\]]+)\](.*)$/;
const RELEASE_DATE = /^ - \d{4}-\d{2}-\d{2}\s*$/;
/** `[1.1.0]: https://…`, the link definitions Keep a Changelog puts after the last section. */
const LINK_DEFINITION = /^\[[^\]]+\]:\s+\S+/;

/** Throws unless `version` is X.Y.Z (no `v`: the tag adds it). */
export function checkVersion(version: string): void {
  if (!VERSION.test(version)) {
    throw new Error(`"${version}" is not a version: give it as X.Y.Z, for example 1.1.0 (the tag gets the v)`);
  }
}

/**
 * The body of the `## [version] - YYYY-MM-DD` section of a changelog, trimmed. Throws when the section is
 * missing, has no date, appears twice or says nothing, so a release cannot go out without its notes.
 */
export function releaseNotes(changelog: string, version: string): string {
  checkVersion(version);
  const lines = changelog.split(/\r?\n/);
  const starts = lines.flatMap((line, index) => (SECTION.exec(line)?.[1] === version ? [index] : []));
  if (starts.length === 0) {
    throw new Error(`CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section: move the Unreleased entries there`);
  }
  if (starts.length > 1) throw new Error(`CHANGELOG.md has ${starts.length} sections for ${version}`);
  const start = starts[0] as number;
  const [, , rest = ''] = SECTION.exec(lines[start] ?? '') ?? [];
  if (!RELEASE_DATE.test(rest)) {
    throw new Error(`CHANGELOG.md: the ${version} heading needs its release date: "## [${version}] - YYYY-MM-DD"`);
  }
  const next = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  const body = lines.slice(start + 1, next === -1 ? undefined : next);
  while (body.length > 0 && (body.at(-1)?.trim() === '' || LINK_DEFINITION.test(body.at(-1) ?? ''))) body.pop();
  const notes = body.join('\n').trim();
  if (notes === '') throw new Error(`CHANGELOG.md: the ${version} section is empty`);
  return notes;
}
