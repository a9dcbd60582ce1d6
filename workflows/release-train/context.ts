// What every stage of a release train shares: its input, its state (the one
// object carried across continue-as-new), the person's decision, and the
// small verbs each stage uses to show progress, checkpoint and finish.
import { patched, setCurrentDetails, upsertSearchAttributes, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type * as IntegrateActivities from '../../activities/git/integrate.js';
import type * as TestActivities from '../../activities/sandbox/test.js';
import type { TestRunResult } from '../../core/contracts/sandbox.js';
import type { WorkspaceSpec } from '../../core/contracts/workspace.js';
import { branchSafe } from '../../core/run/branch-name.js';
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
export function gitActivities<T>(train: Train, summary: string): T {
  return activities<T>(gitOptions(train.input.queues.git, '5 minutes'), summary);
}

export function sandbox<T>(train: Train, seconds: number, summary: string): T {
  const options: ActivityOptions = sandboxOptions(train.input.queues.sandbox, seconds, train.input.timeouts.heartbeatSeconds);
  return activities<T>(options, summary);
}

/**
 * Trains test commits as data, like runs test candidates: any sandbox host rebuilds the commit from
 * its own mirror. Before this, they tested the git host's integration worktree by path.
 */
export const TRAIN_COMMITS_AS_DATA = 'ouro-train-commits-as-data';

/** Where a train keeps the commits it hands to sandbox hosts (removed when it ends). */
// One path component per train: an id with a '/' in it must not nest under another train's refs.
export const trainRefs = (train: Train): string => `refs/ouro/trains/${branchSafe(train.trainId).replace(/\//g, '-')}`;

/** `sha` pinned under the train's refs, as a workspace any sandbox host can rebuild. */
export async function commitAsData(train: Train, sha: string, slot: string, label: string): Promise<WorkspaceSpec> {
  const pin = gitActivities<typeof IntegrateActivities>(train, `pin ${sha.slice(0, 10)} for the sandbox hosts`);
  const { tree } = await pin.pinCommit({ repo: train.input.repo, sha, ref: `${trainRefs(train)}/${slot}` });
  return { source: planOf(train).suite.source ?? train.input.repo, baseSha: sha, tree, runId: train.trainId, label };
}

/** A test run of `sha`, the commit the integration worktree was just moved to. */
export async function testHere(train: Train, sha: string, command: string, summary: string, label = summary): Promise<TestRunResult> {
  const suite = planOf(train).suite;
  const request = { command, timeoutSeconds: train.input.timeouts.testSeconds, label, protectedPaths: suite.protectedPaths };
  const where = patched(TRAIN_COMMITS_AS_DATA)
    ? { workspace: await commitAsData(train, sha, 'tested', label), linkPaths: suite.linkPaths }
    : { dir: integrationDir(train) };
  return sandbox<typeof TestActivities>(train, train.input.timeouts.testSeconds, summary).runTests({ ...where, ...request });
}

/** The release suite on `sha`. */
export const suiteTest = (train: Train, sha: string, label: string) => testHere(train, sha, planOf(train).suite.test, label);

/**
 * Highest priority first (stable, so ties keep plan order): when two changes conflict, the more
 * important one ships; bisect walks the same order, in which each commit holds all before it.
 */
export const integrationOrder = (rides: TaskRide[]) => [...rides].sort((a, b) => b.priority - a.priority);
