// A statistical performance gate for interleaved A/B benchmark pairs.
//
// Why this shape: on a noisy shared 2-core machine the load changes from
// second to second, so base (A) and candidate (B) run back to back in pairs
// and we compare *within* a pair. Per pair we take the log ratio
// r = ln(base / candidate): logs make a 2× speedup and a 2× slowdown
// symmetric and turn "ratio" questions into "shift" questions.
//   - estimate: Hodges–Lehmann (median of Walsh averages) of r, robust to the
//     odd 10× outlier yet far less jumpy than the plain median;
//   - significance: Wilcoxon signed-rank test on r (exact for small samples,
//     conditional on ties; normal approximation beyond);
//   - interval: seeded percentile bootstrap of the Hodges–Lehmann estimate.
// A verdict needs both: p < alpha (the false-alarm guard) and a CI wholly
// outside the ±noiseMargin band (the "is it big enough to matter" guard).
// The two back each other up: a percentile bootstrap is too narrow on a
// handful of pairs, which the exact test catches (at alpha 0.01 no verdict
// is possible below 8 pairs), while a tiny but real change passes the test
// and is stopped by the margin.
//
// Caller's side of the bargain: the test assumes that, absent a real change,
// r is as likely positive as negative. Alternate or randomise which arm runs
// first within a pair, or a warm-cache "second run" bonus looks like a change.
//
// Invalid input policy: a NaN, ±Infinity, zero or negative measurement in
// any pair makes the whole metric inconclusive and unreliable (with a reason);
// we never judge on the surviving pairs, because a candidate that breaks some
// runs must not be rewarded by having those runs dropped. Bad *options* are
// programmer errors and throw a RangeError.

import { median } from './bench-stats.js';

export type Verdict = 'faster' | 'slower' | 'inconclusive';

/** One interleaved pair of measurements (time or instruction count); lower is better unless told otherwise. */
export interface Pair {
  base: number;
  candidate: number;
}

export interface MetricDecision {
  name: string;
  verdict: Verdict;
  /** Estimated speedup base/candidate (> 1 = candidate better), exp of the Hodges–Lehmann estimate of per-pair log ratios. NaN when the input was invalid. */
  speedup: number;
  /** Percentile-bootstrap interval of the speedup at level `confidence`. */
  ci: [number, number];
  /** Confidence level of `ci` (default 0.95). */
  confidence: number;
  /** Two-sided Wilcoxon signed-rank p-value; Holm-adjusted when it comes from decideMetrics. */
  pValue: number;
  /** The unadjusted p-value, set only by decideMetrics (Holm). */
  rawPValue?: number;
  pairs: number;
  method: string;
  /** Within-arm spread too high, drift detected, or invalid measurements. Never changes the verdict by itself. */
  unreliable: boolean;
  /** Why the decision is unreliable (empty when reliable). */
  reasons: string[];
  /** One line on why the verdict is what it is (p vs alpha, CI vs margin). */
  why: string;
}

export interface GateOptions {
  /** Significance level for the Wilcoxon test (default 0.01). */
  alpha: number;
  /** A change within ±noiseMargin (default 0.02 = ±2%) counts as no change. */
  noiseMargin: number;
  /** Seed of the bootstrap PRNG: same seed, same pairs → same decision. */
  seed: number;
  /** Bootstrap resamples (default 2000). */
  bootstrapResamples: number;
  /** Default true (times, instruction counts); false for throughput-like metrics. */
  lowerIsBetter?: boolean;
  /** Level of the reported bootstrap interval (default 0.95). */
  confidence?: number;
}

export const DEFAULT_GATE_OPTIONS: Readonly<Required<GateOptions>> = Object.freeze({
  alpha: 0.01,
  noiseMargin: 0.02,
  seed: 1,
  bootstrapResamples: 2000,
  lowerIsBetter: true,
  confidence: 0.95,
});

