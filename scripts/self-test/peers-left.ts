// What the self-test expects of the emulator's peers when the job ends, and the check of it.

export interface Expectation {
  /** Names that must exist exactly once: created, and neither duplicated by a re-run nor cleaned up. */
  present: string[];
  /** Names that must be gone: a post step with cleanup: true deleted them. */
  absent: string[];
}

/** One name per line; blank lines and surrounding spaces ignored (a YAML block scalar's shape). */
export function names(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** Every way the peers left differ from what is expected, one message each; empty when they match. */
export function checkPeersLeft(left: string[], expected: Expectation): string[] {
  const count = (name: string) => left.filter((peer) => peer === name).length;
  const problems: string[] = [];
  for (const name of expected.present) {
    const n = count(name);
    if (n !== 1) problems.push(`peer "${name}": expected exactly one after the job, found ${n}`);
  }
  for (const name of expected.absent) {
    const n = count(name);
    if (n !== 0) problems.push(`peer "${name}": expected none after the job (cleanup), found ${n}`);
  }
  return problems;
}
