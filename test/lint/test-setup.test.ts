// Every end-to-end suite starts its emulator through useEmulator() (test/use-emulator.ts): started once,
// reset before each test, held to the published contract after each, closed at the end. Suites that need
// special emulators (TLS behind a proxy, one per case) start their own; the check catches the common
// lifecycle written by hand.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../harness.ts';

const HAND_MADE_LIFECYCLE = /beforeAll\(async \(\) => \{\s*\w+ = await startEmulator\(/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

it('no suite starts its emulator in a beforeAll of its own', () => {
  const offenders = testFiles(join(ROOT, 'test')).filter((file) =>
    HAND_MADE_LIFECYCLE.test(readFileSync(file, 'utf8')),
  );
  expect(offenders.map((file) => relative(ROOT, file))).toEqual([]);
});

it('recognises a hand-made lifecycle', () => {
  const before = ['let em: Emulator;', 'beforeAll(async () => {', '  em = await startEmulator();', '});'].join('\n');
  expect(HAND_MADE_LIFECYCLE.test(before)).toBe(true);
  expect(HAND_MADE_LIFECYCLE.test('const em = useEmulator();')).toBe(false);
});
