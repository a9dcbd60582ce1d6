// The gate's estimate and its interval: the Hodges–Lehmann shift of the log
// ratios and a seeded bootstrap interval of it. A file of its own because the
// bootstrap computes the estimate thousands of times per decision, so it
// carries its own fast exact median-of-Walsh-sums machinery.

import { quantileSorted, selectInPlace } from './numeric.js';
import { mulberry32 } from '../seeded-random.js';

// The Hodges–Lehmann estimate is the median of the n(n+1)/2 Walsh sums
// x_i + x_j (i <= j), halved. The bootstrap needs it 2000 times, so instead of
// writing out all n² sums and selecting, we exploit a sorted sample: its
// Walsh sums form a matrix sorted along rows and columns, where "how many sums
// lie below v" takes one O(n) two-pointer sweep. A stratified subsample
// guesses a narrow value band around the median; we count to confirm the
// median lies inside it and select among the band only (exact either way:
// when the guess misses, we fall back to all sums).

/** Scratch buffers for walshMedianSorted, reused across bootstrap resamples. */
interface WalshScratch {
  sums: Float64Array;
  firstAtLeast: Int32Array;
  firstAbove: Int32Array;
  guess: Float64Array;
}

const GUESS_POINTS = 12;
const GUESS_HALF_WIDTH = 0.08; // ± quantile band around the median, as guessed from the subsample
const BAND_MIN_SUMS = 256; // below this many sums, selecting among all is already cheap

function walshScratch(n: number): WalshScratch {
  return {
    sums: new Float64Array((n * (n + 1)) / 2),
    firstAtLeast: new Int32Array(n),
    firstAbove: new Int32Array(n),
    guess: new Float64Array((GUESS_POINTS * (GUESS_POINTS - 1)) / 2),
  };
}

/**
 * Number of Walsh sums of ascending x below v (strict) or at most v (inclusive);
 * first[i] receives the first column j >= i of row i past that boundary.
 */
function countWalshSums(x: Float64Array, v: number, inclusive: boolean, first: Int32Array): number {
  const n = x.length;
  let col = n; // first column c with x_i + x_c beyond v; non-increasing as i grows
  let count = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    while (col > 0 && (inclusive ? xi + x[col - 1]! > v : xi + x[col - 1]! >= v)) col--;
    const c = col > i ? col : i;
    first[i] = c;
    count += c - i;
  }
  return count;
}

/** Value band [lo, hi] likely to hold the median Walsh sum, from a stratified subsample's Walsh sums. */
function guessMedianBand(x: Float64Array, s: WalshScratch): [number, number] {
  const n = x.length;
  let m = 0;
  for (let a = 0; a < GUESS_POINTS; a++) {
    const xa = x[Math.round((a * (n - 1)) / (GUESS_POINTS - 1))]!;
    for (let b = a + 1; b < GUESS_POINTS; b++) s.guess[m++] = xa + x[Math.round((b * (n - 1)) / (GUESS_POINTS - 1))]!;
  }
  // Two selections beat a full sort of this small buffer by a wide margin in the hot loop.
  const lo = selectInPlace(s.guess, m, Math.floor((m - 1) * (0.5 - GUESS_HALF_WIDTH)));
  const hi = selectInPlace(s.guess, m, Math.ceil((m - 1) * (0.5 + GUESS_HALF_WIDTH)));
  return [lo, hi];
}

/**
 * Copies into s.sums the Walsh sums that may hold ranks kLo..kHi: the guessed band
 * when counting confirms it, else all of them. Returns how many were copied and
 * how many smaller sums were left out (the rank offset).
 */
function gatherMedianCandidates(x: Float64Array, kLo: number, kHi: number, s: WalshScratch): { m: number; offset: number } {
  const n = x.length;
  let m = 0;
  if (s.sums.length > BAND_MIN_SUMS) {
    const [lo, hi] = guessMedianBand(x, s);
    const below = countWalshSums(x, lo, false, s.firstAtLeast);
    const upTo = countWalshSums(x, hi, true, s.firstAbove);
    if (below <= kLo && kHi < upTo) {
      for (let i = 0; i < n; i++) {
        const xi = x[i]!;
        for (let j = s.firstAtLeast[i]!, end = s.firstAbove[i]!; j < end; j++) s.sums[m++] = xi + x[j]!;
      }
      return { m, offset: below };
    }
  }
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    for (let j = i; j < n; j++) s.sums[m++] = xi + x[j]!;
  }
  return { m, offset: 0 };
}

/** Hodges–Lehmann estimate of an ascending sample (median Walsh sum, halved). */
function walshMedianSorted(x: Float64Array, s: WalshScratch): number {
  const total = (x.length * (x.length + 1)) / 2;
  const kHi = total >> 1;
  const kLo = total % 2 ? kHi : kHi - 1;
  const { m, offset } = gatherMedianCandidates(x, kLo, kHi, s);
  const upper = selectInPlace(s.sums, m, kHi - offset);
  if (kLo === kHi) return upper / 2;
  let lower = -Infinity; // selectInPlace left everything ranked below kHi in front of it
  for (let i = 0; i < kHi - offset; i++) if (s.sums[i]! > lower) lower = s.sums[i]!;
  return (lower + upper) / 4;
}

/** Hodges–Lehmann location estimate: the shift estimator that goes with the Wilcoxon signed-rank test. */
export function hodgesLehmann(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('hodgesLehmann of an empty sample');
  const sorted = Float64Array.from(xs).sort();
  return walshMedianSorted(sorted, walshScratch(xs.length));
}

/**
 * Seeded percentile bootstrap interval of the Hodges–Lehmann estimate: resample
 * pairs with replacement (pairs, not single runs, so the within-pair pairing
 * that cancels machine load is kept).
 */
export function bootstrapHodgesLehmannCI(xs: readonly number[], confidence: number, resamples: number, seed: number): [number, number] {
  const n = xs.length;
  const sorted = Float64Array.from(xs).sort();
  const rand = mulberry32(seed);
  const counts = new Int32Array(n);
  const sample = new Float64Array(n);
  const scratch = walshScratch(n);
  const stats = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    // Draw indices into the sorted sample and lay them out in index order: a sorted resample in O(n).
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[Math.floor(rand() * n)]!++;
    for (let idx = 0, k = 0; idx < n; idx++) for (let c = counts[idx]!; c > 0; c--) sample[k++] = sorted[idx]!;
    stats[b] = walshMedianSorted(sample, scratch);
  }
  stats.sort();
  const tail = (1 - confidence) / 2;
  return [quantileSorted(stats, tail), quantileSorted(stats, 1 - tail)];
}
