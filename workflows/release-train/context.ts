// What every stage of a release train shares: its input, its state (the one
// object carried across continue-as-new), the person's decision, and the
// small verbs each stage uses to show progress, checkpoint and finish.
import { setCurrentDetails, upsertSearchAttributes, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type * as TestActivities from '../../activities/sandbox/test.js';
import type { TestRunResult } from '../../core/contracts/sandbox.js';
import { OURO_TRAIN_STAGE } from '../../core/run/search-attributes.js';
import type { RunInput } from '../../core/run/types.js';
import type { TaskRide, TrainDecision, TrainInput, TrainOutcome, TrainPlan, TrainResult, TrainStage, TrainState } from '../../core/train/types.js';
import { renderTrainMarkdown } from '../../core/views/train-view.js';
import { activities, gitOptions, sandboxOptions } from '../activity-options.js';

/** History events after which a train continues as new (Temporal's own suggestion comes first). */
const HISTORY_BUDGET = 10_000;
export const TRAIN_TRAILER = 'Ouro-Train';
export const TASK_TRAILER = 'Ouro-Task';

export interface Train {
  input: TrainInput;
  trainId: string;
  state: TrainState;
  /** A person's verdict, set by the decide update. */
  decision?: TrainDecision;
  /** Continues as new with the state (set by the workflow: it names itself). */
  continueWith: (input: TrainInput) => Promise<never>;
}

/** A value a stage needs that an earlier stage set; missing means a bug, said plainly. */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the train's ${what} is missing: an earlier stage did not set it`);
  return value;
}

export const planOf = (train: Train): TrainPlan => need(train.state.plan, 'plan');
export const integrationDir = (train: Train): string => need(train.state.integrationDir, 'integration worktree');
export const headOf = (train: Train): string => need(train.state.head, 'integration head');

/** The run request of a planned task. */
export function inputOf(train: Train, task: string): RunInput {
  return need(planOf(train).tasks.find((x) => x.task.id === task)?.input, `run input of task ${task}`);
}

export function publish(train: Train): void {
  setCurrentDetails(renderTrainMarkdown(train.input.name, train.state));
}

export function enter(train: Train, stage: TrainStage): void {
  train.state.stage = stage;
  upsertSearchAttributes([{ key: OURO_TRAIN_STAGE, value: stage }]);
  publish(train);
}

/** Continues as new at a stage boundary once the history is long, carrying the state. */
export async function checkpoint(train: Train): Promise<void> {
  const info = workflowInfo();
  if (info.continueAsNewSuggested || info.historyLength > (train.input.historyBudget ?? HISTORY_BUDGET)) {
    const { resume: _, ...rest } = train.input;
    await train.continueWith({ ...rest, resume: { ...train.state, generation: train.state.generation + 1 } });
  }
}

/** The train's outcome; whatever did not ship goes back to the backlog (the release being refused is not the task's fault). */
export function finish(train: Train, outcome: TrainOutcome, reason?: string): void {
  train.state.outcome = outcome;
  train.state.outcomeReason = reason;
  for (const r of train.state.rides) {
    if (!r.result) {
      r.result = 'returned';
      r.reason = reason ?? outcome;
      r.countsAsAttempt = false;
    }
  }
}

export function report(train: Train): TrainResult {
  const { state } = train;
  return {
    outcome: state.outcome ?? 'nothing-to-release',
    reason: state.outcomeReason,
    tag: state.tag,
    releaseSha: state.releaseSha,
    rides: state.rides,
    generations: state.generation,
  };
}

/** A git-queue activity proxy whose calls show `summary` in the Web UI. */
export function git<T>(train: Train, summary: string): T {
  return activities<T>(gitOptions(train.input.queues.git, '5 minutes'), summary);
}

export function sandbox<T>(train: Train, seconds: number, summary: string): T {
  const options: ActivityOptions = sandboxOptions(train.input.queues.sandbox, seconds, train.input.timeouts.heartbeatSeconds);
  return activities<T>(options, summary);
}

/** A test run in the integration worktree, wherever its head is now. */
export function testHere(train: Train, command: string, summary: string, label = summary): Promise<TestRunResult> {
  return sandbox<typeof TestActivities>(train, train.input.timeouts.testSeconds, summary).runTests({
    dir: integrationDir(train),
    command,
    timeoutSeconds: train.input.timeouts.testSeconds,
    label,
    protectedPaths: planOf(train).suite.protectedPaths,
  });
}

/** The release suite on the integration head. */
export const suiteTest = (train: Train, label: string) => testHere(train, planOf(train).suite.test, label);

/**
 * Highest priority first (stable, so ties keep plan order): when two changes conflict, the more
 * important one ships; bisect walks the same order, in which each commit holds all before it.
 */
export const integrationOrder = (rides: TaskRide[]) => [...rides].sort((a, b) => b.priority - a.priority);
