// renderMap: paths and signatures of the best-ranked files, never past the token budget, with the
// files left out counted.
import { describe, expect, it } from 'vitest';
import type { FileSymbols, RepoMap } from '../../../core/contracts/repo-map.js';
import { estimateTokens, rankFiles, renderMap } from '../../../core/repo-map/index.js';

const file = (path: string, n: number, isTest = false): FileSymbols => ({
  path,
  language: 'typescript',
  definitions: Array.from({ length: n }, (_, i) => ({
    name: `fn${i}`,
    kind: 'function',
    line: i * 3 + 1,
    signature: `export function fn${i}(a: number): number {`,
  })),
  references: [],
  isTest,
});
const map: RepoMap = { commit: 'abc', files: [file('src/a.ts', 3), file('src/b.ts', 10), file('src/c.test.ts', 2, true), file('src/d.ts', 0)] };
const ranked = rankFiles(map, { goal: '', files: [], failingTests: [] });

describe('renderMap', () => {
  it('prints each file with its signatures, tests marked, in rank order', () => {
    const r = renderMap(map, ranked, 10_000);
    expect(r.files).toEqual(ranked.map((x) => x.path));
    expect(r.omitted).toBe(0);
    expect(r.text).toContain('src/a.ts:\n  1: export function fn0(a: number): number {\n');
    expect(r.text).toContain('src/c.test.ts (test):\n');
    expect(r.tokens).toBe(estimateTokens(r.text));
  });

  it('never exceeds the budget, for every budget from 0 up, and counts what it left out', () => {
    const whole = renderMap(map, ranked, 10_000).tokens;
    const order = ranked.map((x) => x.path);
    for (let budget = 0; budget <= whole + 5; budget++) {
      const r = renderMap(map, ranked, budget);
      expect(r.tokens).toBeLessThanOrEqual(budget);
      expect(r.tokens).toBe(estimateTokens(r.text));
      expect(r.files.length + r.omitted).toBe(map.files.length);
      expect(r.files).toEqual(order.filter((p) => r.files.includes(p)));
    }
    expect(renderMap(map, ranked, 0)).toEqual({ text: '', tokens: 0, files: [], omitted: 4, truncated: 0 });
    expect(renderMap(map, ranked, -5).files).toEqual([]);
  });

  it('a file too big for what is left shows its first signatures and how many more there are', () => {
    const big: RepoMap = { commit: 'abc', files: [file('src/big.ts', 40)] };
    const r = renderMap(big, rankFiles(big, { goal: '', files: [], failingTests: [] }), 60);
    expect(r.truncated).toBe(1);
    expect(r.files).toEqual(['src/big.ts']);
    expect(r.text).toMatch(/^src\/big\.ts:\n {2}1: export function fn0/);
    expect(r.text).toMatch(/ {2}… \d+ more\n$/);
    expect(r.tokens).toBeLessThanOrEqual(60);
  });

  it("leaves out the files to skip (the focus's own files) without counting them as omitted", () => {
    const r = renderMap(map, ranked, 10_000, ['src/b.ts']);
    expect(r.files).not.toContain('src/b.ts');
    expect(r.omitted).toBe(0);
  });

  it('cuts a very long signature and ignores ranked paths the map does not hold', () => {
    const long: RepoMap = {
      commit: 'x',
      files: [{ ...file('src/long.ts', 0), definitions: [{ name: 'f', kind: 'function', line: 1, signature: 'x'.repeat(5_000) }] }],
    };
    const r = renderMap(
      long,
      [
        { path: 'gone.ts', score: 1, reasons: [] },
        { path: 'src/long.ts', score: 0.5, reasons: [] },
      ],
      1_000,
    );
    expect(r.files).toEqual(['src/long.ts']);
    expect(r.text.length).toBeLessThan(300);
  });
});
