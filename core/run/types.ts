// A run's shapes as they cross the Temporal boundary: the workflow's input,
// its live status and its result. Type-only, so the workflow bundle stays
// free of Node APIs; core/run/input.ts validates the input with zod at the
// CLI. What each stage's activity takes and returns is in core/contracts/.
import type { TestCounts } from '../gate/test-report.js';
import type { IdentityCheck } from '../gate/test-identity.js';
import type { SandboxMode } from '../contracts/sandbox.js';
import type { CandidateStatus, ChosenFile } from '../contracts/draft-context.js';
import type { ProviderName } from './queues.js';
import type { RunTarget } from '../contracts/target.js';

export type { DraftSlotPlan, RunTimeouts } from '../contracts/target.js';
export type { CandidateStatus } from '../contracts/draft-context.js';

/** A run: the target (core/contracts/target.ts), the goal's bar and the loop's own settings. */
export interface RunInput extends RunTarget {
  /** A bug-fix run: the base may fail its tests; candidates must pass them all. */
  baselineMayFail: boolean;
  /** Required speedup (e.g. 1.2); absent means "no regression" is enough. */
  speedupGoal?: number;
  /** A change within ±this fraction counts as no change (0.02 = ±2%). */
  regressionTolerance: number;
  maxRounds: number;
  /** Branch that receives the commit; defaults to ouro/<workflow id>. */
  targetBranch?: string;
  hints?: string[];
  /** The release train this run rides on, if any (shown as the OuroTrain search attribute). */
  train?: string;
  /**
   * Draft every round from the same prompt, without the earlier rounds' failures (the base's own failure
   * stays): independent resampling at the loop's budget, the baseline `ouro eval --no-feedback` compares with.
   */
  noFeedback?: boolean;
  /** Refuse a candidate whose benchmark decision the statistics mark unreliable (by default it may be committed, and its trailer says so). */
  requireReliable?: boolean;
}

export type Outcome = 'committed' | 'no-candidate-passed' | 'baseline-broken' | 'no-worker' | 'cancelled';

export interface CandidateRow {
  id: string; // r<round>c<index>, also the draft's routing key
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
  /** What the benchmark could vouch for (core/stats/bench-integrity.ts), in words. */
  benchIntegrity?: string;
  /** The candidate's tests held against the base's. */
  identity?: IdentityCheck;
  tokens?: { prompt: number; completion: number };
  draftMs?: number;
  /** What its prompt showed besides the files and what was cut for its model's window ("tests: …; map: 40 files shown, 212 omitted"). */
  context?: string;
}

/** What drafts were shown (issue 26): the files Ouro chose when none was named, and for each model window what was shown and cut. */
export interface RunContextReport {
  /** With no --files: the files chosen to change, each with why. */
  chosen?: ChosenFile[];
  windows: Array<{ contextTokens: number; report: string[] }>;
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
  context?: RunContextReport;
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
  /** With `no-worker`: which draft queues nobody served, and for how long the drafts waited. */
  unservedReason?: string;
  tokens: { prompt: number; completion: number };
  /** How candidate code was contained; `degraded` when bubblewrap was unavailable. */
  sandbox?: SandboxMode;
  /** How candidates' tests were compared with the base's: by identity, or by count (and why). */
  testIdentity?: string;
  /** The files chosen to change (no --files) and what drafts were shown. */
  context?: RunContextReport;
}
