// A run's shapes as they cross the Temporal boundary: the workflow's input,
// its live status and its result. Type-only, so the workflow bundle stays
// free of Node APIs; core/run/input.ts validates the input with zod at the
// CLI. What each stage's activity takes and returns is in core/contracts/.
import type { EditFormat } from '../edits/formats/index.js';
import type { ProviderName, QueueNames } from './queues.js';
import type { TestCounts } from '../gate/test-report.js';
import type { BenchMode } from '../stats/bench-measure.js';
import type { IdentityCheck } from '../gate/test-identity.js';
import type { SandboxMode } from '../contracts/sandbox.js';

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
  /**
   * How long a draft may wait for a worker of its provider's queue before the run says nobody serves it
   * (absent in runs started before this option: they wait as long as the draft's own timeout allows).
   */
  draftQueueSeconds?: number;
}

export interface RunInput {
  repo: string;
  /**
   * Where sandbox hosts fetch the repository from (a URL: file://, git://, ssh, https); absent: `repo`
   * itself, which only a host that holds it (or shares its disk) can read.
   */
  source?: string;
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
  /**
   * Draft every round from the same prompt, without the earlier rounds' failures (the base's own failure
   * stays): independent resampling at the loop's budget, the baseline `ouro eval --no-feedback` compares with.
   */
  noFeedback?: boolean;
  /** Refuse a candidate whose benchmark decision the statistics mark unreliable (by default it may be committed, and its trailer says so). */
  requireReliable?: boolean;
}

export type Outcome = 'committed' | 'no-candidate-passed' | 'baseline-broken' | 'no-worker' | 'cancelled';

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
  /** With `no-worker`: which draft queues nobody served, and for how long the drafts waited. */
  unservedReason?: string;
  tokens: { prompt: number; completion: number };
  /** How candidate code was contained; `degraded` when bubblewrap was unavailable. */
  sandbox?: SandboxMode;
  /** How candidates' tests were compared with the base's: by identity, or by count (and why). */
  testIdentity?: string;
}
