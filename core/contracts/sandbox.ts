// What the sandbox queue's activities (tests, benchmarks) are asked and return.
import type { TestCounts } from '../gate/test-report.js';
import type { IdentityCheck, ReportSummary } from '../gate/test-identity.js';
import type { ProbeSet } from '../gate/file-probes.js';
import type { RequiredCheck, RequiredTests } from '../gate/required-tests.js';
import type { MetricDecision } from '../stats/perf-stats.js';
import type { BenchMode } from '../stats/bench-measure.js';
import type { BenchIntegrity } from '../stats/bench-integrity.js';
import type { WorkspaceSpec } from './workspace.js';

export interface RunTestsRequest {
  /** A workspace on this host (the git host's worktree): runs and trains that predate `workspace`. */
  dir?: string;
  /** The workspace as data: rebuilt on this host from its own mirror, checked, removed afterwards. */
  workspace?: WorkspaceSpec;
  /** The base's, for a candidate given as data: its tests are what the candidate's are held to. */
  baseWorkspace?: WorkspaceSpec;
  /** Untracked paths of the repository linked into a rebuilt workspace, where this host holds the repository. */
  linkPaths?: string[];
  command: string;
  timeoutSeconds: number;
  label: string;
  /** Globs whose files may not be created or changed by a run (tests, config…). */
  protectedPaths: string[];
  /**
   * `base`: record what the run looks for (strace) and its tests, for the candidates to be held to;
   * `candidate`: compare its tests with those recorded for `baseDir`. Absent: neither (older callers).
   */
  role?: 'base' | 'candidate';
  /** The base's workspace (for a candidate). */
  baseDir?: string;
  /** What the base's run looked for and did not find: a candidate's run may not create it. */
  probes?: ProbeSet;
  /** Tracked files (globs) the tests may write; restored after the run. */
  writable?: string[];
  /** A candidate's, in a fix from tests the base could not build: check that each ran and passed (the result's `required`). */
  requiredTests?: RequiredTests;
}

export interface RunBenchmarkRequest {
  /** Globs whose files may not be created or changed by a run (the benchmark harness among them). */
  protectedPaths: string[];
  /** What the base's test run looked for and did not find: a run may not create it. */
  probes?: ProbeSet;
  /** Tracked files (globs) the benchmark may write; restored after each run. */
  writable?: string[];
  /** The base's workspace on this host (runs and trains that predate `baseWorkspace`). */
  baseDir?: string;
  /** Absent: only check that the baseline benchmark runs (one run). */
  candidateDir?: string;
  /** The arms as data (core/contracts/workspace.ts): rebuilt on this host, checked, removed afterwards; they replace the dirs. */
  baseWorkspace?: WorkspaceSpec;
  candidateWorkspace?: WorkspaceSpec;
  /** Untracked paths of the repository linked into rebuilt workspaces, where this host holds the repository. */
  linkPaths?: string[];
  command: string;
  mode: BenchMode;
  minPairs: number;
  maxPairs: number;
  noiseMargin: number;
  timeoutSeconds: number;
  label: string;
}

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
  /** A red base's: git-ignored files of the user's checkout its output says were missing (core/gate/ignored-missing.ts). */
  ignoredMissing?: string[];
  /** A base's: why its build cache was not warmed from the repository's, or that the warm-up was cut short (core/sandbox/warm-up-notes.ts). */
  buildCacheNotes?: string[];
  /** A red base's: its protected test files that did not build or collect, and the tests they define (core/gate/required-tests.ts). */
  unbuiltTests?: RequiredTests;
  /** A red base's: why its test files that did not build are no starting point (the code does not build, a file is not protected…). */
  unbuiltTestsNote?: string;
  /** A candidate's: how its run met `requiredTests`. */
  required?: RequiredCheck;
  /** A base's, pytest: `report` and `counts` are from its second run past its collection errors (core/gate/unbuilt-base.ts). */
  heldPastCollectionErrors?: boolean;
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
  /** What the measurement can vouch for: seeded inputs, results equal to the base's, runs isolated (absent: a cached base check). */
  integrity?: BenchIntegrity;
}
