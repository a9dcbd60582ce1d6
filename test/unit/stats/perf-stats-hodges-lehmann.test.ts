import { describe, it, expect } from 'vitest';
import { bootstrapHodgesLehmannCI, hodgesLehmann } from '../../../core/stats/perf/hodges-lehmann.js';
import { mulberry32 } from '../../../core/stats/seeded-random.js';

function bruteForce(xs: number[]): number {
  const w: number[] = [];
  for (let i = 0; i < xs.length; i++) for (let j = i; j < xs.length; j++) w.push((xs[i]! + xs[j]!) / 2);
  w.sort((a, b) => a - b);
  const m = w.length >> 1;
  return w.length % 2 ? w[m]! : (w[m - 1]! + w[m]!) / 2;
}

describe('hodgesLehmann', () => {
  it('is the median of the Walsh averages', () => {
    expect(hodgesLehmann([1, 2, 3])).toBe(2);
    expect(hodgesLehmann([5])).toBe(5);
    expect(hodgesLehmann([0, 0, 0, 100])).toBe(0); // robust: one wild value barely moves it
    expect(() => hodgesLehmann([])).toThrow();
  });

  it('agrees with brute force on random samples, ties and outliers included (all sums and the guessed band)', () => {
    // n from 1 to 70: up to 22 values (253 Walsh sums) the median is selected among all sums, beyond that within the guessed band.
    const rand = mulberry32(7);
    for (let t = 0; t < 300; t++) {
      const n = 1 + Math.floor(rand() * 70);
      const kind = t % 3;
      const xs = Array.from({ length: n }, () => (kind === 0 ? rand() - 0.3 : kind === 1 ? Math.round(rand() * 4) : rand() < 0.2 ? 10 : rand()));
      expect(hodgesLehmann(xs)).toBeCloseTo(bruteForce(xs), 12);
    }
  });

  it('stays exact when the guessed band misses the median (the fallback to all sums)', () => {
    // Found by search (about 1 sample in 160,000 does this): two tied clusters
    // whose stratified subsample guesses a band that holds no median sum.
    const counts: Array<[number, number]> = [
      [0, 9],
      [1, 5],
      [2, 15],
      [3, 2],
      [100, 13],
      [101, 5],
    ];
    const xs = counts.flatMap(([value, times]) => Array.from({ length: times }, () => value));
    expect(hodgesLehmann(xs)).toBe(50);
    expect(bruteForce(xs)).toBe(50);
  });
});

describe('bootstrapHodgesLehmannCI', () => {
  const rand = mulberry32(5);
  const xs = Array.from({ length: 25 }, () => rand() - 0.4);

  it('is reproducible from its seed and brackets the estimate', () => {
    const ci = bootstrapHodgesLehmannCI(xs, 0.95, 500, 3);
    expect(bootstrapHodgesLehmannCI(xs, 0.95, 500, 3)).toEqual(ci);
    expect(bootstrapHodgesLehmannCI(xs, 0.95, 500, 4)).not.toEqual(ci);
    expect(ci[0]).toBeLessThan(hodgesLehmann(xs));
    expect(ci[1]).toBeGreaterThan(hodgesLehmann(xs));
  });

  it('narrows as the confidence level drops, and collapses on a constant sample', () => {
    const wide = bootstrapHodgesLehmannCI(xs, 0.95, 500, 3);
    const narrow = bootstrapHodgesLehmannCI(xs, 0.5, 500, 3);
    expect(narrow[0]).toBeGreaterThan(wide[0]);
    expect(narrow[1]).toBeLessThan(wide[1]);
    expect(bootstrapHodgesLehmannCI([0.1, 0.1, 0.1, 0.1], 0.95, 100, 1)).toEqual([0.1, 0.1]);
  });
});
