// The gate's significance test: a two-sided Wilcoxon signed-rank test on the
// log ratios, exact (ties included) for the sample sizes the gate sees, so a
// false alarm is no likelier than alpha says.

import { erfc } from './numeric.js';

/** Up to this many non-zero log ratios the Wilcoxon p-value is exact (cost ~ n³, trivial here). */
export const WILCOXON_EXACT_MAX_N = 50;

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
