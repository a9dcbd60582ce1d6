import type { BenchRunResult, CandidateStatus, TestRunResult } from './run-types.js';
import { describeCounts, type TestCounts } from './test-report.js';
import { formatDecision } from './perf-stats.js';

export interface GatePolicy {
  speedupGoal?: number;
}

export interface GateVerdict {
  accepted: boolean;
  status: CandidateStatus;
  reason: string;
}

/**
 * Tests gate: green only when the runner exited 0, reported no failure, the
 * sandbox guard saw nothing amiss, and (test anchors) the candidate ran at
 * least as many tests as the base: skipping or deleting tests never helps.
 */
export function testGate(r: TestRunResult, baseline?: TestCounts): GateVerdict {
  if (r.violations?.length) return { accepted: false, status: 'refused', reason: `the candidate ${r.violations.join('; ')}` };
  if (r.timedOut) return { accepted: false, status: 'tests-failed', reason: `tests killed after ${Math.round(r.durationMs / 1000)} s wall time` };
  const failedCount = r.counts?.failed ?? 0;
  if (r.exitCode === 0 && failedCount === 0) {
    if (baseline && !r.counts) return { accepted: false, status: 'tests-failed', reason: `the test runner's summary is missing (the base printed one: ${describeCounts(baseline, 0)})` };
    if (baseline && r.counts && r.counts.total < baseline.total) {
      return { accepted: false, status: 'tests-failed', reason: `ran ${r.counts.total} tests where the base ran ${baseline.total}: tests may not be skipped or removed` };
    }
    return { accepted: true, status: 'passed', reason: `tests ${describeCounts(r.counts, r.exitCode)}` };
  }
  // A runner that reports no failure but exits non-zero (a crash at teardown, a forced exit) still fails.
  const exitNote = r.exitCode !== 0 && failedCount === 0 && r.counts ? ` but the command exited ${r.exitCode ?? `on signal ${r.signal}`}` : '';
  const roNote = /EROFS|Read-only file system/.test(r.output) ? '; it tried to write outside its workspace (read-only)' : '';
  return { accepted: false, status: 'tests-failed', reason: `tests ${describeCounts(r.counts, r.exitCode)}${exitNote}${roNote}` };
}

/**
 * Performance gate over the benchmark's statistical decisions: any metric
 * judged `slower` rejects; a speedup goal is met only when the lower end of
 * the primary metric's interval reaches it (a lucky point estimate is not
 * enough); otherwise the candidate passes.
 */
export function perfGate(bench: BenchRunResult | undefined, policy: GatePolicy): GateVerdict {
  if (!bench) {
    return policy.speedupGoal
      ? { accepted: false, status: 'below-goal', reason: 'a speedup was asked but no benchmark ran' }
      : { accepted: true, status: 'passed', reason: 'no benchmark configured' };
  }
  const primary = bench.decisions?.[0];
  if (!bench.ok || !primary) return { accepted: false, status: 'slower', reason: `benchmark failed: ${bench.message ?? 'no measurement'}` };
  const slower = bench.decisions!.find((d) => d.verdict === 'slower');
  if (slower) return { accepted: false, status: 'slower', reason: `${slower.name}: ${formatDecision(slower)}` };
  if (policy.speedupGoal && !(primary.ci[0] >= policy.speedupGoal)) {
    return { accepted: false, status: 'below-goal', reason: `${formatDecision(primary)}; the goal ${policy.speedupGoal}× needs the interval's lower end at or above it` };
  }
  return { accepted: true, status: 'passed', reason: formatDecision(primary) };
}

/** The single best accepted candidate: highest speedup, earliest on ties. */
export function pickBest<T extends { speedup?: number }>(accepted: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const c of accepted) {
    if (!best || (c.speedup ?? 1) > (best.speedup ?? 1)) best = c;
  }
  return best;
}
