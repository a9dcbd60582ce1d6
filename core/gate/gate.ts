import type { CandidateStatus } from '../run/types.js';
import type { BenchRunResult, TestRunResult } from '../contracts/sandbox.js';
import { describeCounts, runnerEvidence, type TestCounts } from './test-report.js';
import { describeIdentity } from './test-identity.js';
import { noTestsRan, testsThatRan } from './tests-ran.js';
import { formatDecision, minPairsForVerdict } from '../stats/perf-stats.js';
import { ignoredMissingReason } from './ignored-missing.js';
import { requiredFailure, type RequiredTests } from './required-tests.js';

export interface GatePolicy {
  speedupGoal?: number;
  /** Refuse a decision the statistics marked unreliable (high spread or drift) even when it is not slower. */
  requireReliable?: boolean;
  /** The metric the goal is about (absent: the benchmark's first, its primary). */
  metric?: string;
  /**
   * A goal is met only by a verdict of `faster` (significant, and the interval past the noise
   * margin) whose interval's lower end reaches the goal: what the reason says is what decided.
   * Absent: the interval alone (runs and searches recorded before, which replay as they ran).
   */
  requireVerdict?: boolean;
}

export interface TestGateOptions {
  /** A run that shows no test that ran never passes, and by count it must pass as many tests as the base ran (skipped ones are not run). */
  requireTestsRan?: boolean;
  /** A fix from tests the base could not build: each of these must have run and passed (the run's `required` says). */
  requiredTests?: RequiredTests;
}

export interface GateVerdict {
  accepted: boolean;
  status: CandidateStatus;
  reason: string;
}

/**
 * Tests gate: green only when the runner exited 0, reported no failure, the
 * sandbox guard saw nothing amiss, and every test the base ran ran again and
 * passed, by identity (file + full name, from the runner's structured
 * report). Where no report could be had, the count check stands in (the
 * candidate ran at least as many tests as the base, and its runner still
 * printed a summary), and the reason says so.
 */
export function testGate(r: TestRunResult, baseline?: TestCounts, opts: TestGateOptions = {}): GateVerdict {
  if (r.violations?.length) return { accepted: false, status: 'refused', reason: `the candidate ${r.violations.join('; ')}` };
  if (r.timedOut) return { accepted: false, status: 'tests-failed', reason: `tests killed after ${Math.round(r.durationMs / 1000)} s wall time` };
  // Like time, the run's memory is a budget: a process killed for passing it fails the run, whatever the rest printed.
  if (r.outOfMemory)
    return {
      accepted: false,
      status: 'tests-failed',
      reason: `tests ${describeCounts(r.counts, r.exitCode)}; the run's processes together exceeded its memory limit (OURO_SANDBOX_MEMORY_MB) and the kernel killed one`,
    };
  const failedCount = Math.max(r.counts?.failed ?? 0, r.report?.failed ?? 0);
  const identity = r.identity;
  if (r.exitCode === 0 && failedCount === 0) {
    // Two channels from one runner: on a green run, a report listing more tests than the runner's own
    // summary was written by someone else (a red run's report may list a file that failed to load).
    if (r.report && r.counts && r.report.tests > r.counts.total) {
      return {
        accepted: false,
        status: 'tests-failed',
        reason: `the runner's report lists ${r.report.tests} tests but its summary ${r.counts.total}: the report was not the runner's alone`,
      };
    }
    if (identity?.method === 'identity' && (identity.missingCount || identity.notPassedCount)) {
      return {
        accepted: false,
        status: 'tests-failed',
        reason: `${describeIdentity(identity)}${identity.note ? ` (${identity.note})` : ''}: the base's tests may not be replaced, skipped or removed`,
      };
    }
    const unmet = opts.requiredTests ? requiredFailure(opts.requiredTests, r.required) : undefined;
    if (unmet) return { accepted: false, status: 'tests-failed', reason: unmet };
    const how = identity ? `; ${describeIdentity(identity)}` : '';
    if (identity?.method !== 'identity') {
      // go, from tests the base could not build: the base's count holds no verdict of their packages, so only
      // the verdicts outside them are held to it (theirs would make up for tests another package lost).
      const counts = opts.requiredTests?.runner === 'go' && r.counts && r.required?.outside ? { ...r.counts, ...r.required.outside } : r.counts;
      if (baseline && !counts)
        return {
          accepted: false,
          status: 'tests-failed',
          reason: `the test runner's summary is missing (the base printed one: ${describeCounts(baseline, 0)})`,
        };
      if (baseline && counts && counts.total < baseline.total) {
        return {
          accepted: false,
          status: 'tests-failed',
          reason: `ran ${counts.total} tests${counts !== r.counts ? ' outside the packages that did not build at the base' : ''} where the base ran ${baseline.total}: tests may not be skipped or removed`,
        };
      }
      if (opts.requireTestsRan && baseline && counts && counts.passed < testsThatRan(baseline)) {
        return {
          accepted: false,
          status: 'tests-failed',
          reason: `passed ${counts.passed} tests${counts !== r.counts ? ' outside the packages that did not build at the base' : ''} where the base ran ${testsThatRan(baseline)}: the base's tests must run again and pass, not be skipped`,
        };
      }
    }
    const none = opts.requireTestsRan ? noTestsRan(r) : undefined;
    if (none) return { accepted: false, status: 'tests-failed', reason: `no test ran: ${none}` };
    return { accepted: true, status: 'passed', reason: `tests ${describeCounts(r.counts, r.exitCode)}${how}` };
  }
  // A runner that reports no failure but exits non-zero (a crash at teardown, a forced exit) still fails.
  const exitNote = r.exitCode !== 0 && failedCount === 0 && r.counts ? ` but the command exited ${r.exitCode ?? `on signal ${r.signal}`}` : '';
  const roNote = /EROFS|Read-only file system|EACCES|permission denied/i.test(r.output)
    ? '; it tried to write a read-only path (every file of the workspace and everything outside it is read-only while tests run)'
    : '';
  return { accepted: false, status: 'tests-failed', reason: `tests ${describeCounts(r.counts, r.exitCode)}${exitNote}${roNote}` };
}

