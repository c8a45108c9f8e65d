// action.yml against GitHub's action metadata (strict), and the files it names.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionMetadata, BRANDING_COLORS, BRANDING_ICONS, describeIssues } from './action-schema.ts';
import { ROOT, rawActionYml } from './files.ts';

const valid = {
  name: 'x',
  description: 'y',
  branding: { icon: 'server', color: 'orange' },
  inputs: { a: { description: 'A', required: false, default: '1' } },
  outputs: { b: { description: 'B' } },
  runs: { using: 'node24', main: 'dist/index.js', post: 'dist/post/index.js', 'post-if': 'always()' },
};

function problems(metadata: unknown): string[] {
  const result = actionMetadata.safeParse(metadata);
  return result.success ? [] : describeIssues(result.error);
}

describe('action.yml', () => {
  const raw = rawActionYml();

  it('conforms to the action metadata schema', () => {
    expect(problems(raw)).toEqual([]);
  });

  it('names files that exist (runs.main, runs.pre, runs.post)', () => {
    const runs = actionMetadata.parse(raw).runs;
    const missing = [runs.main, runs.pre, runs.post]
      .filter((file): file is string => file !== undefined)
      .filter((file) => !existsSync(join(ROOT, file)));
    expect(missing, 'run npm run bundle').toEqual([]);
  });
});

describe('the action metadata schema', () => {
  it('accepts a complete JavaScript action', () => {
    expect(problems(valid)).toEqual([]);
    expect(problems({ ...valid, runs: { using: 'node20', main: 'index.js' } })).toEqual([]);
  });

  it('knows the icons and colours this project may want', () => {
    for (const icon of ['server', 'globe', 'cloud', 'shield', 'database']) expect(BRANDING_ICONS).toContain(icon);
    expect([...BRANDING_COLORS].sort()).toEqual(
      ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark'].sort(),
    );
  });

  it('rejects unknown keys at every level', () => {
    expect(problems({ ...valid, versions: 1 })).toEqual([expect.stringMatching(/^\(root\): .*versions/)]);
    expect(problems({ ...valid, inputs: { a: { description: 'A', requried: true } } })).toEqual([
      expect.stringMatching(/^inputs\.a: .*requried/),
    ]);
    expect(problems({ ...valid, outputs: { b: { description: 'B', value: 'x' } } })).toEqual([
      expect.stringMatching(/^outputs\.b: .*value/),
    ]);
    expect(problems({ ...valid, runs: { ...valid.runs, image: 'Dockerfile' } })).toEqual([
      expect.stringMatching(/^runs: .*image/),
    ]);
  });

  it('rejects what GitHub would not run or show', () => {
    const cases: [unknown, RegExp][] = [
      [{ ...valid, name: undefined }, /^name: /],
      [{ ...valid, description: ' ' }, /^description: /],
      [{ ...valid, branding: { icon: 'coffee' } }, /^branding\.icon: /],
      [{ ...valid, branding: { color: 'pink' } }, /^branding\.color: /],
      [{ ...valid, runs: { using: 'node16', main: 'x.js' } }, /^runs\.using: /],
      [{ ...valid, runs: { using: 'node24' } }, /^runs\.main: /],
      [
        { ...valid, runs: { using: 'node24', main: 'x.js', 'post-if': 'always()' } },
        /^runs\.post-if: post-if needs post/,
      ],
      [{ ...valid, runs: { using: 'node24', main: 'x.js', 'pre-if': 'always()' } }, /^runs\.pre-if: pre-if needs pre/],
      [{ ...valid, inputs: { a: { required: true } } }, /^inputs\.a\.description: /],
      [{ ...valid, inputs: { a: { description: 'A', required: 'yes' } } }, /^inputs\.a\.required: /],
      [
        { ...valid, inputs: { a: { description: 'A', default: 5 } } },
        /^inputs\.a\.default: default must be a quoted string/,
      ],
      [{ ...valid, inputs: { '1a': { description: 'A' } } }, /^inputs\.1a: input ids start with/],
      [{ ...valid, outputs: { 'b c': { description: 'B' } } }, /^outputs\.b c: output ids start with/],
      [{ ...valid, outputs: { b: {} } }, /^outputs\.b\.description: /],
    ];
    for (const [metadata, expected] of cases) {
      expect(problems(metadata), JSON.stringify(metadata)).toEqual([expect.stringMatching(expected)]);
    }
  });
});
