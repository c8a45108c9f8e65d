// Publishes a release the verify job passed: the tag vX.Y.Z and the major tag (v1) on the verified commit,
// then the GitHub release. Tags first, so that a release never exists without them. Safe to re-run: a tag
// or release already there on this commit is kept, which finishes what a failed run began; vX.Y.Z on
// another commit is an error (only the major tag moves).
// Usage: node scripts/release/publish.ts X.Y.Z notes.md, with GITHUB_SHA, GITHUB_REPOSITORY and
// GITHUB_API_URL (the runner sets them), GH_TOKEN, and TOKEN_NAME: the secret GH_TOKEN came from.
import { readFileSync } from 'node:fs';
import { checkVersion } from './changelog.ts';
import { type GitHub, GitHubError, gitHub } from './github.ts';

interface GitObject {
  object: { type: string; sha: string };
}

/** The commit a tag points at, or undefined when there is no such tag. */
async function commitOf(github: GitHub, tag: string): Promise<string | undefined> {
  const ref = await github.get<GitObject>(`git/ref/tags/${tag}`);
  if (ref === undefined) return undefined;
  let { object } = ref;
  // An annotated tag (git tag -a) points at a tag object, which points at the commit.
  while (object.type === 'tag') {
    const tagObject = await github.get<GitObject>(`git/tags/${object.sha}`);
    if (tagObject === undefined) throw new Error(`${tag}: tag object ${object.sha} not found`);
    object = tagObject.object;
  }
  return object.sha;
}

interface Run {
  github: GitHub;
  version: string;
  sha: string;
  tokenName: string;
}

/** What to do when GitHub refuses a tag: the usual cause is GITHUB_TOKEN and a change to .github/workflows/. */
function refused(run: Run, tag: string, error: GitHubError): Error {
  const fix =
    run.tokenName === 'GITHUB_TOKEN'
      ? 'GITHUB_TOKEN may not move a tag to a commit whose .github/workflows/ differ: add a RELEASE_TOKEN ' +
        'repository secret (fine-grained token or GitHub App token with Contents and Workflows write; README, "Releasing")'
      : `Check that ${run.tokenName} still has Contents and Workflows write on this repository and may bypass tag rulesets`;
  return new Error(
    `GitHub refused to write the tag ${tag} with ${run.tokenName} (${error.message}). ${fix} and re-run this ` +
      `workflow, or have a maintainer run "git fetch --tags --force && git tag -f ${tag} ${run.sha} && ` +
      `git push -f origin ${tag}" and re-run it; what this run made is kept.`,
  );
}

async function writeTag(run: Run, tag: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    throw error instanceof GitHubError ? refused(run, tag, error) : error;
  }
}

/** Creates the tag on run.sha, keeps it when it is there already, and moves it only when `movable`. */
async function placeTag(run: Run, tag: string, movable: boolean): Promise<void> {
  const { github, sha } = run;
  const current = await commitOf(github, tag);
  if (current === sha) {
    console.log(`${tag} already points to ${sha}: kept`);
  } else if (current === undefined) {
    await writeTag(run, tag, () => github.send('POST', 'git/refs', { ref: `refs/tags/${tag}`, sha }));
    console.log(`${tag} created on ${sha}`);
  } else if (movable) {
    await writeTag(run, tag, () => github.send('PATCH', `git/refs/tags/${tag}`, { sha, force: true }));
    console.log(`${tag} moved from ${current} to ${sha}`);
  } else {
    throw new Error(`${tag} exists already on ${current}, not on this run's commit ${sha}: release a new version`);
  }
}

async function publishRelease(run: Run, notes: string): Promise<void> {
  const tag = `v${run.version}`;
  const existing = await run.github.get<{ html_url: string }>(`releases/tags/${tag}`);
  if (existing !== undefined) {
    console.log(`The release ${tag} exists already: kept (${existing.html_url})`);
    return;
  }
  const body = { tag_name: tag, name: tag, body: notes, make_latest: 'true' };
  const created = await run.github.send<{ html_url: string }>('POST', 'releases', body);
  console.log(`The release ${tag} is published: ${created.html_url}`);
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** Workflow command data may not hold line breaks or a bare %. */
const escapeCommand = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

const [version = '', notesFile = ''] = process.argv.slice(2);
try {
  checkVersion(version);
  if (notesFile === '') throw new Error('give the notes file: node scripts/release/publish.ts X.Y.Z notes.md');
  const sha = env('GITHUB_SHA');
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`GITHUB_SHA "${sha}" is not a commit`);
  const run: Run = {
    github: gitHub(process.env.GITHUB_API_URL || 'https://api.github.com', env('GITHUB_REPOSITORY'), env('GH_TOKEN')),
    version,
    sha,
    tokenName: process.env.TOKEN_NAME || 'GITHUB_TOKEN',
  };
  const notes = readFileSync(notesFile, 'utf8').trim();
  await placeTag(run, `v${version}`, false);
  await placeTag(run, `v${version.split('.')[0]}`, true);
  await publishRelease(run, notes);
} catch (error) {
  process.stderr.write(`::error::${escapeCommand(error instanceof Error ? error.message : String(error))}\n`);
  process.exitCode = 1;
}
