// benchmark: the base once, to know it runs; then each survivor against the
// base, one at a time (parallel runs would disturb each other), judged by the
// performance gate.
import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import type * as BenchActivities from '../../activities/sandbox/benchmark.js';
import type { BenchRunResult } from '../../core/contracts/sandbox.js';
import { perfGate } from '../../core/gate/gate.js';
import { OURO_BEST_SPEEDUP } from '../../core/run/search-attributes.js';
import { describeIntegrity } from '../../core/stats/bench-integrity.js';
import { formatDecision } from '../../core/stats/perf-stats.js';
import { headTail } from '../../core/views/excerpt.js';
import { BENCH_VERDICT_PATCH, benchmarkRequest, pairsForAVerdict, type BenchmarkArms, type BenchmarkSettings } from '../shared/benchmark-request.js';
import type { Baseline, RoundView, Survivor } from './round.js';
import { dropOnInfraFailure, publish, sandboxActivities, type Run } from './run.js';

function settings(run: Run, command: string, baseline: Baseline): BenchmarkSettings {
  const { input } = run;
  return {
    command,
    mode: input.benchMode,
    runs: input.benchRuns,
    noiseMargin: input.regressionTolerance,
    timeoutSeconds: input.timeouts.benchSeconds,
    protectedPaths: input.protectedPaths,
    probes: baseline.probes,
    writable: input.writable,
  };
}

function runBenchmark(
  run: Run,
  summary: string,
  command: string,
  baseline: Baseline,
  arms: BenchmarkArms,
  label: string,
  forAVerdict = false,
): Promise<BenchRunResult> {
  const bench = sandboxActivities<typeof BenchActivities>(run, run.input.timeouts.benchSeconds, summary);
  const measured = settings(run, command, baseline);
  return bench.runBenchmark(benchmarkRequest(forAVerdict ? pairsForAVerdict(measured) : measured, arms, label));
}

/** The base alone: its benchmark must run before any candidate is measured against it. */
export function benchmarkBaseline(run: Run, command: string, baseline: Baseline): Promise<BenchRunResult> {
  const { baseSpec } = baseline;
  const arms = baseSpec ? { baseWorkspace: baseSpec, linkPaths: run.input.linkPaths } : { baseDir: baseline.base.baseDir };
  return runBenchmark(run, 'benchmark baseline', command, baseline, arms, 'baseline');
}

/** The survivors the performance gate accepts, measured one at a time; the best speedup so far is a search attribute. */
export async function benchmarkSurvivors(run: Run, survivors: Survivor[], view: RoundView): Promise<Survivor[]> {
  const { status } = run;
  status.phase = 'benchmarking';
  const accepted: Survivor[] = [];
  for (const survivor of survivors) if (await benchmarkSurvivor(run, survivor, view)) accepted.push(survivor);
  const speedups = accepted.map((a) => a.row.speedup).filter((s): s is number => s !== undefined);
  if (speedups.length) {
    status.bestSpeedup = Math.max(status.bestSpeedup ?? 0, ...speedups);
    upsertSearchAttributes([{ key: OURO_BEST_SPEEDUP, value: status.bestSpeedup }]);
  }
  return accepted;
}

/** A survivor against the base, interleaved, judged by the performance gate (no benchmark: the gate passes it as it is). */
async function benchmarkSurvivor(run: Run, survivor: Survivor, view: RoundView): Promise<boolean> {
  const { input } = run;
  const { row } = survivor;
  const arms =
    survivor.spec && view.baseSpec
      ? { baseWorkspace: view.baseSpec, candidateWorkspace: survivor.spec, linkPaths: input.linkPaths }
      : { baseDir: view.base.baseDir, candidateDir: survivor.dir };
  // A goal is met by a verdict of faster, over pairs enough to reach one (what the commit says is what decided).
  const byVerdict = input.speedupGoal !== undefined && input.benchCommand !== undefined && patched(BENCH_VERDICT_PATCH);
  const bench = input.benchCommand
    ? await runBenchmark(run, `benchmark candidate ${row.id}`, input.benchCommand, view, arms, `${run.runId}/${row.id}`, byVerdict).catch((err: unknown) =>
        dropOnInfraFailure(run, err, row, 'benchmark'),
      )
    : undefined;
  if (input.benchCommand && !bench) return false;
  const primary = bench?.decisions?.[0];
  row.speedup = primary?.speedup;
  if (primary) row.benchmark = formatDecision(primary);
  const shaky = bench?.decisions?.find((d) => d.unreliable);
  if (shaky) row.unreliable = `${shaky.name}: ${shaky.reasons.join('; ')}`;
  if (bench?.integrity) row.benchIntegrity = describeIntegrity(bench.integrity);
  const verdict = perfGate(bench, { speedupGoal: input.speedupGoal, requireReliable: input.requireReliable, ...(byVerdict ? { requireVerdict: true } : {}) });
  row.status = verdict.status;
  row.reason = `${row.reason ?? ''}; ${verdict.reason}`.replace(/^; /, '');
  if (!verdict.accepted)
    run.feedback.push({ candidate: row.id, status: row.status, message: `${verdict.reason}\nYour change:\n${headTail(survivor.diff, 1500)}` });
  publish(run);
  return verdict.accepted;
}
