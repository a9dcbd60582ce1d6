import { describe, it, expect } from 'vitest';
import { wilcoxonSignedRank } from '../../../core/stats/perf/wilcoxon.js';
import { normal } from '../../../core/stats/perf/synthetic-pairs.js';
import { mulberry32 } from '../../../core/stats/seeded-random.js';

/** Two-sided p by enumerating all 2^n sign patterns of the observed (Pratt) midranks. */
function enumerate(xs: number[]): number {
  const abs = xs.map(Math.abs);
  const sorted = [...abs].sort((a, b) => a - b);
  const rank = (a: number) => {
    const first = sorted.indexOf(a);
    const last = sorted.lastIndexOf(a);
    return (first + last) / 2 + 1;
  };
  const used = xs.flatMap((x) => (x === 0 ? [] : [rank(Math.abs(x))]));
  const observed = xs.reduce((s, x) => s + (x > 0 ? rank(x) : 0), 0);
  let le = 0;
  let ge = 0;
  const total = 2 ** used.length;
  for (let mask = 0; mask < total; mask++) {
    const t = used.reduce((s, r, i) => s + (mask & (1 << i) ? r : 0), 0);
    if (t <= observed + 1e-9) le++;
    if (t >= observed - 1e-9) ge++;
  }
  return Math.min(1, (2 * Math.min(le, ge)) / total);
}

describe('wilcoxonSignedRank', () => {
  it('gives the textbook exact p-values', () => {
    expect(wilcoxonSignedRank([1, 2, 3, 4, 5, 6, 7, 8]).pValue).toBeCloseTo(2 / 256, 12);
    expect(wilcoxonSignedRank([1, 2, 3, 4, 5]).pValue).toBeCloseTo(2 / 32, 12);
    expect(wilcoxonSignedRank([-1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).pValue).toBeCloseTo(4 / 1024, 12);
    expect(wilcoxonSignedRank([0, 0, 0]).pValue).toBe(1);
    expect(wilcoxonSignedRank([0.3]).pValue).toBe(1);
  });

  it('matches full enumeration, with ties and zeros (Pratt)', () => {
    const rand = mulberry32(11);
    for (let t = 0; t < 200; t++) {
      const n = 1 + Math.floor(rand() * 12);
      const xs = Array.from({ length: n }, () => Math.round((rand() - 0.35) * 6));
      const got = wilcoxonSignedRank(xs);
      expect(got.exact).toBe(true);
      expect(got.pValue).toBeCloseTo(enumerate(xs), 10);
    }
  });

  it('treats ln(a/b) and -ln(b/a) as tied magnitudes despite rounding', () => {
    const xs = [Math.log(100 / 101), Math.log(101 / 100), Math.log(100 / 101), Math.log(101 / 100)];
    expect(wilcoxonSignedRank(xs).pValue).toBe(1);
  });

  it('uses a normal approximation for large n that agrees with a permutation estimate', () => {
    const rand = mulberry32(3);
    const xs = Array.from({ length: 80 }, () => normal(rand) + 0.25);
    const got = wilcoxonSignedRank(xs);
    expect(got.exact).toBe(false);
    // Monte Carlo sign-flip p-value for comparison.
    const ranks = [...xs.map(Math.abs)].sort((a, b) => a - b);
    const rankOf = (x: number) => ranks.indexOf(Math.abs(x)) + 1;
    const observed = xs.reduce((s, x) => s + (x > 0 ? rankOf(x) : 0), 0);
    const mu = (80 * 81) / 4;
    let extreme = 0;
    const draws = 20_000;
    for (let d = 0; d < draws; d++) {
      let t = 0;
      for (let r = 1; r <= 80; r++) if (rand() < 0.5) t += r;
      if (Math.abs(t - mu) >= Math.abs(observed - mu)) extreme++;
    }
    expect(got.pValue).toBeGreaterThan(0);
    expect(Math.abs(got.pValue - extreme / draws)).toBeLessThan(0.01);
  });
});
