// Unit tests of the README readers the lint tests rely on.
import { describe, expect, it } from 'vitest';
import { extractWorkflowBlocks, extractYamlBlocks, isWorkflow, splitRow, tableUnder, unquoteCode } from './markdown.ts';

const doc = [
  '# Title', // 1
  '', // 2
  '```yaml', // 3
  'name: one', // 4
  'on: push', // 5
  'jobs:', // 6
  '  a:', // 7
  '    runs-on: ubuntu-latest', // 8
  '```', // 9
  '', // 10
  '```yaml', // 11
  '- uses: owner/repo@v1', // 12
  '```', // 13
  '', // 14
  '```sh', // 15
  'on: push', // 16
  'jobs:', // 17
  '```', // 18
  '', // 19
  '````yml title="nested"', // 20
  '"on":', // 21
  '  workflow_dispatch:', // 22
  '```', // 23
  'jobs: {}', // 24
  '````', // 25
].join('\n');

describe('extractYamlBlocks', () => {
  it('finds yaml and yml blocks with the line of their first content line', () => {
    const blocks = extractYamlBlocks(doc);
    expect(blocks.map((block) => block.line)).toEqual([4, 12, 21]);
    expect(blocks[0]?.text).toBe('name: one\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n');
  });

  it('closes a fence only with at least as many fence characters', () => {
    expect(extractYamlBlocks(doc)[2]?.text).toBe('"on":\n  workflow_dispatch:\n```\njobs: {}\n');
  });

  it('returns nothing for markdown without yaml blocks', () => {
    expect(extractYamlBlocks('# nothing\n\n```js\nx\n```\n')).toEqual([]);
  });

  it('handles CRLF line ends and an unclosed fence', () => {
    expect(extractYamlBlocks('a\r\n```yaml\r\non: push\r\njobs: {}\r\n')).toEqual([
      { line: 3, text: 'on: push\njobs: {}\n\n' },
    ]);
  });
});

describe('extractWorkflowBlocks', () => {
  it('keeps only blocks with top-level on: and jobs:', () => {
    expect(extractWorkflowBlocks(doc).map((block) => block.line)).toEqual([4, 21]);
  });

  it('ignores indented on:/jobs: keys', () => {
    expect(isWorkflow('steps:\n  on: x\n  jobs: y\n')).toBe(false);
    expect(isWorkflow("'on': push\njobs:\n")).toBe(true);
  });
});

describe('tables', () => {
  const md = [
    '## Inputs', // 1
    '', // 2
    'Some text.', // 3
    '', // 4
    '| name | description | default |', // 5
    '|---|---|---|', // 6
    '| `a` | First \\| with a pipe. | `x` |', // 7
    '| `b` | Uses `a|b` code. |  |', // 8
    '', // 9
    '## Outputs', // 10
    '', // 11
    '| name | description |', // 12
    '| :--- | ---: |', // 13
    '| `c` | Third. |', // 14
  ].join('\n');

  it('reads the first table under a heading, with line numbers', () => {
    expect(tableUnder(md, 'Inputs')).toEqual([
      { line: 7, cells: ['`a`', 'First | with a pipe.', '`x`'] },
      { line: 8, cells: ['`b`', 'Uses `a|b` code.', ''] },
    ]);
    expect(tableUnder(md, 'Outputs')).toEqual([{ line: 14, cells: ['`c`', 'Third.'] }]);
  });

  it('returns undefined without the heading or without a table before the next heading', () => {
    expect(tableUnder(md, 'Missing')).toBeUndefined();
    expect(tableUnder('## Inputs\ntext\n## Outputs\n| a |\n|---|\n| b |\n', 'Inputs')).toBeUndefined();
  });

  it('splits rows and unquotes code cells', () => {
    expect(splitRow('| `x` | y |')).toEqual(['`x`', 'y']);
    expect(unquoteCode('`update`')).toBe('update');
    expect(unquoteCode('plain `code` text')).toBe('plain `code` text');
  });
});
