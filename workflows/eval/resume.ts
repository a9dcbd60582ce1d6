// An eval is resumable: its results file is the state. Rows already saved are
// not run again, so re-running an eval id resumes it, and a continued eval
// carries nothing but its input (and the reruns it still owes).
import type * as EvalTaskActivities from '../../activities/git/eval-task.js';
import { resumePlan } from '../../core/eval/resume.js';
import type { SampleJob } from '../../core/eval/samples.js';
import { rowKey, type EvalInput } from '../../core/eval/types.js';
import { count, git, publish, type Evaluation } from './context.js';

export interface Resumed {
  /** The task × samples without a row yet, in order. */
  pending: SampleJob[];
  /** The saved rows set aside to run again (`--redo`), as keys. */
  redoKeys: string[];
}

/** Every task × sample the eval asks for: its sample jobs, or each task's samples (a run has no line). */
function jobsOf(input: EvalInput): SampleJob[] {
  return input.sampleJobs ?? input.tasks.flatMap((task) => Array.from({ length: input.samples }, (_, sample) => ({ task, sample, line: 0 })));
}

/** Reads the results so far, counts the rows kept, and says what is left to do. */
export async function resumeFromResults(evaluation: Evaluation): Promise<Resumed> {
  const { input, evalId, rows } = evaluation;
  const jobs = jobsOf(input);
  const wanted = new Set(jobs.map((job) => rowKey(job.task, job.sample)));
  const saved = await git<typeof EvalTaskActivities>(evaluation, 'read the results so far').loadEvalResults({ evalId });
  const { kept, redoKeys } = resumePlan(saved, wanted, { outcomes: input.redo, keys: input.redoKeys });
  kept.forEach((row) => count(evaluation, row));
  publish(evaluation);
  return { pending: jobs.filter((job) => !rows.has(rowKey(job.task, job.sample))), redoKeys };
}

/**
 * The input to continue as new with: what is left starts afresh, its finished rows read from the
 * results file. Reruns asked for by outcome are resolved to keys once: the next run owes only those
 * without a new row.
 */
export function continuedInput({ input, rows }: Evaluation, redoKeys: string[]): EvalInput {
  const owed = redoKeys.filter((key) => !rows.has(key));
  const { redo: _asked, redoKeys: _owed, ...rest } = input;
  return owed.length ? { ...rest, redoKeys: owed } : rest;
}
