// The runs mode: each task × sample is run by the loop itself, as a child
// SelfCodingWorkflow driven by the task's visible tests, and what it commits
// is judged by the hidden tests.
import { executeChild, isCancellation, ParentClosePolicy } from '@temporalio/workflow';
import type * as EvalTaskActivities from '../../activities/git/eval-task.js';
import type { SampleJob } from '../../core/eval/samples.js';
import type { EvalInput, EvalRow, PreparedTask } from '../../core/eval/types.js';
import type { RunInput, RunResult } from '../../core/run/types.js';
import { SelfCodingWorkflow } from '../self-coding/workflow.js';
import { count, git, hiddenTests, type Evaluation } from './context.js';

/** How a child run ended: its result, or why it has none. */
type ChildOutcome = { result: RunResult; failure?: undefined } | { result?: undefined; failure: string };

/** One task × sample: prepare → run → judge → record. */
export async function runTask(evaluation: Evaluation, { task, sample }: Pick<SampleJob, 'task' | 'sample'>): Promise<void> {
  const { input, evalId } = evaluation;
  const started = Date.now();
  const childId = `${evalId}--${task.replace(/[^A-Za-z0-9._-]/g, '-')}--s${sample}`;
  const prepared = await git<typeof EvalTaskActivities>(evaluation, `prepare ${task}`).prepareEvalTask({
    evalId,
    suite: input.suite,
    suiteFile: input.suiteFile,
    task,
    oracle: input.oracle,
  });
  const { result, failure } = await runChild(evaluation, childId, runInputOf(input, prepared));
  const row: EvalRow = {
    task,
    sample,
    verdict: 'failed',
    runOutcome: result?.outcome ?? 'failed',
    drafts: result?.candidates.length ?? 0,
    maxRounds: input.run.maxRounds,
    tokens: result?.tokens ?? { prompt: 0, completion: 0 },
    wallMs: 0,
    hidden: prepared.hasHidden,
    oracle: input.oracle,
    ...(input.noFeedback ? { noFeedback: true } : {}),
    childId,
  };
  if (result?.outcome === 'committed' && result.commitSha) {
    row.round = result.candidates.find((candidate) => candidate.status === 'committed')?.round;
    await judgeCommitted(evaluation, row, prepared, result.commitSha);
  } else row.reason = failure ?? whyNothingCommitted(result);
  row.wallMs = Date.now() - started;
  await git<typeof EvalTaskActivities>(evaluation, `record ${task}`).recordEvalResult({ evalId, row });
  count(evaluation, row);
}

/** The run request of a prepared task: the eval's run settings, the task's repository and goal. */
function runInputOf(input: EvalInput, prepared: PreparedTask): RunInput {
  return {
    ...input.run,
    repo: prepared.repo,
    baseRef: prepared.baseRef,
    goal: prepared.goal,
    files: prepared.files,
    testCommand: prepared.testCommand,
    benchCommand: prepared.benchCommand ?? input.run.benchCommand,
    baselineMayFail: prepared.fix,
    ...(input.noFeedback ? { noFeedback: true } : {}),
  };
}

/** Runs the task as a child workflow; a failed run is a row to record, a cancelled eval is not. */
async function runChild(evaluation: Evaluation, childId: string, runInput: RunInput): Promise<ChildOutcome> {
  try {
    const result = await executeChild(SelfCodingWorkflow, {
      workflowId: childId,
      taskQueue: evaluation.input.run.queues.workflow,
      args: [runInput],
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    });
    return { result };
  } catch (err) {
    if (isCancellation(err)) throw err;
    // The innermost cause says what happened (a child's failure wraps an activity's, which wraps the error).
    let cause = err as Error;
    while (cause.cause instanceof Error) cause = cause.cause;
    return { failure: `the run failed: ${cause.message}` };
  }
}

/** A committed run passes by its hidden tests, or by its own visible ones when the task has no hidden tests. */
async function judgeCommitted(evaluation: Evaluation, row: EvalRow, prepared: PreparedTask, commit: string): Promise<void> {
  const { input } = evaluation;
  if (!prepared.hasHidden) {
    row.verdict = 'passed';
    return;
  }
  const judged = await hiddenTests(evaluation, `hidden tests of ${row.task}`).judgeHidden({
    suite: input.suite,
    suiteFile: input.suiteFile,
    task: row.task,
    repo: prepared.repo,
    commit,
    label: row.childId,
  });
  row.verdict = judged.passed ? 'passed' : 'failed';
  if (!judged.passed) row.reason = judged.reason;
}

/** Why a run that ended committed nothing: its baseline, no worker, or its last rejected candidate. */
function whyNothingCommitted(result: RunResult | undefined): string {
  const lastLoss = [...(result?.candidates ?? [])].reverse().find((candidate) => candidate.reason)?.reason;
  return result?.baselineReason ?? result?.unservedReason ?? (lastLoss ? `no candidate passed; the last: ${lastLoss}` : `the run ended ${result?.outcome}`);
}
