import { describe, expect, it } from 'vitest';
import { afterFiles, contextBudget, fitWhole } from '../../../core/context/budget.js';
import { assembleContext } from '../../../core/context/assemble.js';

describe('the context budget', () => {
  it('a small embedded model gives most of its window to the code, a large one keeps room for a map', () => {
    const small = contextBudget(8192, 1024);
    expect(small.total).toBe(8192 - 1024 - 700);
    expect(small.files / small.total).toBeCloseTo(0.6, 2);
    expect(small.map / small.total).toBeLessThan(0.05);
    const large = contextBudget(128_000, 8192);
    expect(large.map / large.total).toBeCloseTo(0.25, 2);
    expect(large.files + large.tests + large.map + large.feedback).toBeLessThanOrEqual(large.total);
  });

  it('a window smaller than the reply leaves nothing, never a negative budget', () => {
    expect(contextBudget(512, 1024)).toEqual({ total: 0, files: 0, tests: 0, map: 0, feedback: 0 });
  });

  it("the files' spare share passes to the tests", () => {
    const b = contextBudget(32_768, 4096);
    const after = afterFiles(b, 1000);
    expect(after.files).toBe(1000);
    expect(after.tests).toBe(b.tests + b.files - 1000);
    expect(afterFiles(b, b.files * 2).tests).toBe(b.tests);
  });

  it('fits whole files, cutting one that does not fit and still trying the rest', () => {
    const items = [
      { path: 'a', content: 'x'.repeat(300) },
      { path: 'big', content: 'x'.repeat(3000) },
      { path: 'c', content: 'x'.repeat(300) },
    ];
    const fitted = fitWhole(items, 300);
    expect(fitted.kept.map((i) => i.path)).toEqual(['a', 'c']);
    expect(fitted.cut).toEqual(['big']);
    expect(fitted.spare).toBe(300 - 2 * 120);
  });
});

describe('assembleContext', () => {
  const changing = [{ path: 'src/keys.py', content: 'def typedkey(): ...\n' }];
  const tests = [
    { path: 'tests/test_keys.py', content: 'x'.repeat(3000), links: ['failing' as const, 'imports' as const] },
    { path: 'tests/test_huge.py', content: 'x'.repeat(300_000), links: ['named' as const] },
  ];
  const renderMap = (tokens: number) => ({
    text: 'src/func.py:\n  def ttl_cache(maxsize)\n',
    tokens: 12,
    files: ['src/func.py'],
    omitted: tokens > 1000 ? 0 : 7,
  });

  it('reports what was shown and cut, and renders the map in what the tests left', () => {
    let asked = 0;
    const ctx = assembleContext({ contextTokens: 32_768, maxOutputTokens: 4096 }, { changing, tests, renderMap: (t) => ((asked = t), renderMap(t)) });
    expect(ctx.tests.map((t) => t.path)).toEqual(['tests/test_keys.py']);
    expect(ctx.map).toContain('ttl_cache');
    expect(asked).toBeGreaterThan(contextBudget(32_768, 4096).map);
    expect(ctx.report).toEqual([
      'files to change: 1',
      'tests: 1 file shown (tests/test_keys.py: failing+imports); cut for the budget: tests/test_huge.py',
      `map: 1 file shown, 0 omitted (12 of ${asked} tokens)`,
    ]);
  });

  it('says when there is no test and no map', () => {
    const ctx = assembleContext({ contextTokens: 4096, maxOutputTokens: 768 }, { changing, tests: [] });
    expect(ctx.tests).toEqual([]);
    expect(ctx.map).toBeUndefined();
    expect(ctx.report.slice(1)).toEqual(['tests: none found that import or are named after the files to change', 'map: none']);
  });

  it('a failing test too long to show whole is shown by the lines around its failure', () => {
    const long = Array.from({ length: 3000 }, (_, i) => `    assert step(${i}) == ${i}`).join('\n');
    const ctx = assembleContext(
      { contextTokens: 8192, maxOutputTokens: 1024 },
      { changing, tests: [{ path: 'tests/test_keys.py', content: long, links: ['failing'], failingLines: [1500] }] },
    );
    expect(ctx.tests).toHaveLength(1);
    expect(ctx.tests[0]!.content).toMatch(/^# … lines 1470-1508 …\n/);
    expect(ctx.report[1]).toBe('tests: 1 file shown (tests/test_keys.py: failing, lines 1470-1508 around the failure)');
  });

  it("what the map's share leaves unused goes to the tests", () => {
    const tiny = () => ({ text: 'a.py:\n  def a()\n', tokens: 5, files: ['a.py'], omitted: 0 });
    const big = { path: 'tests/test_big.py', content: 'x'.repeat(80_000), links: ['named' as const] };
    const ctx = assembleContext({ contextTokens: 128_000, maxOutputTokens: 8192 }, { changing, tests: [big], renderMap: tiny });
    expect(ctx.tests.map((t) => t.path)).toEqual(['tests/test_big.py']);
    expect(ctx.map).toContain('def a()');
  });

  it('says when files to change exceed their share', () => {
    const ctx = assembleContext({ contextTokens: 4096, maxOutputTokens: 768 }, { changing: [{ path: 'a.py', content: 'x'.repeat(30_000) }], tests: [] });
    expect(ctx.report[0]).toMatch(/^files to change: 1, trimmed to \d+ of 10000 tokens$/);
  });
});
