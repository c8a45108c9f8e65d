// Short messages for many zones: at most 10 named, the rest counted; at most 4,000 characters.
import { describe, expect, it } from 'vitest';
import { capMessage, MAX_MESSAGE, shortList } from '../src/short-list.ts';

const zones = (n: number) => Array.from({ length: n }, (_, i) => `zone${i + 1}.example.com`);

describe('shortList', () => {
  it('names up to 10 items as they are', () => {
    expect(shortList([])).toBe('');
    expect(shortList(zones(2))).toBe('zone1.example.com, zone2.example.com');
    expect(shortList(zones(10)).split(', ')).toHaveLength(10);
  });

  it('names the first 10, then says how many more and where they are', () => {
    const listed = shortList(zones(300));
    expect(listed).toBe(`${zones(10).join(', ')}, and 290 more (see the job summary)`);
    expect(shortList(zones(11), '\n')).toBe(`${zones(10).join('\n')}\nand 1 more (see the job summary)`);
    expect(shortList(zones(5), ', ', 3)).toBe(
      'zone1.example.com, zone2.example.com, zone3.example.com, and 2 more (see the job summary)',
    );
  });
});

describe('capMessage', () => {
  it('keeps a message that fits', () => {
    const fits = 'x'.repeat(MAX_MESSAGE);
    expect(capMessage(fits)).toBe(fits);
  });

  it('cuts a longer one to 4,000 characters, at a line end when one is near, and says how much is left out', () => {
    const lines = zones(1_000).map((name) => `${name}: 429 (code 971)`);
    const message = lines.join('\n');
    const capped = capMessage(message);
    expect(capped.length).toBeLessThanOrEqual(MAX_MESSAGE);
    expect(capped.length).toBeGreaterThan(MAX_MESSAGE - 200);
    const [kept, note] = capped.split('…');
    expect(kept?.endsWith('(code 971)\n')).toBe(true);
    expect(note).toBe(` (${message.length - (kept?.length ?? 0)} more characters: see the job summary)`);
  });

  it('cuts a message without line ends anywhere, but never inside a character', () => {
    const capped = capMessage('😀'.repeat(3_000), 100);
    expect(capped.length).toBeLessThanOrEqual(100);
    expect(capped).not.toMatch(/[\uD800-\uDBFF]…/);
    expect(capMessage('a'.repeat(5_000), 100)).toMatch(/^a+… \(\d+ more characters: see the job summary\)$/);
  });
});
