// Synthetic benchmark pairs with a known true ratio, reproducible from a seed:
// what the gate's unit tests and its calibration bench (bench:perf-stats)
// judge it against, so both draw the very same data.

import { mulberry32 } from '../seeded-random.js';
import type { Pair } from './pairs.js';

export interface Scenario {
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

/** Standard normal draws (Box–Muller) from a seeded uniform source. */
export function normal(rand: () => number): number {
  let u = 0;
  while (u === 0) u = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Interleaved pairs of run times around 100 ms. */
export function simulatePairs(seed: number, s: Scenario): Pair[] {
  const rand = mulberry32(seed);
  return Array.from({ length: s.pairs }, (_, i) => {
    const machine = Math.exp((s.load ?? 0) * normal(rand)) * (1 + ((s.drift ?? 0) * i) / Math.max(1, s.pairs - 1));
    return {
      base: 100 * machine * Math.exp(s.noise * normal(rand)),
      candidate: 100 * s.ratio * machine * Math.exp(s.noise * normal(rand)),
    };
  });
}
