import { posix as node } from 'node:path';
import { describe, expect, it } from 'vitest';
import { posix } from '../../../core/paths/posix.js';

// Every path of up to six parts drawn from names, dots and slashes: the edge cases
// (leading `//`, `..` above the root, trailing slashes, `...`) all come out of it.
const PARTS = ['a', 'bc', '.', '..', '...', '/', '//', '.a'];
function* paths(max: number, prefix = ''): Generator<string> {
  yield prefix;
  if (max === 0) return;
  for (const part of PARTS) yield* paths(max - 1, prefix + part);
}
const all = [...new Set(paths(5))];

describe('posix paths without node:path', () => {
  it('normalizes, names folders and files as node:path does', () => {
    expect(all.length).toBeGreaterThan(15_000);
    for (const p of all) {
      expect([p, posix.normalize(p)]).toEqual([p, node.normalize(p)]);
      expect([p, posix.dirname(p)]).toEqual([p, node.dirname(p)]);
      expect([p, posix.basename(p)]).toEqual([p, node.basename(p)]);
    }
  });

  it('joins as node:path does', () => {
    const sample = all.filter((_, i) => i % 7 === 0);
    for (const a of sample) for (const b of ['', 'x', '../y', '/z/', '.', '..//w']) expect([a, b, posix.join(a, b)]).toEqual([a, b, node.join(a, b)]);
    expect(posix.join()).toBe(node.join());
    expect(posix.join('', '')).toBe(node.join('', ''));
    expect(posix.join('/home/u', '.local/bin')).toBe('/home/u/.local/bin');
  });
});