/** Within-arm coefficient of variation above which a decision is flagged unreliable. */
export const MAX_ARM_CV = 0.1;
/** |Spearman rho| of an arm against pair index above which a trend counts as drift (needs DRIFT_MIN_PAIRS)... */
export const DRIFT_MAX_RHO = 0.6;
/** ...provided the trend moved the arm's half-run median by more than this: a steady 1% creep in a 1%-noise arm is harmless to a paired comparison. */
export const DRIFT_MIN_TREND_SHIFT = 0.02;
/** Median shift between the first and second half of an arm above which we call it drift, trend or not. */
export const DRIFT_MAX_HALF_SHIFT = 0.05;
export const DRIFT_MIN_PAIRS = 8;

/** Fewest A/B pairs before a benchmark may stop early: early stops use alpha/5 = 0.002, which a signed-rank test cannot reach below 10 pairs. */
export const MIN_PAIRS = 10;
/** Up to this many non-zero log ratios the Wilcoxon p-value is exact (cost ~ n³, trivial here). */
export const WILCOXON_EXACT_MAX_N = 50;

// ---------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: a tiny 32-bit PRNG, good enough for bootstrap resampling and test data, and reproducible from a seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------
// Small numeric helpers

function resolveOptions(opts: Partial<GateOptions> | undefined): Required<GateOptions> {
  const o = { ...DEFAULT_GATE_OPTIONS, ...stripUndefined(opts ?? {}) };
  // Options are code, not data: a bad one is a bug, so fail loudly.
  if (!(o.alpha > 0 && o.alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${o.alpha}`);
  if (!(o.noiseMargin >= 0 && Number.isFinite(o.noiseMargin))) throw new RangeError(`noiseMargin must be a finite number >= 0, got ${o.noiseMargin}`);
  if (!(Number.isInteger(o.bootstrapResamples) && o.bootstrapResamples >= 1))
    throw new RangeError(`bootstrapResamples must be a positive integer, got ${o.bootstrapResamples}`);
  if (!(o.confidence > 0 && o.confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${o.confidence}`);
  if (!Number.isFinite(o.seed)) throw new RangeError(`seed must be a finite number, got ${o.seed}`);
  return o;
}

/** `{ alpha: undefined }` must mean "use the default", not "alpha is undefined". */
function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample coefficient of variation (sd with n-1 over the mean); 0 for fewer than two values. */
export function coefficientOfVariation(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) ** 2;
  return Math.sqrt(ss / (xs.length - 1)) / Math.abs(m);
}

/**
 * Complementary error function with < 1.2e-7 *relative* error everywhere
 * (Chebyshev-fitted form, as in Numerical Recipes' erfcc): relative accuracy
 * in the far tail keeps tiny p-values meaningful for Holm's multiplications.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

/** k-th smallest (0-based) of a[0..len) by in-place quickselect; leaves a[0..k) <= a[k]. */
function selectInPlace(a: Float64Array, len: number, k: number): number {
  let lo = 0;
  let hi = len - 1;
  while (hi > lo) {
    const pivot = medianOf3(a[lo]!, a[(lo + hi) >> 1]!, a[hi]!);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const tmp = a[i]!;
        a[i] = a[j]!;
        a[j] = tmp;
        i++;
        j--;
      }
    }
    // Now a[lo..j] <= pivot <= a[i..hi] and everything strictly between equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

