// Whether a set of pairs can be trusted: within-arm spread and drift over the
// run. These flag a decision as unreliable for the caller to see; they never
// change a verdict, since pairing already cancels what they detect.

import { median } from '../bench-stats.js';
import { coefficientOfVariation } from './numeric.js';
import type { Pair } from './pairs.js';

/** Within-arm coefficient of variation above which a decision is flagged unreliable. */
export const MAX_ARM_CV = 0.1;
/** |Spearman rho| of an arm against pair index above which a trend counts as drift (needs DRIFT_MIN_PAIRS)... */
export const DRIFT_MAX_RHO = 0.6;
/** ...provided the trend moved the arm's half-run median by more than this: a steady 1% creep in a 1%-noise arm is harmless to a paired comparison. */
export const DRIFT_MIN_TREND_SHIFT = 0.02;
/** Median shift between the first and second half of an arm above which we call it drift, trend or not. */
export const DRIFT_MAX_HALF_SHIFT = 0.05;
export const DRIFT_MIN_PAIRS = 8;

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
