// The release train's request, state and report: plain data shared by the
// workflow (workflows/release-train/), its activities and the CLI.
import type { QueueNames } from '../run/queues.js';
import type { Bump } from './semver.js';
import type { BenchMode } from '../stats/bench-measure.js';
import type { Outcome, RunInput } from '../run/types.js';
import type { TaskRecord, TaskResult } from './backlog.js';

export interface TrainInput {
  /** The train's name; the schedule is `ouro-train-<name>`. */
  name: string;
  repo: string;
  /** Receives every release; created from `baseRef` on the first one. */
  releaseBranch: string;
  baseRef: string;
  maxParallel: number;
  maxTasks: number;
  /** Failed rides before a task is given up (kept in the backlog, marked gave-up). */
  maxAttempts: number;
  bump: Bump;
  tagPrefix: string;
  /** A human gate before tagging; absent: tag as soon as verification passes. */
  approval?: { timeoutSeconds: number; reminderSeconds: number };
  /** `ouro run` flags applied to every task (drafts, model, rounds, …); the task's own fields win. */
  runFlags: Record<string, unknown>;
  queues: QueueNames;
  timeouts: { testSeconds: number; benchSeconds: number; heartbeatSeconds: number };
  /** Continue as new once the history passes this many events (tests set it low). */
  historyBudget?: number;
  /** Set by continue-as-new: where the previous run of this train stopped. */
  resume?: TrainState;
}

export type TrainStage = 'planning' | 'running-tasks' | 'integrating' | 'verifying' | 'bisecting' | 'awaiting-approval' | 'releasing' | 'settling' | 'done';

export type TrainOutcome = 'released' | 'nothing-to-release' | 'rejected' | 'approval-timed-out' | 'verification-failed' | 'slower' | 'cancelled';

/** What the plan activity resolved for this train (recorded once in history). */
export interface TrainPlan {
  baseSha: string;
  /** The release branch existed (its tip is baseSha) or starts from baseRef. */
  releaseBranchExisted: boolean;
  previousTag?: string;
  previousSha?: string;
  suite: {
    test: string;
    bench?: string;
    benchMode: BenchMode;
    benchRuns: number;
    tolerance: number;
    protectedPaths: string[];
    linkPaths: string[];
    /** Where sandbox hosts fetch the repository for the release suite (`--source`, "source" in ouro.config.json); absent: its path. */
    source?: string;
  };
  tasks: Array<{ task: TaskRecord; input?: RunInput; invalid?: string }>;
  imported: string[];
}

export interface TaskRide {
  task: string;
  goal: string;
  priority: number;
  childId?: string;
  runOutcome?: Outcome | 'failed';
  commit?: string;
  /** The commit on the integration branch once cherry-picked. */
  integrated?: string;
  result?: TaskResult;
  reason?: string;
  speedup?: number;
  countsAsAttempt?: boolean;
}

export interface TrainState {
  stage: TrainStage;
  plan?: TrainPlan;
  rides: TaskRide[];
  integrationDir?: string;
  /** The integration head: baseSha plus every change integrated so far. */
  head?: string;
  verification?: { tests: string; benchmark?: string; slower?: boolean };
  bisect?: { culprit: string; why: string }[];
  approval?: { deadlineMs: number; decidedBy?: string; approved?: boolean; reason?: string; reminders: number };
  tag?: string;
  releaseSha?: string;
  outcome?: TrainOutcome;
  outcomeReason?: string;
  /** Runs of this train chained by continue-as-new (1 for the first). */
  generation: number;
}

export interface TrainDecision {
  approve: boolean;
  by?: string;
  reason?: string;
}

export interface TrainResult {
  outcome: TrainOutcome;
  reason?: string;
  tag?: string;
  releaseSha?: string;
  rides: TaskRide[];
  generations: number;
}
