import { describe, it, expect } from 'vitest';
import {
  decideMetric,
  decideMetrics,
  shouldStop,
  formatDecision,
  naiveMedianGate,
  mulberry32,
  erfc,
  hodgesLehmann,
  wilcoxonSignedRank,
  holmAdjust,
  spearmanVsIndex,
  type MetricDecision,
  type Pair,
} from '../../../core/stats/perf-stats.js';

// ---------------------------------------------------------------------------
// Synthetic benchmark data with known answers, reproducible from a seed.

/** Standard normal draws (Box–Muller) from a seeded uniform source. */
function normal(rand: () => number): number {
  let u = 0;
  while (u === 0) u = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

interface Scenario {
  pairs: number;
  /** True candidate/base time ratio: 1.05 = 5% slower, 1/1.2 = 20% speedup. */
  ratio: number;
  /** Independent multiplicative noise per run (lognormal sigma): 0.05 ≈ 5%. */
  noise: number;
  /** Shared per-pair machine load (same factor on both runs of a pair). */
  load?: number;
  /** Linear drift of both arms over the run: 0.2 = 20% slower by the last pair. */
  drift?: number;
}

/** Interleaved pairs of run times around 100 ms. */
function simulate(seed: number, s: Scenario): Pair[] {
  const rand = mulberry32(seed);
  return Array.from({ length: s.pairs }, (_, i) => {
    const machine = Math.exp((s.load ?? 0) * normal(rand)) * (1 + ((s.drift ?? 0) * i) / Math.max(1, s.pairs - 1));
    return {
      base: 100 * machine * Math.exp(s.noise * normal(rand)),
      candidate: 100 * s.ratio * machine * Math.exp(s.noise * normal(rand)),
    };
  });
}

function verdictCounts(seeds: number, make: (seed: number) => MetricDecision): Record<string, number> {
  const counts: Record<string, number> = { faster: 0, slower: 0, inconclusive: 0 };
  for (let seed = 1; seed <= seeds; seed++) counts[make(seed).verdict]! += 1;
  return counts;
}

// ---------------------------------------------------------------------------
// Building blocks

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

describe('hodgesLehmann', () => {
  function bruteForce(xs: number[]): number {
    const w: number[] = [];
    for (let i = 0; i < xs.length; i++) for (let j = i; j < xs.length; j++) w.push((xs[i]! + xs[j]!) / 2);
    w.sort((a, b) => a - b);
    const m = w.length >> 1;
    return w.length % 2 ? w[m]! : (w[m - 1]! + w[m]!) / 2;
  }

  it('is the median of the Walsh averages', () => {
    expect(hodgesLehmann([1, 2, 3])).toBe(2);
    expect(hodgesLehmann([5])).toBe(5);
    expect(hodgesLehmann([0, 0, 0, 100])).toBe(0); // robust: one wild value barely moves it
  });

  it('agrees with brute force on random samples, ties and outliers included (fast path and fallback)', () => {
    const rand = mulberry32(7);
    for (let t = 0; t < 2000; t++) {
      const n = 1 + Math.floor(rand() * 70);
      const kind = t % 3;
      const xs = Array.from({ length: n }, () => (kind === 0 ? rand() - 0.3 : kind === 1 ? Math.round(rand() * 4) : rand() < 0.2 ? 10 : rand()));
      expect(hodgesLehmann(xs)).toBeCloseTo(bruteForce(xs), 12);
    }
  });
});

describe('wilcoxonSignedRank', () => {
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

describe('holmAdjust', () => {
  it('steps down and keeps adjusted p monotone', () => {
    const adj = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((want, i) => expect(adj[i]).toBeCloseTo(want, 12));
    expect(holmAdjust([0.5, 0.9])).toEqual([1, 1]);
    expect(holmAdjust([])).toEqual([]);
  });
});

describe('spearmanVsIndex', () => {
  it('is ±1 for monotone series and 0 for a constant one', () => {
    expect(spearmanVsIndex([1, 2, 5, 9])).toBeCloseTo(1, 12);
    expect(spearmanVsIndex([9, 5, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearmanVsIndex([3, 3, 3])).toBe(0);
  });
});

// ---------------------------------------------------------------------------
// The gate on synthetic benchmarks

describe('decideMetric: error rates on synthetic data', () => {
  it('A/A at 5% noise, 20 pairs, alpha 0.01: false verdicts in at most 1% of 200 seeds', () => {
    const counts = verdictCounts(200, (seed) => decideMetric('aa', simulate(seed, { pairs: 20, ratio: 1, noise: 0.05 }), { seed }));
    // Measured: 0 of 200 (the ±2% margin on top of p < alpha makes it stricter than alpha alone).
    expect(counts.faster! + counts.slower!).toBeLessThanOrEqual(2);
  });

  it('detects a true 5% slowdown at 1% noise in 20 pairs, estimate within ±1.5 points', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const d = decideMetric('slow', simulate(seed, { pairs: 20, ratio: 1.05, noise: 0.01 }), { seed });
      expect(d.verdict).toBe('slower');
      expect(Math.abs(d.speedup - 1 / 1.05)).toBeLessThan(0.015);
      expect(d.ci[0]).toBeLessThanOrEqual(d.speedup);
      expect(d.ci[1]).toBeGreaterThanOrEqual(d.speedup);
    }
  });

  it('detects a true 20% speedup at 5% noise in 30 pairs (power over 200 seeds)', () => {
    const counts = verdictCounts(200, (seed) => decideMetric('fast', simulate(seed, { pairs: 30, ratio: 1 / 1.2, noise: 0.05 }), { seed }));
    expect(counts.slower).toBe(0);
    expect(counts.faster).toBeGreaterThanOrEqual(196);
  });

  it('pairing cancels shared machine load that swamps the naive gate', () => {
    // 20% per-pair load swings, 1% run noise, a true 5% speedup.
    const pairs = simulate(5, { pairs: 20, ratio: 1 / 1.05, noise: 0.01, load: 0.2 });
    const d = decideMetric('loaded', pairs);
    expect(d.verdict).toBe('faster');
    expect(d.unreliable).toBe(true); // each arm's CV is far above 10%: callers see that
    expect(d.reasons.join()).toMatch(/base arm CV .*% > 10%/);
  });

  it('heavy outliers (10× runs in both arms) do not flip an A/A verdict', () => {
    const counts = verdictCounts(200, (seed) => {
      const pairs = simulate(seed, { pairs: 20, ratio: 1, noise: 0.05 });
      const rand = mulberry32(seed + 1000);
      for (const arm of ['base', 'candidate', 'base', 'candidate'] as const) pairs[Math.floor(rand() * 20)]![arm] *= 10;
      return decideMetric('outliers', pairs, { seed });
    });
    expect(counts.faster! + counts.slower!).toBeLessThanOrEqual(2);
  });

  it('keeps a real 20% speedup despite outliers', () => {
    const pairs = simulate(9, { pairs: 20, ratio: 1 / 1.2, noise: 0.03 });
    pairs[3]!.candidate *= 10;
    pairs[11]!.base *= 10;
    const d = decideMetric('fast+outliers', pairs);
    expect(d.verdict).toBe('faster');
    expect(d.speedup).toBeGreaterThan(1.15);
    expect(d.speedup).toBeLessThan(1.25);
  });
});

describe('decideMetric: reliability flags', () => {
  it('flags monotone drift as unreliable without changing the paired verdict', () => {
    const d = decideMetric('drift', simulate(2, { pairs: 20, ratio: 1, noise: 0.01, drift: 0.2 }));
    expect(d.unreliable).toBe(true);
    expect(d.reasons.some((r) => /^drift: base arm rose .*%/.test(r))).toBe(true);
    expect(d.reasons.some((r) => /^drift: candidate arm rose/.test(r))).toBe(true);
    expect(d.verdict).toBe('inconclusive');
  });

  it('flags a downward drift too', () => {
    const d = decideMetric('drift', simulate(2, { pairs: 12, ratio: 1, noise: 0.005, drift: -0.1 }));
    expect(d.reasons.some((r) => /^drift: base arm fell/.test(r))).toBe(true);
  });

  it('flags within-arm CV above 10%', () => {
    const d = decideMetric('noisy', simulate(4, { pairs: 20, ratio: 1, noise: 0.2 }));
    expect(d.unreliable).toBe(true);
    expect(d.reasons.some((r) => /arm CV \d+\.\d% > 10%/.test(r))).toBe(true);
  });

  it('leaves a quiet, stable run reliable', () => {
    const d = decideMetric('quiet', simulate(4, { pairs: 20, ratio: 1, noise: 0.01 }));
    expect(d.unreliable).toBe(false);
    expect(d.reasons).toEqual([]);
  });
});

describe('decideMetric: invalid measurements never say faster', () => {
  const fast = () => simulate(1, { pairs: 20, ratio: 1 / 3, noise: 0.01 });

  it.each([
    ['NaN candidate', Number.NaN],
    ['zero candidate', 0],
    ['negative candidate', -5],
    ['infinite candidate', Number.POSITIVE_INFINITY],
  ])('%s: inconclusive and unreliable, with a reason', (_label, bad) => {
    const pairs = fast();
    pairs[7]!.candidate = bad;
    const d = decideMetric('hack', pairs);
    expect(d.verdict).toBe('inconclusive');
    expect(d.unreliable).toBe(true);
    expect(Number.isNaN(d.speedup)).toBe(true);
    expect(d.reasons[0]).toMatch(/invalid measurements .* in 1 of 20 pairs: #7/);
    expect(formatDecision(d)).toMatch(/^no verdict, 20 pairs: invalid measurements/);
  });

  it('an all-NaN candidate and a NaN base are refused as well, whichever direction is better', () => {
    const allNaN = fast().map((p) => ({ ...p, candidate: Number.NaN }));
    expect(decideMetric('x', allNaN).verdict).toBe('inconclusive');
    expect(decideMetric('x', allNaN, { lowerIsBetter: false }).verdict).toBe('inconclusive');
    const badBase = fast();
    badBase[0]!.base = Number.NaN;
    expect(decideMetric('x', badBase).verdict).toBe('inconclusive');
  });

  it('no pairs: inconclusive', () => {
    const d = decideMetric('empty', []);
    expect(d.verdict).toBe('inconclusive');
    expect(d.reasons).toEqual(['no pairs measured']);
  });

  it('rejects nonsensical options loudly', () => {
    expect(() => decideMetric('x', fast(), { alpha: 0 })).toThrow(RangeError);
    expect(() => decideMetric('x', fast(), { bootstrapResamples: 0 })).toThrow(RangeError);
    expect(() => decideMetric('x', fast(), { noiseMargin: -1 })).toThrow(RangeError);
  });
});

describe('decideMetric: other behaviour', () => {
  it('is deterministic for a seed', () => {
    const pairs = simulate(8, { pairs: 25, ratio: 0.9, noise: 0.05 });
    expect(decideMetric('x', pairs, { seed: 3 })).toEqual(decideMetric('x', pairs, { seed: 3 }));
    expect(decideMetric('x', pairs, { seed: 4 }).ci).not.toEqual(decideMetric('x', pairs, { seed: 3 }).ci);
  });

  it('handles deterministic instruction counts: constant 10% fewer, or exactly equal', () => {
    const fewer = Array.from({ length: 20 }, () => ({ base: 1_000_000, candidate: 900_000 }));
    const d = decideMetric('instructions', fewer);
    expect(d.verdict).toBe('faster');
    expect(d.speedup).toBeCloseTo(1 / 0.9, 12);
    expect(d.ci[0]).toBeCloseTo(1 / 0.9, 12);
    const same = Array.from({ length: 20 }, () => ({ base: 1_000_000, candidate: 1_000_000 }));
    const e = decideMetric('instructions', same);
    expect(e).toMatchObject({ verdict: 'inconclusive', speedup: 1, ci: [1, 1], pValue: 1, unreliable: false });
  });

  it('understands higher-is-better metrics', () => {
    const throughput = Array.from({ length: 12 }, (_, i) => ({ base: 1000 + i, candidate: 2000 + 3 * i }));
    const d = decideMetric('ops/s', throughput, { lowerIsBetter: false });
    expect(d.verdict).toBe('faster');
    expect(d.speedup).toBeCloseTo(2, 1);
    expect(decideMetric('ops/s', throughput).verdict).toBe('slower');
  });

  it('needs the CI beyond the noise margin, not just significance', () => {
    // A real but tiny 1% speedup measured very precisely: significant, yet within ±2%.
    const d = decideMetric('tiny', simulate(6, { pairs: 40, ratio: 0.99, noise: 0.002 }));
    expect(d.pValue).toBeLessThan(0.01);
    expect(d.verdict).toBe('inconclusive');
    expect(d.why).toMatch(/overlaps the ±2% noise margin/);
    expect(decideMetric('tiny', simulate(6, { pairs: 40, ratio: 0.99, noise: 0.002 }), { noiseMargin: 0.005 }).verdict).toBe('faster');
  });

  it('runs 2000 resamples on 50 pairs in well under 50 ms', () => {
    const pairs = simulate(12, { pairs: 50, ratio: 1, noise: 0.05 });
    for (let i = 0; i < 3; i++) decideMetric('warm-up', pairs);
    const times = Array.from({ length: 5 }, () => {
      const t0 = performance.now();
      decideMetric('timed', pairs, { bootstrapResamples: 2000 });
      return performance.now() - t0;
    });
    expect(Math.min(...times)).toBeLessThan(50); // measured ~10 ms on the 2-core dev box
  });
});

describe('decideMetrics (Holm–Bonferroni)', () => {
  // 9 pairs 20% faster and one 0.5% slower: exact Wilcoxon p = 4/1024 ≈ 0.0039 < 0.01 alone.
  const borderline: Pair[] = [...Array.from({ length: 9 }, (_, i) => ({ base: 120 + i, candidate: 100 })), { base: 100, candidate: 100.5 }];
  const aa = (seed: number) => simulate(seed, { pairs: 10, ratio: 1, noise: 0.03 });

  it('turns a borderline p in one of 5 metrics into inconclusive', () => {
    expect(decideMetric('borderline', borderline).verdict).toBe('faster');
    const ds = decideMetrics([{ name: 'borderline', pairs: borderline }, ...[1, 2, 3, 4].map((s) => ({ name: `aa${s}`, pairs: aa(s) }))]);
    expect(ds.map((d) => d.name)).toEqual(['borderline', 'aa1', 'aa2', 'aa3', 'aa4']);
    const b = ds[0]!;
    expect(b.verdict).toBe('inconclusive');
    expect(b.rawPValue).toBeCloseTo(4 / 1024, 12);
    expect(b.pValue).toBeCloseTo(5 * (4 / 1024), 12);
    expect(b.why).toMatch(/^Holm-adjusted p=0\.020 ≥ alpha 0\.01 \(raw p=0\.004\)/);
    expect(b.method).toBe('wilcoxon-exact+bootstrap+holm');
    expect(ds.every((d) => d.verdict === 'inconclusive')).toBe(true);
  });

  it('lets a strong result survive and honours per-metric direction', () => {
    const strong = simulate(3, { pairs: 20, ratio: 1 / 1.3, noise: 0.02 });
    const ds = decideMetrics([
      { name: 'time', pairs: strong },
      { name: 'throughput', pairs: strong.map((p) => ({ base: 1 / p.base, candidate: 1 / p.candidate })), lowerIsBetter: false },
      ...[1, 2, 3].map((s) => ({ name: `aa${s}`, pairs: aa(s) })),
    ]);
    expect(ds[0]!.verdict).toBe('faster');
    expect(ds[1]!.verdict).toBe('faster');
    expect(ds[0]!.pValue).toBeLessThan(0.01);
  });
});

describe('shouldStop', () => {
  const limits = { minPairs: 10, maxPairs: 30 };

  /** Feeds pairs one at a time, as the runner does; returns how many it took and why it stopped. */
  function run(all: Pair[], opts: Parameters<typeof shouldStop>[1]): { n: number; why: string } {
    for (let n = 1; n <= all.length; n++) {
      const s = shouldStop(all.slice(0, n), opts);
      if (s.stop) return { n, why: s.why };
    }
    throw new Error('never stopped');
  }

  it('stops at minPairs on a 3× change', () => {
    const r = run(simulate(1, { pairs: 30, ratio: 1 / 3, noise: 0.05 }), limits);
    expect(r.n).toBe(10);
    expect(r.why).toMatch(/^clear verdict after 10 pairs: 3\.\d\d× faster/);
    expect(run(simulate(1, { pairs: 30, ratio: 3, noise: 0.05 }), limits).why).toMatch(/× slower/);
  });

  it('runs to maxPairs on A/A noise', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const r = run(simulate(seed, { pairs: 30, ratio: 1, noise: 0.05 }), { ...limits, bootstrapResamples: 500, seed });
      expect(r).toEqual({ n: 30, why: 'reached maxPairs (30)' });
    }
  });

  it('stops early when the CI is clearly inside the margin', () => {
    const r = run(simulate(2, { pairs: 30, ratio: 1, noise: 0.002 }), limits);
    expect(r.n).toBe(10);
    expect(r.why).toMatch(/^no change after 10 pairs: CI (0\.99|1\.00)–(1\.00|1\.01)× lies within ±2%$/);
  });

  it('stops on an invalid measurement: more pairs cannot repair it', () => {
    const pairs = simulate(2, { pairs: 12, ratio: 1, noise: 0.05 });
    pairs[4]!.candidate = Number.NaN;
    expect(shouldStop(pairs, limits)).toMatchObject({ stop: true, why: expect.stringMatching(/invalid measurements/) });
  });

  it('keeps going below minPairs and validates its limits', () => {
    expect(shouldStop(simulate(1, { pairs: 5, ratio: 1 / 3, noise: 0.01 }), limits)).toEqual({ stop: false, why: '5 of at least 10 pairs' });
    expect(() => shouldStop([], { minPairs: 5, maxPairs: 3 })).toThrow(RangeError);
  });

  it('sequential looks: A/A false-verdict rate over 200 seeds stays near alpha', () => {
    // Looking after every pair from 10 to 30 is optional stopping. Measured here
    // at 5% noise: plain alpha at every look 7/200 false verdicts, the default
    // interim alpha/5 3/200 (~0.7% over 600 other seeds; see shouldStop for 10% noise).
    const falseVerdicts = (interimAlpha?: number) => {
      let count = 0;
      for (let seed = 1; seed <= 200; seed++) {
        const all = simulate(seed + 5000, { pairs: 30, ratio: 1, noise: 0.05 });
        const opts = { ...limits, bootstrapResamples: 400, seed, interimAlpha };
        const { n } = run(all, opts);
        const alpha = n < limits.maxPairs ? (interimAlpha ?? 0.002) : 0.01;
        if (decideMetric('aa', all.slice(0, n), { ...opts, alpha }).verdict !== 'inconclusive') count++;
      }
      return count;
    };
    const strict = falseVerdicts();
    const plain = falseVerdicts(0.01);
    expect(strict).toBeLessThanOrEqual(4); // ≤ 2%
    expect(plain).toBeGreaterThan(strict); // why the default is stricter than alpha
  });
});

describe('formatDecision', () => {
  const base: MetricDecision = {
    name: 'wall',
    verdict: 'faster',
    speedup: 1.23,
    ci: [1.19, 1.27],
    confidence: 0.95,
    pValue: 1e-4,
    pairs: 14,
    method: 'wilcoxon+bootstrap',
    unreliable: false,
    reasons: [],
    why: '',
  };

  it('formats faster, slower and no change', () => {
    expect(formatDecision(base)).toBe('1.23× faster, 95% CI 1.19–1.27×, 14 pairs (wilcoxon+bootstrap)');
    expect(formatDecision({ ...base, verdict: 'slower', speedup: 1 / 1.5, ci: [1 / 1.56, 1 / 1.45] })).toBe(
      '1.50× slower, 95% CI 1.45–1.56×, 14 pairs (wilcoxon+bootstrap)',
    );
    expect(formatDecision({ ...base, verdict: 'inconclusive', speedup: 0.99, ci: [0.97, 1.02] })).toBe(
      'no clear change (0.99×, 95% CI 0.97–1.02×), 14 pairs (wilcoxon+bootstrap)',
    );
  });

  it('says when and why a decision is unreliable', () => {
    expect(formatDecision({ ...base, unreliable: true, reasons: ['base arm CV 14.0% > 10%'] })).toBe(
      '1.23× faster, 95% CI 1.19–1.27×, 14 pairs (wilcoxon+bootstrap); unreliable: base arm CV 14.0% > 10%',
    );
  });

  it('formats a real decision', () => {
    const d = decideMetric('wall', simulate(1, { pairs: 20, ratio: 1 / 1.25, noise: 0.01 }));
    expect(formatDecision(d)).toMatch(/^1\.2\d× faster, 95% CI 1\.2\d–1\.2\d×, 20 pairs \(wilcoxon-exact\+bootstrap\)$/);
  });
});

describe('naiveMedianGate', () => {
  it('compares medians against a ±threshold band', () => {
    expect(naiveMedianGate([100, 101, 99], [80, 81, 79], 0.05)).toBe('faster');
    expect(naiveMedianGate([100, 101, 99], [120, 121, 119], 0.05)).toBe('slower');
    expect(naiveMedianGate([100, 101, 99], [102, 100, 98], 0.05)).toBe('inconclusive');
  });

  it('uses only the first k runs of each arm, and refuses invalid or empty input', () => {
    expect(naiveMedianGate([100, 100, 100], [100, 100, 100, 1, 1, 1, 1], 0.05)).toBe('inconclusive');
    expect(naiveMedianGate([100, 100], [Number.NaN, 50], 0.05)).toBe('inconclusive');
    expect(naiveMedianGate([], [], 0.05)).toBe('inconclusive');
  });

  it('raises far more false alarms on A/A noise than the paired gate (why it is being replaced)', () => {
    let naive = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const pairs = simulate(seed, { pairs: 5, ratio: 1, noise: 0.05 });
      if (
        naiveMedianGate(
          pairs.map((p) => p.base),
          pairs.map((p) => p.candidate),
          0.02,
        ) !== 'inconclusive'
      )
        naive++;
    }
    expect(naive).toBeGreaterThan(80); // ~60% of seeds with 5 runs per arm at 5% noise
  });
});
