import { continueAsNew, patched } from '@temporalio/workflow';
import { SAMPLE_BATCH } from '../../core/eval/judge-batch.js';
import type { SampleJob } from '../../core/eval/samples.js';
import type { EvalInput, EvalResult } from '../../core/eval/types.js';
import { historyIsLong, inFlight, openEvaluation, report, type Evaluation } from './context.js';
import { runInLanes, unitsOf } from './lanes.js';
import { continuedInput, resumeFromResults } from './resume.js';
import { judgeSample, judgeSampleBatch, SAMPLE_BATCHES } from './sample-judging.js';
import { runTask } from './task-runs.js';

/**
 * An evaluation (README, "Evaluating a model: ouro eval"):
 * read the results so far → for each task × sample still owed, bounded in
 * parallel lanes: prepare the task's repository → run it as a child
 * SelfCodingWorkflow (the loop, driven by the visible tests) → judge a
 * committed result by the hidden tests → record the row (or, for samples
 * produced elsewhere: judge them, many to a sandbox → record). Rows already in
 * the eval's results file are not run again, so re-running an eval id resumes
 * it, and a long eval continues as new with nothing carried but its input.
 */
export async function EvalWorkflow(input: EvalInput): Promise<EvalResult> {
  const evaluation = openEvaluation(input);
  const { pending, redoKeys } = await resumeFromResults(evaluation);

  // Samples from a file are judged many to a sandbox; runs one by one (older histories: samples one by one too).
  const batched = input.sampleJobs !== undefined && patched(SAMPLE_BATCHES);
  const work = workOf(input, batched);
  const unstarted = await runInLanes(unitsOf(pending, batched ? SAMPLE_BATCH : 1), {
    // A batch reads and records on the git queue around its judging: twice the lanes keep the sandbox slots busy meanwhile.
    lanes: batched ? 2 * input.parallel : input.parallel,
    stopBefore: () => historyIsLong(evaluation),
    run: (unit) => inFlight(evaluation, unit.length, () => work(evaluation, unit)),
  });

  // Every run in flight has ended; what is left starts afresh in a new run of this workflow.
  if (unstarted.length) await continueAsNew<typeof EvalWorkflow>(continuedInput(evaluation, redoKeys));
  return report(evaluation);
}

/** What one unit of work is in this eval's mode: a batch of samples, one sample, or one task run. */
function workOf(input: EvalInput, batched: boolean): (evaluation: Evaluation, unit: SampleJob[]) => Promise<void> {
  if (batched) return judgeSampleBatch;
  if (input.sampleJobs) return (evaluation, [job]) => judgeSample(evaluation, job!);
  return (evaluation, [job]) => runTask(evaluation, job!);
}
