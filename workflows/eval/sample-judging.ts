// The samples mode: completions produced elsewhere (a samples file, one line
// each) are judged by the hidden tests, no loop run. Before batches, each was
// committed in its task's repository and judged alone; now many are read and
// judged together in one sandbox.
import type * as EvalTaskActivities from '../../activities/git/eval-task.js';
import type * as JudgeBatchActivities from '../../activities/sandbox/judge-batch.js';
import type { SampleJob } from '../../core/eval/samples.js';
import type { EvalInput, EvalRow } from '../../core/eval/types.js';
import { count, git, hiddenTests, sandbox, type Evaluation } from './context.js';

/** The patch behind which samples are judged many to a sandbox (older histories judged them one by one). */
export const SAMPLE_BATCHES = 'ouro-eval-sample-batches';

/**
 * A sample's hidden tests are cut after the eval's `--test-timeout` (a built-in suite's default,
 * BUILTIN_TEST_SECONDS, when none was given): the value travels in the judge's request, and the
 * activity's own timeout is sized from it, so a longer limit is not cut short by the activity.
 */
const sampleSeconds = (input: EvalInput): number => input.run.timeouts.testSeconds;

type ReadSample = Awaited<ReturnType<typeof EvalTaskActivities.readSampleBatch>>[number];
type BatchVerdict = Awaited<ReturnType<typeof JudgeBatchActivities.judgeBatch>>['verdicts'][number];

/** Samples are judged by a built-in suite's hidden tests (a user suite has no samples mode). */
const sampleSuite = (input: EvalInput) => (input.suite === 'mbpp' ? 'mbpp' : 'humaneval');

/** What every judged sample's row says alike: no run, so no drafts, tokens or child. */
const withoutRun = (wallMs: number) => ({ drafts: 0, tokens: { prompt: 0, completion: 0 }, wallMs, hidden: true, oracle: false, childId: '' });

/** One completion: commit it in its task's repository → judge → record. */
export async function judgeSample(evaluation: Evaluation, job: SampleJob): Promise<void> {
  const { input, evalId } = evaluation;
  const started = Date.now();
  const suite = sampleSuite(input);
  const committed = await git<typeof EvalTaskActivities>(evaluation, `commit sample ${job.task} #${job.sample}`).commitCompletion({
    evalId,
    suite,
    samplesFile: input.samplesFile ?? '',
    line: job.line,
    sample: job.sample,
  });
  const seconds = sampleSeconds(input);
  const judged = await hiddenTests(evaluation, `hidden tests of ${job.task} #${job.sample}`, seconds).judgeHidden({
    suite,
    task: job.task,
    repo: committed.repo,
    commit: committed.commit,
    label: `${evalId}-line-${job.line}`,
    timeoutSeconds: seconds,
  });
  const row: EvalRow = {
    task: job.task,
    sample: job.sample,
    verdict: judged.passed ? 'passed' : 'failed',
    ...(judged.passed ? {} : { reason: judged.reason }),
    runOutcome: 'sample',
    ...(judged.passed ? { round: 1 } : {}),
    ...withoutRun(Date.now() - started),
  };
  await git<typeof EvalTaskActivities>(evaluation, `record ${job.task} #${job.sample}`).recordEvalResult({ evalId, row });
  count(evaluation, row);
}

/** Many completions to a sandbox: read them → judge them together → record their rows. */
export async function judgeSampleBatch(evaluation: Evaluation, batch: SampleJob[]): Promise<void> {
  const { input, evalId } = evaluation;
  const started = Date.now();
  const lines = `${batch[0]!.line}–${batch.at(-1)!.line}`;
  const read = await git<typeof EvalTaskActivities>(evaluation, `read samples, lines ${lines}`).readSampleBatch({
    samplesFile: input.samplesFile ?? '',
    lines: batch.map((job) => job.line),
  });
  const verdicts = await judgeTogether(evaluation, batch, read, lines);
  const wallMs = Math.round((Date.now() - started) / batch.length);
  const rows = batch.map((job) => batchRow(job, read, verdicts, wallMs));
  await git<typeof EvalTaskActivities>(evaluation, `record lines ${lines}`).recordEvalResults({ evalId, rows });
  rows.forEach((row) => count(evaluation, row));
}

/** The hidden tests of every sample that was read (none refused), in one sandbox; verdicts by line. */
async function judgeTogether(evaluation: Evaluation, batch: SampleJob[], read: ReadSample[], lines: string): Promise<Map<string, BatchVerdict>> {
  const judgeable = read.flatMap((sample) => ('task' in sample ? [sample] : []));
  if (!judgeable.length) return new Map();
  const perSample = sampleSeconds(evaluation.input);
  // Sized for the worst case: every sample at its timeout, then judged again alone after a sample killed the driver.
  const seconds = 2 * judgeable.length * (perSample + 2) + 60;
  const judged = await sandbox<typeof JudgeBatchActivities>(evaluation, seconds, `hidden tests of ${judgeable.length} samples, lines ${lines}`).judgeBatch({
    suite: sampleSuite(evaluation.input),
    samples: judgeable.map((sample) => ({ key: String(sample.line), task: sample.task, completion: sample.completion })),
    label: `${evaluation.evalId}-lines-${batch[0]!.line}`,
    timeoutSeconds: perSample,
  });
  return new Map(judged.verdicts.map((verdict) => [verdict.key, verdict]));
}

/** A sample's row: passed only when it was read and its hidden tests passed. */
function batchRow(job: SampleJob, read: ReadSample[], verdicts: Map<string, BatchVerdict>, wallMs: number): EvalRow {
  const refused = read.find((sample) => sample.line === job.line && 'refused' in sample) as { refused: string } | undefined;
  const verdict = verdicts.get(String(job.line));
  const passed = !refused && verdict?.passed === true;
  return {
    task: job.task,
    sample: job.sample,
    verdict: passed ? 'passed' : 'failed',
    ...(passed ? { round: 1 } : { reason: refused?.refused ?? verdict?.reason ?? 'not judged' }),
    runOutcome: 'sample',
    ...withoutRun(wallMs),
  };
}
