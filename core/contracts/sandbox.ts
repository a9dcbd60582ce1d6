// What the sandbox queue's activities (tests, benchmarks) return.
import type { TestCounts } from '../gate/test-report.js';
import type { IdentityCheck, ReportSummary } from '../gate/test-identity.js';
import type { ProbeSet } from '../gate/file-probes.js';
import type { MetricDecision } from '../stats/perf-stats.js';

export interface CommandResult {
  exitCode: number | null;
  signal?: string;
  timedOut: boolean;
  durationMs: number;
  output: string; // head+tail excerpt
}

export type SandboxMode = 'bwrap' | 'degraded';

export interface TestRunResult extends CommandResult {
  passed: boolean;
  counts?: TestCounts;
  /** What the candidate did that the sandbox contained or the guard caught (changed protected files…). */
  violations: string[];
  sandbox: SandboxMode;
  /** The runner's structured report, test by test, summed up; absent with `reportNote` saying why. */
  report?: ReportSummary;
  reportNote?: string;
  /** A candidate's tests held against the base's, test by test (or by count when no report could be had). */
  identity?: IdentityCheck;
  /** The kernel killed the run's processes: together they passed the run's memory limit (its cgroup). */
  outOfMemory?: boolean;
  /** The base's run: what it looked for and did not find (runner configuration, snapshots…), and tracked files it could not write. */
  probes?: ProbeSet;
  probesNote?: string;
  /** The tree of the workspace the tests ran in (with a workspace spec: rebuilt and checked on this host). */
  tree?: string;
}

export interface BenchRunResult {
  ok: boolean;
  message?: string;
  sandbox?: SandboxMode;
  /** One statistical decision per metric; the first is the primary one. */
  decisions?: MetricDecision[];
  stoppedBecause?: string;
  /** The raw pairs per metric, in the order they were measured. */
  samples?: Record<string, Array<{ base: number; candidate: number }>>;
  /** How many times each arm's command was started (warm-ups included). */
  runs?: { base: number; candidate: number };
  /** A base-only check: the metrics the base's benchmark prints. */
  metrics?: string[];
  /** What the baseline cache gave this decision: a skipped base warm-up and the calibrated pair budget. */
  baseline?: { cached: boolean; baseWarmUp: boolean; maxPairs: number };
}