/**
 * Why a red base is no starting point even for a bug fix: its test runner never ran (a
 * missing interpreter or module, a typo in the command) or it writes files the sandbox
 * keeps read-only. Undefined when the base's failure is failing tests.
 */
export function brokenBaseline(r: TestRunResult, writableHint: string): string | undefined {
  const denied = r.probes?.deniedWrites ?? [];
  if (r.exitCode !== 0 && denied.length) {
    return `the base's tests write tracked files (${denied.slice(0, 5).join(', ')}${denied.length > 5 ? ', …' : ''}), which stay read-only while tests run so that no run can change what the tests compare against; ${writableHint}`;
  }
  if (r.exitCode === 0 || r.timedOut) return undefined;
  // Collection errors are pytest's, yet no failing test: a generated, git-ignored module was missing.
  const ignored = ignoredMissingReason(r.ignoredMissing ?? []);
  if (ignored) return ignored;
  if ((r.report?.tests ?? 0) > 0 || (r.counts?.total ?? 0) > 0 || runnerEvidence(r.output)) return undefined;
  const line = r.output
    .split('\n')
    .find((l) =>
      /not found|No such file|No module named|Cannot find (module|package)|ERR_MODULE_NOT_FOUND|ModuleNotFoundError|is not recognized|cannot execute|Permission denied/i.test(
        l,
      ),
    );
  return line
    ? `the test runner did not start (${line.trim().slice(0, 200)}): that is not a failing test suite`
    : `the test command exited ${r.exitCode ?? `on signal ${r.signal}`} without reporting any test (no summary line, no structured report): that is not a failing test suite`;
}

/**
 * Performance gate over the benchmark's statistical decisions: any metric
 * judged `slower` rejects; a speedup goal is met only when the lower end of
 * the primary metric's interval reaches it (a lucky point estimate is not
 * enough) and, with `requireVerdict`, the verdict is `faster`; otherwise the
 * candidate passes.
 */
export function perfGate(bench: BenchRunResult | undefined, policy: GatePolicy): GateVerdict {
  if (!bench) {
    return policy.speedupGoal
      ? { accepted: false, status: 'below-goal', reason: 'a speedup was asked but no benchmark ran' }
      : { accepted: true, status: 'passed', reason: 'no benchmark configured' };
  }
  const primary = policy.metric ? bench.decisions?.find((d) => d.name === policy.metric) : bench.decisions?.[0];
  if (!bench.ok || !primary) {
    const why = bench.ok && bench.decisions?.length ? `no metric "${policy.metric}" in its report` : (bench.message ?? 'no measurement');
    return { accepted: false, status: 'slower', reason: `benchmark failed: ${why}` };
  }
  const slower = bench.decisions!.find((d) => d.verdict === 'slower');
  if (slower) return { accepted: false, status: 'slower', reason: `${slower.name}: ${formatDecision(slower)}` };
  const shaky = bench.decisions!.find((d) => d.unreliable);
  if (policy.requireReliable && shaky) {
    return {
      accepted: false,
      status: 'unreliable',
      reason: `${shaky.name}: ${formatDecision(shaky)}; --require-reliable refuses a decision the statistics do not trust`,
    };
  }
  if (policy.speedupGoal && policy.requireVerdict && primary.verdict !== 'faster') {
    const few = primary.pairs < minPairsForVerdict() ? `: ${primary.pairs} pairs can never be significant (at least ${minPairsForVerdict()} are needed)` : '';
    return {
      accepted: false,
      status: 'below-goal',
      reason: `${formatDecision(primary)}; the goal ${policy.speedupGoal}× needs a verdict of faster${few}`,
    };
  }
  if (policy.speedupGoal && !(primary.ci[0] >= policy.speedupGoal)) {
    return {
      accepted: false,
      status: 'below-goal',
      reason: `${formatDecision(primary)}; the goal ${policy.speedupGoal}× needs the interval's lower end at or above it`,
    };
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
