// What the performance gate measures: interleaved base/candidate pairs, and
// the per-pair log ratio that every estimator, test and decision works on.

/** One interleaved pair of measurements (time or instruction count); lower is better unless told otherwise. */
export interface Pair {
  base: number;
  candidate: number;
}

/** True for a measurement we can take a log ratio of: finite and strictly positive. */
export function isValidMeasurement(x: number): boolean {
  return Number.isFinite(x) && x > 0;
}

/** Per-pair log ratios, oriented so that > 0 means the candidate is better. */
export function logRatios(pairs: readonly Pair[], lowerIsBetter = true): number[] {
  return pairs.map((p) => (lowerIsBetter ? Math.log(p.base / p.candidate) : Math.log(p.candidate / p.base)));
}
