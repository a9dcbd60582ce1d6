// The one place a workflow's runBenchmark request is built: a run, a search
// and a train measure with the same pair budget and the same fields.
import type * as BenchActivities from '../../activities/sandbox/benchmark.js';
import { MIN_PAIRS } from '../../core/stats/perf-stats.js';

/**
 * Since this patch a speedup goal (a run's --speedup, a promotion's margin) is met only by a verdict
 * of faster, and a benchmark held to one takes at least MIN_PAIRS pairs: fewer can never be
 * significant (6 pairs: never), so the gate and the words it gives could not agree.
 */
export const BENCH_VERDICT_PATCH = 'ouro-bench-verdict';

export type BenchmarkRequest = Parameters<typeof BenchActivities.runBenchmark>[0];

/** What every measurement of one workflow shares; `runs` is the most pairs a decision may take. */
export type BenchmarkSettings = Pick<BenchmarkRequest, 'command' | 'mode' | 'noiseMargin' | 'timeoutSeconds' | 'protectedPaths' | 'probes' | 'writable'> & {
  runs: number;
};

/** The arms: as data any sandbox host rebuilds (workspaces, with the linked paths) or as directories on the host's disk. */
export type BenchmarkArms = Pick<BenchmarkRequest, 'baseWorkspace' | 'candidateWorkspace' | 'linkPaths' | 'baseDir' | 'candidateDir'>;

/** Enough pairs for a verdict: `runs`, raised to MIN_PAIRS (where the early looks can decide too). */
export function pairsForAVerdict(settings: BenchmarkSettings): BenchmarkSettings {
  return { ...settings, runs: Math.max(settings.runs, MIN_PAIRS) };
}

/** At least MIN_PAIRS pairs (all `runs` when fewer) before the runner may stop at a clear verdict; never more than `runs`. */
export function benchmarkRequest({ runs, ...settings }: BenchmarkSettings, arms: BenchmarkArms, label: string): BenchmarkRequest {
  return { ...arms, ...settings, minPairs: Math.min(MIN_PAIRS, runs), maxPairs: runs, label };
}
