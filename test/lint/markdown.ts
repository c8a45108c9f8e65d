// Reads the parts of README.md that the lint tests check: fenced YAML blocks and the inputs/outputs tables.

export interface CodeBlock {
  /** 1-based line, in the markdown file, of the block's first content line (the one after the fence). */
  line: number;
  text: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/;

/** Every fenced block whose info string is yaml or yml, with where it starts. */
export function extractYamlBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[1] ?? '```';
    const language = (open[2] ?? '').toLowerCase();
    const body: string[] = [];
    let j = i + 1;
    // A fence closes with at least as many of the same character and nothing else on the line.
    const closes = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    while (j < lines.length && !closes.test(lines[j] ?? '')) body.push(lines[j++] ?? '');
    if (language === 'yaml' || language === 'yml') blocks.push({ line: i + 2, text: `${body.join('\n')}\n` });
    i = j;
  }
  return blocks;
}

/** A workflow file has the top-level keys `on` and `jobs`; a lone step or action.yml snippet has not. */
export function isWorkflow(yaml: string): boolean {
  return /^(?:on|"on"|'on')[ \t]*:/m.test(yaml) && /^jobs[ \t]*:/m.test(yaml);
}

export function extractWorkflowBlocks(markdown: string): CodeBlock[] {
  return extractYamlBlocks(markdown).filter((block) => isWorkflow(block.text));
}

export interface TableRow {
  /** 1-based line in the markdown file. */
  line: number;
  cells: string[];
}

/** Splits a `| a | b |` row on pipes that are not escaped (`\|`) and not inside a code span. */
export function splitRow(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  const body = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char === '\\' && body[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (char === '`') {
      inCode = !inCode;
      cell += char;
    } else if (char === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += char;
    }
  }
  cells.push(cell.trim());
  return cells;
}

/**
 * The body rows of the first table under the heading whose text is `heading` (any level), up to the next
 * heading. Returns undefined when there is no such heading or no table under it.
 */
export function tableUnder(markdown: string, heading: string): TableRow[] | undefined {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((line) => /^#{1,6}\s/.test(line) && line.replace(/^#+\s*/, '').trim() === heading);
  if (start < 0) return undefined;
  let i = start + 1;
  while (i < lines.length && !/^#{1,6}\s/.test(lines[i] ?? '') && !(lines[i] ?? '').trim().startsWith('|')) i++;
  const header = lines[i] ?? '';
  const separator = lines[i + 1] ?? '';
  if (!header.trim().startsWith('|') || !/^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(separator))
    return undefined;
  const rows: TableRow[] = [];
  for (let j = i + 2; j < lines.length && (lines[j] ?? '').trim().startsWith('|'); j++) {
    rows.push({ line: j + 1, cells: splitRow(lines[j] ?? '') });
  }
  return rows;
}

/** `` `name` `` → `name`; a cell that is one code span loses its backticks, anything else is kept. */
export function unquoteCode(cell: string): string {
  const match = /^`([^`]*)`$/.exec(cell.trim());
  return match ? (match[1] ?? '') : cell.trim();
}
