// README.md documents every input and output of action.yml with the same words, and nothing else.
// Rows: | `name` | description | default | under "## Inputs", | `name` | description | under "## Outputs".
import { describe, expect, it } from 'vitest';
import { actionYml, readIfExists } from './files.ts';
import { type TableRow, tableUnder, unquoteCode } from './markdown.ts';

const action = actionYml();
const readme = readIfExists('README.md') ?? '';

interface Documented {
  name: string;
  description: string;
  default?: string;
}

function compare(kind: string, rows: TableRow[] | undefined, declared: Record<string, Documented>): string[] {
  if (rows === undefined) return [`README.md has no table under a "## ${kind}" heading`];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { line, cells } of rows) {
    const name = unquoteCode(cells[0] ?? '');
    seen.add(name);
    const want = declared[name];
    if (!want) {
      problems.push(`README.md:${line}: "${name}" is not in action.yml ${kind.toLowerCase()}`);
      continue;
    }
    if (cells[1] !== want.description) {
      problems.push(
        `README.md:${line}: description of "${name}" differs from action.yml\n  README:     ${cells[1]}\n  action.yml: ${want.description}`,
      );
    }
    if (cells.length > 2 && unquoteCode(cells[2] ?? '') !== (want.default ?? '')) {
      problems.push(
        `README.md:${line}: default of "${name}" is "${cells[2]}", action.yml says "${want.default ?? ''}"`,
      );
    }
  }
  for (const name of Object.keys(declared)) {
    if (!seen.has(name)) problems.push(`README.md: ${kind.toLowerCase()} table lacks "${name}"`);
  }
  return problems;
}

describe('README.md tables match action.yml', () => {
  it('README.md exists', () => {
    expect(readme).not.toBe('');
  });

  it('inputs: | `name` | description | default |', () => {
    const declared = Object.fromEntries(
      Object.entries(action.inputs ?? {}).map(([name, input]) => [
        name,
        { name, description: input.description, default: input.default },
      ]),
    );
    expect(compare('Inputs', tableUnder(readme, 'Inputs'), declared)).toEqual([]);
  });

  it('outputs: | `name` | description |', () => {
    const declared = Object.fromEntries(
      Object.entries(action.outputs ?? {}).map(([name, output]) => [name, { name, description: output.description }]),
    );
    expect(compare('Outputs', tableUnder(readme, 'Outputs'), declared)).toEqual([]);
  });
});
