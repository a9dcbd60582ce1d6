// The shapes that cross the Temporal boundary: workflow input, activity
// results, the run report. Type-only, so the workflow bundle stays free of
// Node APIs; lib/run-input.ts validates the input with zod at the CLI.
import type { EditFormat } from './edit-format.js';
import type { ProviderName, QueueNames } from './queues.js';
import type { TestCounts } from './test-report.js';
import type { MetricDecision } from './perf-stats.js';
import type { BenchMode } from './bench-measure.js';
import type { IdentityCheck, ReportSummary } from './test-identity.js';
import type { ProbeSet } from './file-probes.js';

export interface DraftSlotPlan {
  provider: ProviderName;
  count: number;
  model: string;
  baseUrl?: string;
  apiKeyVar?: string;
  editFormat: EditFormat;
  maxOutputTokens: number;
  temperature: number;
}

export interface RunTimeouts {
  draftSeconds: number;
  testSeconds: number;
  benchSeconds: number;
  /** How soon a silent test/bench activity is declared lost (dead worker). */
  heartbeatSeconds: number;
}

export interface RunInput {
  repo: string;
  baseRef: string;
  goal: string;
  /** Paths or globs the model may change. */
  files: string[];
  protectedPaths: string[];
  testCommand: string;
  /** A bug-fix run: the base may fail its tests; candidates must pass them all. */
  baselineMayFail: boolean;
  benchCommand?: string;
  benchMode: BenchMode;
  /** Most A/B pairs per decision (the runner stops earlier when the verdict is clear). */
  benchRuns: number;
  /** Required speedup (e.g. 1.2); absent means "no regression" is enough. */
  speedupGoal?: number;
  /** A change within ±this fraction counts as no change (0.02 = ±2%). */
  regressionTolerance: number;
  drafts: DraftSlotPlan[];
  maxRounds: number;
  /** Branch that receives the commit; defaults to ouro/<workflow id>. */
  targetBranch?: string;
  /** Untracked paths of the repo linked into each workspace (e.g. node_modules). */
  linkPaths: string[];
  timeouts: RunTimeouts;
  queues: QueueNames;
  hints?: string[];
  /** The release train this run rides on, if any (shown as the OuroTrain search attribute). */
  train?: string;
  /** Tracked files (globs) the tests and benchmark may write; every other file of the workspace is read-only while they run. */
  writable?: string[];
  /** The longest model reply kept (bytes); a longer one stops streaming and fails that draft. */
  maxReplyBytes?: number;
  /** Refuse a candidate whose benchmark decision the statistics mark unreliable (by default it may be committed, and its trailer says so). */
  requireReliable?: boolean;
}

export type Outcome = 'committed' | 'no-candidate-passed' | 'baseline-broken' | 'cancelled';

export type CandidateStatus =
  | 'pending'
  | 'drafting'
  | 'testing'
  | 'benchmarking'
  | 'draft-failed'
  | 'malformed'
  | 'refused'
  | 'tests-failed'
  | 'slower'
  | 'below-goal'
  | 'unreliable'
  | 'dropped'
  | 'passed'
  | 'not-best'
  | 'committed';

export interface CandidateRow {
  id: string;           // r<round>c<index>, also the draft's routing key
  round: number;
  index: number;
  /** Which entry of RunInput.drafts drafted it. */
  slot: number;
  provider: ProviderName;
  model: string;
  status: CandidateStatus;
  reason?: string;
  changed?: string[];
  tests?: TestCounts;
  speedup?: number;
  /** The benchmark decision in words, e.g. "1.23× faster, 95% CI 1.19–1.27×, 14 pairs (…)". */
  benchmark?: string;
  /** Why the benchmark decision is unreliable, when it is. */
  unreliable?: string;
  /** The candidate's tests held against the base's. */
  identity?: IdentityCheck;
  tokens?: { prompt: number; completion: number };
  draftMs?: number;
}

export interface RunStatus {
  phase: 'baseline' | 'drafting' | 'testing' | 'benchmarking' | 'committing' | 'done';
  round: number;
  maxRounds: number;
  baseSha?: string;
  candidates: CandidateRow[];
  bestSpeedup?: number;
  hints: string[];
  outcome?: Outcome;
  sandbox?: SandboxMode;
  /** How candidates' tests are compared with the base's: by identity, or by count (and why). */
  testIdentity?: string;
}

export interface RunResult {
  outcome: Outcome;
  commitSha?: string;
  branch?: string;
  baseSha?: string;
  rounds: number;
  candidates: CandidateRow[];
  diff?: string;
  baselineReason?: string;
  tokens: { prompt: number; completion: number };
  /** How candidate code was contained; `degraded` when bubblewrap was unavailable. */
  sandbox?: SandboxMode;
  /** How candidates' tests were compared with the base's: by identity, or by count (and why). */
  testIdentity?: string;
}

// ---- activity contracts ----

export interface FileSnapshot {
  path: string;
  content: string;
}

export interface PrepareResult {
  baseSha: string;
  baseDir: string;
  files: FileSnapshot[];
}

export interface FeedbackItem {
  candidate: string;
  status: CandidateStatus;
  message: string;
}

export interface DraftRequest {
  candidateId: string;
  slot: DraftSlotPlan;
  goal: string;
  files: FileSnapshot[];
  allowed: string[];
  hints: string[];
  feedback: FeedbackItem[];
  /** The longest reply kept; a longer one fails as draft-failed (default 256 KiB). */
  maxReplyBytes?: number;
}

export interface DraftResult {
  text: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  firstTokenMs?: number;
}

export type ApplyOutcome =
  | { ok: true; dir: string; changed: string[]; diff: string }
  | { ok: false; status: 'malformed' | 'refused'; message: string };

export interface CommandResult {
  exitCode: number | null;
  signal?: string;
  timedOut: boolean;
  durationMs: number;
  output: string;      // head+tail excerpt
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
  /** What the baseline cache gave this decision: a skipped base warm-up and the calibrated pair budget. */
  baseline?: { cached: boolean; baseWarmUp: boolean; maxPairs: number };
}

export interface CommitRequest {
  repo: string;
  dir: string;
  baseSha: string;
  branch: string;
  changed: string[];
  message: string;
  trailers: Record<string, string>;
  /** Workflow time, so a retried commit produces the very same object. */
  timestampMs: number;
}

export interface CommitResult {
  sha: string;
  reused: boolean;
}