function medianOf3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** Linear-interpolated quantile of an ascending array (type 7, as R's default). */
function quantileSorted(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

// ---------------------------------------------------------------------------
// Estimators and tests on log ratios

/** True for a measurement we can take a log ratio of: finite and strictly positive. */
export function isValidMeasurement(x: number): boolean {
  return Number.isFinite(x) && x > 0;
}

/** Per-pair log ratios, oriented so that > 0 means the candidate is better. */
export function logRatios(pairs: readonly Pair[], lowerIsBetter = true): number[] {
  return pairs.map((p) => (lowerIsBetter ? Math.log(p.base / p.candidate) : Math.log(p.candidate / p.base)));
}

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

export interface SignedRankResult {
  /** Sum of the (mid)ranks of the positive differences. */
  statistic: number;
  pValue: number;
  exact: boolean;
  /** Non-zero differences that carried the test. */
  n: number;
}

/** Values whose magnitude differ by less than this (relative) count as tied; ln(a/b) and -ln(b/a) differ in the last bits. */
const TIE_TOLERANCE = 1e-12;

/**
 * Doubled midranks of |x| (Pratt's convention: zeros take the lowest ranks,
 * then drop out). Doubling keeps midranks of ties integral for the exact test.
 */
function doubledAbsRanks(xs: readonly number[]): { ranks2: number[]; signs: number[] } {
  const order = xs.map((x, i) => ({ a: Math.abs(x), i })).sort((p, q) => p.a - q.a);
  const ranks2 = new Array<number>(xs.length).fill(0);
  for (let lo = 0; lo < order.length;) {
    let hi = lo;
    while (hi + 1 < order.length && order[hi + 1]!.a - order[lo]!.a <= TIE_TOLERANCE * Math.max(1, order[lo]!.a)) hi++;
    for (let k = lo; k <= hi; k++) ranks2[order[k]!.i] = lo + 1 + hi + 1; // 2 × midrank
    lo = hi + 1;
  }
  const signs = xs.map((x) => (Math.abs(x) <= TIE_TOLERANCE ? 0 : Math.sign(x)));
  return { ranks2, signs };
}

/**
 * Two-sided Wilcoxon signed-rank test of "median of xs is 0". Exact
 * (permutation distribution of the observed midranks, so ties are handled
 * exactly) up to WILCOXON_EXACT_MAX_N non-zero values; normal approximation
 * with tie-aware variance and continuity correction beyond.
 */
export function wilcoxonSignedRank(xs: readonly number[]): SignedRankResult {
  const { ranks2, signs } = doubledAbsRanks(xs);
  const used = ranks2.filter((_, i) => signs[i] !== 0);
  const t2 = ranks2.reduce((s, r, i) => s + (signs[i]! > 0 ? r : 0), 0);
  if (used.length === 0) return { statistic: 0, pValue: 1, exact: true, n: 0 };
  const exact = used.length <= WILCOXON_EXACT_MAX_N;
  const pValue = exact ? exactSignedRankP(used, t2) : normalSignedRankP(used, t2);
  return { statistic: t2 / 2, pValue, exact, n: used.length };
}

/** Exact two-sided p: each rank's sign is a fair coin under H0; DP over the (doubled) rank sum. */
function exactSignedRankP(ranks2: readonly number[], t2: number): number {
  const total = ranks2.reduce((s, r) => s + r, 0);
  const dist = new Float64Array(total + 1);
  dist[0] = 1;
  let reach = 0;
  for (const r of ranks2) {
    reach += r;
    for (let s = reach; s >= 0; s--) dist[s] = 0.5 * (dist[s]! + (s >= r ? dist[s - r]! : 0));
  }
  let le = 0;
  let ge = 0;
  for (let s = 0; s <= total; s++) {
    if (s <= t2) le += dist[s]!;
    if (s >= t2) ge += dist[s]!;
  }
  return Math.min(1, 2 * Math.min(le, ge));
}

/** Normal approximation in doubled-rank units: mean Σr/2, variance Σr²/4, continuity correction of one doubled unit. */
function normalSignedRankP(ranks2: readonly number[], t2: number): number {
  const mu = ranks2.reduce((s, r) => s + r, 0) / 2;
  const sd = Math.sqrt(ranks2.reduce((s, r) => s + r * r, 0) / 4);
  const z = Math.max(0, Math.abs(t2 - mu) - 1) / sd;
  return Math.min(1, erfc(z / Math.SQRT2));
}

// ---------------------------------------------------------------------------
// Reliability: spread and drift

/** Spearman rank correlation of xs against 0..n-1 (midranks for ties); 0 when xs is constant. */
export function spearmanVsIndex(xs: readonly number[]): number {
  const n = xs.length;
  const ranks = midranks(xs);
  const mIdx = (n - 1) / 2;
  const mRank = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = i - mIdx;
    const dy = ranks[i]! - mRank;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

function midranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => ({ x, i })).sort((p, q) => p.x - q.x);
  const ranks = new Array<number>(xs.length).fill(0);
  for (let lo = 0; lo < order.length;) {
    let hi = lo;
    while (hi + 1 < order.length && order[hi + 1]!.x === order[lo]!.x) hi++;
    for (let k = lo; k <= hi; k++) ranks[order[k]!.i] = (lo + hi) / 2 + 1;
    lo = hi + 1;
  }
  return ranks;
}

/** A drift reason for one arm, or undefined: a trend over the run makes "the machine" part of the measurement. */
function driftReason(values: readonly number[], arm: string): string | undefined {
  if (values.length < DRIFT_MIN_PAIRS) return undefined;
  const rho = spearmanVsIndex(values);
  const half = Math.floor(values.length / 2);
  const shift = median(values.slice(values.length - half)) / median(values.slice(0, half)) - 1;
  const trend = Math.abs(rho) > DRIFT_MAX_RHO && Math.abs(shift) > DRIFT_MIN_TREND_SHIFT;
  if (!trend && Math.abs(shift) <= DRIFT_MAX_HALF_SHIFT) return undefined;
  const pct = Math.abs(shift * 100).toFixed(1);
  return `drift: ${arm} arm ${shift >= 0 ? 'rose' : 'fell'} ${pct}% from the first to the second half of the run (Spearman ρ ${rho.toFixed(2)} vs pair index)`;
}

/** Reasons to distrust an otherwise valid set of pairs: high within-arm CV, or drift in either arm. */
export function reliabilityReasons(pairs: readonly Pair[]): string[] {
  const reasons: string[] = [];
  for (const arm of ['base', 'candidate'] as const) {
    const values = pairs.map((p) => p[arm]);
    const cv = coefficientOfVariation(values);
    if (cv > MAX_ARM_CV) reasons.push(`${arm} arm CV ${(cv * 100).toFixed(1)}% > ${MAX_ARM_CV * 100}%`);
    const drift = driftReason(values, arm);
    if (drift) reasons.push(drift);
  }
  return reasons;
}

// ---------------------------------------------------------------------------
// Decisions

/** The decision rule: significant AND the whole interval outside the ±margin band. */
function verdictFor(ci: [number, number], pValue: number, alpha: number, margin: number): { verdict: Verdict; why: string } {
  const band = `±${fmtPct(margin)} noise margin`;
  // Written as !(p < alpha) so that a NaN anywhere falls through to inconclusive.
  if (!(pValue < alpha)) return { verdict: 'inconclusive', why: `p=${fmtP(pValue)} ≥ alpha ${alpha}` };
  if (ci[0] > 1 + margin) return { verdict: 'faster', why: `p=${fmtP(pValue)} < alpha ${alpha} and CI above the ${band}` };
  if (ci[1] < 1 / (1 + margin)) return { verdict: 'slower', why: `p=${fmtP(pValue)} < alpha ${alpha} and CI below the ${band}` };
  return { verdict: 'inconclusive', why: `p=${fmtP(pValue)} < alpha ${alpha} but the CI overlaps the ${band}` };
}

function invalidPairsReason(pairs: readonly Pair[]): string | undefined {
  const bad = pairs.flatMap((p, i) => (isValidMeasurement(p.base) && isValidMeasurement(p.candidate) ? [] : [i]));
  if (bad.length === 0) return undefined;
  const shown = bad.slice(0, 5).map((i) => `#${i} (base ${pairs[i]!.base}, candidate ${pairs[i]!.candidate})`);
  return `invalid measurements (NaN, Infinity, zero or negative) in ${bad.length} of ${pairs.length} pairs: ${shown.join(', ')}${bad.length > 5 ? ', …' : ''}`;
}

function noDecision(name: string, pairs: number, confidence: number, reason: string): MetricDecision {
  return {
    name,
    verdict: 'inconclusive',
    speedup: Number.NaN,
    ci: [Number.NaN, Number.NaN],
    confidence,
    pValue: 1,
    pairs,
    method: 'none',
    unreliable: true,
    reasons: [reason],
    why: reason,
  };
}

/**
 * Decide one metric from interleaved pairs. See the file header for the
 * method; an empty or invalid input yields an inconclusive, unreliable
 * decision with speedup NaN rather than an exception.
 */
export function decideMetric(name: string, pairs: Pair[], opts?: Partial<GateOptions>): MetricDecision {
  const o = resolveOptions(opts);
  if (pairs.length === 0) return noDecision(name, 0, o.confidence, 'no pairs measured');
  const invalid = invalidPairsReason(pairs);
  if (invalid) return noDecision(name, pairs.length, o.confidence, invalid);

  const r = logRatios(pairs, o.lowerIsBetter);
  const speedup = Math.exp(hodgesLehmann(r));
  const [lo, hi] = bootstrapHodgesLehmannCI(r, o.confidence, o.bootstrapResamples, o.seed);
  const ci: [number, number] = [Math.exp(lo), Math.exp(hi)];
  const test = wilcoxonSignedRank(r);
  const { verdict, why } = verdictFor(ci, test.pValue, o.alpha, o.noiseMargin);
  const reasons = reliabilityReasons(pairs);
  return {
    name,
    verdict,
    speedup,
    ci,
    confidence: o.confidence,
    pValue: test.pValue,
    pairs: pairs.length,
    method: test.exact ? 'wilcoxon-exact+bootstrap' : 'wilcoxon+bootstrap',
    unreliable: reasons.length > 0,
    reasons,
    why,
  };
}

/** Holm–Bonferroni step-down adjusted p-values (same order as the input). */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p: Number.isNaN(p) ? 1 : p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0; // adjusted p-values must be monotone in the order of the raw ones
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/**
 * Decide several metrics together: testing five metrics at alpha each would
 * raise the odds of some false alarm towards 5·alpha, so p-values are
 * Holm-adjusted and a verdict survives only if its adjusted p < alpha.
 * Each metric gets its own bootstrap stream (seed + index).
 */
export function decideMetrics(metrics: Array<{ name: string; pairs: Pair[]; lowerIsBetter?: boolean }>, opts?: Partial<GateOptions>): MetricDecision[] {
  const o = resolveOptions(opts);
  const raw = metrics.map((m, i) => decideMetric(m.name, m.pairs, { ...o, lowerIsBetter: m.lowerIsBetter ?? o.lowerIsBetter, seed: o.seed + i }));
  const adjusted = holmAdjust(raw.map((d) => d.pValue));
  return raw.map((d, i) => applyHolm(d, adjusted[i]!, o.alpha));
}

function applyHolm(d: MetricDecision, adjustedP: number, alpha: number): MetricDecision {
  const out: MetricDecision = { ...d, rawPValue: d.pValue, pValue: adjustedP, method: d.method === 'none' ? d.method : `${d.method}+holm` };
  if (d.verdict !== 'inconclusive' && !(adjustedP < alpha)) {
    out.verdict = 'inconclusive';
    out.why = `Holm-adjusted p=${fmtP(adjustedP)} ≥ alpha ${alpha} (raw p=${fmtP(d.pValue)})`;
  }
  return out;
}

/** Default interim level as a fraction of alpha (Haybittle–Peto in spirit: strict early looks, nominal final one). */
export const INTERIM_ALPHA_FRACTION = 0.2;

/**
 * Adaptive stopping, asked after each new pair. Stops (after minPairs) when
 * the verdict is clear, when the CI lies wholly inside ±margin (clearly no
 * change), or when a measurement is invalid (more pairs cannot fix it); always
 * at maxPairs, where the caller decides at the full alpha.
 *
 * Why early verdicts use interimAlpha (default alpha/5) rather than alpha:
 * testing after every pair and stopping at the first significant look is
 * optional stopping. With plain alpha = 0.01, A/A runs at 10% noise stopped on
 * a false verdict ~5% of the time (measured, 10..30 and 8..50 pairs); at
 * alpha/5 that is ~1.5–2%, and ~0.7% at 5% noise. Exact Wilcoxon p-values are
 * at least 2^(1-n), so at alpha = 0.01 the earliest early verdict is at n = 10.
 */
export function shouldStop(
  pairs: Pair[],
  opts: Partial<GateOptions> & { minPairs: number; maxPairs: number; interimAlpha?: number },
): { stop: boolean; why: string } {
  const { minPairs, maxPairs, interimAlpha, ...rest } = opts;
  if (!(Number.isInteger(minPairs) && minPairs >= 1 && Number.isInteger(maxPairs) && maxPairs >= minPairs)) {
    throw new RangeError(`need integers 1 <= minPairs <= maxPairs, got ${minPairs} and ${maxPairs}`);
  }
  const n = pairs.length;
  if (n >= maxPairs) return { stop: true, why: `reached maxPairs (${maxPairs})` };
  if (n < minPairs) return { stop: false, why: `${n} of at least ${minPairs} pairs` };
  const o = resolveOptions(rest);
  const d = decideMetric('interim', pairs, { ...o, alpha: interimAlpha ?? o.alpha * INTERIM_ALPHA_FRACTION });
  if (d.method === 'none') return { stop: true, why: d.why };
  if (d.verdict !== 'inconclusive') return { stop: true, why: `clear verdict after ${n} pairs: ${formatDecision(d)}` };
  if (d.ci[0] >= 1 / (1 + o.noiseMargin) && d.ci[1] <= 1 + o.noiseMargin) {
    return { stop: true, why: `no change after ${n} pairs: CI ${fmtX(d.ci[0])}–${fmtX(d.ci[1])}× lies within ±${fmtPct(o.noiseMargin)}` };
  }
  return { stop: false, why: `undecided after ${n} pairs: ${d.why}` };
}

// ---------------------------------------------------------------------------
// Presentation and the naive baseline

function fmtX(x: number): string {
  return x.toFixed(2);
}

function fmtPct(x: number): string {
  return `${+(x * 100).toFixed(1)}%`;
}

function fmtP(p: number): string {
  return p >= 0.001 ? p.toFixed(3) : p.toExponential(1);
}

/** e.g. '1.23× faster, 95% CI 1.19–1.27×, 14 pairs (wilcoxon+bootstrap)'; unreliable decisions say so and why. */
export function formatDecision(d: MetricDecision): string {
  const level = `${+(d.confidence * 100).toFixed(1)}% CI`;
  if (!Number.isFinite(d.speedup)) return `no verdict, ${d.pairs} pairs: ${d.why}`;
  const tail = `${d.pairs} pairs (${d.method})${d.unreliable ? `; unreliable: ${d.reasons.join('; ')}` : ''}`;
  const [lo, hi] = d.ci;
  if (d.verdict === 'faster') return `${fmtX(d.speedup)}× faster, ${level} ${fmtX(lo)}–${fmtX(hi)}×, ${tail}`;
  // A slowdown reads best as "1.50× slower", so invert the estimate and flip the interval.
  if (d.verdict === 'slower') return `${fmtX(1 / d.speedup)}× slower, ${level} ${fmtX(1 / hi)}–${fmtX(1 / lo)}×, ${tail}`;
  return `no clear change (${fmtX(d.speedup)}×, ${level} ${fmtX(lo)}–${fmtX(hi)}×), ${tail}`;
}

/**
 * The naive gate Ouro is replacing, kept for comparison: median of the first
 * k runs of each arm (k = the shorter arm), verdict when the ratio leaves
 * ±threshold. Lower is better. Invalid or empty input is inconclusive here too.
 */
export function naiveMedianGate(base: number[], candidate: number[], threshold: number): Verdict {
  const k = Math.min(base.length, candidate.length);
  if (k === 0) return 'inconclusive';
  const b = base.slice(0, k);
  const c = candidate.slice(0, k);
  if (![...b, ...c].every(isValidMeasurement)) return 'inconclusive';
  const speedup = median(b) / median(c);
  if (speedup > 1 + threshold) return 'faster';
  if (speedup < 1 / (1 + threshold)) return 'slower';
  return 'inconclusive';
}
