// What every stage of an eval shares: its input, its id, the rows it has so
// far and the status the query and the Web UI show, and the small verbs each
// stage uses to reach the activities and count a finished row.
import { setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type * as JudgeActivities from '../../activities/sandbox/judge.js';
import { finishedCounts, formatProgress } from '../../core/eval/metrics.js';
import { rowKey, type EvalInput, type EvalResult, type EvalRow, type EvalStatus } from '../../core/eval/types.js';
import { activities, gitOptions, sandboxOptions } from '../activity-options.js';
import { evalStatusQuery } from '../definitions.js';

/** History events after which an eval continues as new (it drains its runs first). */
const HISTORY_BUDGET = 8_000;

export interface Evaluation {
  input: EvalInput;
  evalId: string;
  status: EvalStatus;
  /** Every finished task × sample, by rowKey: the saved rows kept, then each recorded here. */
  rows: Map<string, EvalRow>;
}

/** A fresh evaluation whose status the eval status query answers from then on. */
export function openEvaluation(input: EvalInput): Evaluation {
  const status: EvalStatus = {
    suite: input.suite,
    total: input.sampleJobs?.length ?? input.tasks.length * input.samples,
    done: 0,
    passed: 0,
    failed: 0,
    running: 0,
    startedMs: Date.now(),
    oracle: input.oracle,
  };
  setHandler(evalStatusQuery, () => status);
  return { input, evalId: workflowInfo().workflowId, status, rows: new Map() };
}

export function publish({ input, status }: Evaluation): void {
  setCurrentDetails(`**eval ${input.suite}**${input.oracle ? ' (ORACLE: gated on the hidden tests)' : ''}: ${formatProgress(status)}`);
}

/** A finished row joins the others, and the status counts it. */
export function count(evaluation: Evaluation, row: EvalRow): void {
  const { rows, status } = evaluation;
  rows.set(rowKey(row.task, row.sample), row);
  const { baseBroken, ...counts } = finishedCounts([...rows.values()]);
  Object.assign(status, counts);
  // Kept out of the status until a base breaks, so a status without any keeps its shape.
  if (baseBroken) status.baseBroken = baseBroken;
  else delete status.baseBroken;
}

/** `work` on `size` task × samples, counted as running (in the status and on the Web UI) until it ends. */
export async function inFlight(evaluation: Evaluation, size: number, work: () => Promise<void>): Promise<void> {
  evaluation.status.running += size;
  publish(evaluation);
  try {
    await work();
  } finally {
    evaluation.status.running -= size;
    publish(evaluation);
  }
}

/** Past this, the eval stops starting work and continues as new once what is in flight has ended. */
export function historyIsLong(evaluation: Evaluation): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > (evaluation.input.historyBudget ?? HISTORY_BUDGET);
}

/** A git-queue activity proxy whose calls show `summary` in the Web UI. */
export function git<T>(evaluation: Evaluation, summary: string): T {
  return activities<T>(gitOptions(evaluation.input.run.queues.git, '5 minutes'), summary);
}

export function sandbox<T>(evaluation: Evaluation, seconds: number, summary: string): T {
  const { queues, timeouts } = evaluation.input.run;
  return activities<T>(sandboxOptions(queues.sandbox, seconds, timeouts.heartbeatSeconds), summary);
}

/** The hidden tests of one committed solution; with `testSeconds`, an activity long enough for that limit. */
export const hiddenTests = (evaluation: Evaluation, summary: string, testSeconds?: number) =>
  sandbox<typeof JudgeActivities>(evaluation, Math.max(60, (testSeconds ?? 0) + 30), summary);

/** Every finished row, in task × sample order. */
export function report({ input, status, rows }: Evaluation): EvalResult {
  const ordered = input.tasks.flatMap((task) =>
    Array.from({ length: input.samples }, (_, sample) => rows.get(rowKey(task, sample))).filter((row): row is EvalRow => row !== undefined),
  );
  return { status, rows: ordered };
}
