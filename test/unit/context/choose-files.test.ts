import { describe, expect, it } from 'vitest';
import { chooseFilesToChange, DEFAULT_CHOICE } from '../../../core/context/choose-files.js';
import { DEFAULT_PROTECTED } from '../../../core/run/file-rules.js';

const rules = { ...DEFAULT_CHOICE, protectedPaths: DEFAULT_PROTECTED };
const tracked = ['src/cachetools/__init__.py', 'src/cachetools/keys.py', 'src/cachetools/func.py', 'tests/test_keys.py', 'pyproject.toml', 'setup.py'];

describe('choosing the files to change', () => {
  it('the best-ranked code files above the cut-off, each with its reasons', () => {
    const ranked = [
      { path: 'src/cachetools/keys.py', score: 0.9, reasons: ['defines typedkey named in the goal'] },
      { path: 'src/cachetools/func.py', score: 0.6, reasons: ['references typedkey'] },
      { path: 'src/cachetools/__init__.py', score: 0.1, reasons: ['imports keys'] },
    ];
    expect(chooseFilesToChange(ranked, tracked, [], rules)).toEqual([
      { path: 'src/cachetools/keys.py', reasons: ['defines typedkey named in the goal'] },
      { path: 'src/cachetools/func.py', reasons: ['references typedkey'] },
    ]);
  });

  it('never a test or a protected file, however well ranked', () => {
    const ranked = [
      { path: 'tests/test_keys.py', score: 5, reasons: ['names typedkey'] },
      { path: 'setup.py', score: 4, reasons: ['names typedkey'] },
      { path: 'pyproject.toml', score: 4, reasons: [] },
      { path: '../outside.py', score: 4, reasons: [] },
      { path: 'src/cachetools/keys.py', score: 1, reasons: ['defines typedkey'] },
    ];
    expect(chooseFilesToChange(ranked, tracked, [], rules).map((c) => c.path)).toEqual(['src/cachetools/keys.py']);
  });

  it('with a red base, the file its failing test imports wins without any ranking', () => {
    const failing = [{ path: 'tests/test_keys.py', content: 'import unittest\nimport cachetools.keys\n' }];
    expect(chooseFilesToChange([], tracked, failing, rules)).toEqual([
      { path: 'src/cachetools/keys.py', reasons: ['imported by the failing test tests/test_keys.py, which is named after it'] },
    ]);
  });

  it('a file many failing tests import outranks the package they all import', () => {
    const failing = ['keys', 'cached', 'func'].map((n) => ({ path: `tests/test_${n}.py`, content: 'import cachetools\nimport cachetools.keys\n' }));
    const chosen = chooseFilesToChange([], tracked, failing, rules);
    // keys.py scores 3.5 (three imports, a name); the package 1.5, below the cut-off of half the best's
    // but clear of func.py (0.5, named after test_func.py) under it.
    expect(chosen.map((c) => c.path)).toEqual(['src/cachetools/keys.py', 'src/cachetools/__init__.py']);
    expect(chosen[0]!.reasons).toEqual([
      'imported by the failing test tests/test_keys.py, which is named after it',
      'imported by the failing test tests/test_cached.py',
      'linked to 1 more failing test file',
    ]);
  });

  it('chooses nothing when nothing scores', () => {
    expect(chooseFilesToChange([{ path: 'src/cachetools/keys.py', score: 0, reasons: [] }], tracked, [], rules)).toEqual([]);
    expect(chooseFilesToChange([], [], [], rules)).toEqual([]);
  });

  describe('below the cut-off, a file that stands clear of the files after it', () => {
    const scored = (...scores: number[]) => scores.map((score, i) => ({ path: `src/m${i}.py`, score, reasons: [] }));
    const chosen = (ranked: ReturnType<typeof scored>) => chooseFilesToChange(ranked, [], [], rules).map((c) => c.path);

    it('is chosen: a second file at 0.3 of the best, the next at a third of it (go-version: constraint.go, then version.go)', () => {
      expect(chosen(scored(1, 0.34, 0.05))).toEqual(['src/m0.py', 'src/m1.py']);
      expect(chooseFilesToChange(scored(1, 0.34, 0.05), [], [], { ...rules, clearOf: 0 })).toHaveLength(1);
    });

    it('is not chosen among near-equals: which of them is a guess', () => {
      expect(chosen(scored(1, 0.39, 0.35, 0.34))).toEqual(['src/m0.py']);
    });

    it('is not chosen under the floor, however clear', () => {
      expect(chosen(scored(1, 0.15, 0.01))).toEqual(['src/m0.py']);
    });

    it('is chosen when it is the last candidate (nothing under it), and never for a tie at the floor', () => {
      expect(chosen(scored(1, 0.25))).toEqual(['src/m0.py', 'src/m1.py']);
      expect(chosen(scored(1, 0.2, 0.2))).toEqual(['src/m0.py']);
    });

    it('ends the choice where a file is neither above the cut-off nor clear', () => {
      expect(chosen(scored(1, 0.6, 0.3, 0.29, 0.01))).toEqual(['src/m0.py', 'src/m1.py']);
    });
  });

  it('at most `max` files', () => {
    const ranked = Array.from({ length: 10 }, (_, i) => ({ path: `src/m${i}.py`, score: 1, reasons: [] }));
    expect(chooseFilesToChange(ranked, [], [], rules)).toHaveLength(3);
  });
});
