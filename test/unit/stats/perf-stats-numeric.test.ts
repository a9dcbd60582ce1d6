import { describe, it, expect } from 'vitest';
import { mulberry32 } from '../../../core/stats/seeded-random.js';
import { coefficientOfVariation, erfc, quantileSorted, selectInPlace } from '../../../core/stats/perf/numeric.js';

describe('mulberry32', () => {
  it('is deterministic per seed and uniform-ish in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
    expect(mulberry32(43)()).not.toBe(mulberry32(42)());
  });
});

describe('erfc', () => {
  it('matches tabulated values to ~1e-7 relative', () => {
    const table: Array<[number, number]> = [
      [0, 1],
      [0.5, 0.4795001222],
      [1, 0.1572992071],
      [2, 0.004677734981],
      [3, 2.2090497e-5],
      [-1, 1.8427007929],
    ];
    for (const [x, want] of table) expect(Math.abs(erfc(x) - want) / want).toBeLessThan(2e-7);
  });
});

describe('coefficientOfVariation', () => {
  it('is the sample sd (n-1) over the mean, and 0 below two values', () => {
    expect(coefficientOfVariation([1, 2, 3])).toBeCloseTo(0.5, 12);
    expect(coefficientOfVariation([-1, -2, -3])).toBeCloseTo(0.5, 12);
    expect(coefficientOfVariation([7])).toBe(0);
    expect(coefficientOfVariation([])).toBe(0);
  });
});

describe('selectInPlace', () => {
  it('finds the k-th smallest of a prefix, ties included, and leaves smaller values in front', () => {
    const values = [5, 1, 4, 1, 5, 9, 2, 6, 5, 3];
    const sorted = [...values].sort((a, b) => a - b);
    for (let k = 0; k < values.length; k++) {
      const a = Float64Array.from(values);
      expect(selectInPlace(a, a.length, k)).toBe(sorted[k]);
      for (let i = 0; i < k; i++) expect(a[i]).toBeLessThanOrEqual(sorted[k]!);
    }
    expect(selectInPlace(Float64Array.from([3, 2, 1, 0]), 3, 0)).toBe(1); // only the first len values count
  });
});

describe('quantileSorted', () => {
  it('interpolates linearly between order statistics (R type 7)', () => {
    const xs = Float64Array.from([1, 2, 4, 8]);
    expect(quantileSorted(xs, 0)).toBe(1);
    expect(quantileSorted(xs, 1)).toBe(8);
    expect(quantileSorted(xs, 0.5)).toBe(3);
    expect(quantileSorted(xs, 0.25)).toBeCloseTo(1.75, 12);
    expect(quantileSorted(Float64Array.from([7]), 0.9)).toBe(7);
  });
});
