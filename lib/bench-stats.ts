// A deliberately simple performance comparison: medians of interleaved runs.
// (A later issue replaces it with a proper statistical gate.)
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of an empty sample');
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface BenchComparison {
  baseMedianMs: number;
  candidateMedianMs: number;
  /** > 1 means the candidate is faster: base time / candidate time. */
  speedup: number;
  runs: number;
}

export function compareMedians(baseMs: readonly number[], candidateMs: readonly number[]): BenchComparison {
  const b = median(baseMs);
  const c = median(candidateMs);
  return { baseMedianMs: b, candidateMedianMs: c, speedup: c > 0 ? b / c : Number.POSITIVE_INFINITY, runs: Math.min(baseMs.length, candidateMs.length) };
}

export function formatSpeedup(speedup: number): string {
  if (!Number.isFinite(speedup)) return 'n/a';
  return speedup >= 1 ? `${speedup.toFixed(2)}× faster` : `${(1 / speedup).toFixed(2)}× slower`;
}
