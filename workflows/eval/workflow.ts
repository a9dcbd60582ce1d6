import { continueAsNew, executeChild, isCancellation, ParentClosePolicy, patched, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type * as EvalTaskActivities from '../../activities/git/eval-task.js';
import type * as JudgeActivities from '../../activities/sandbox/judge.js';
import type * as JudgeBatchActivities from '../../activities/sandbox/judge-batch.js';
import { SAMPLE_BATCH } from '../../core/eval/judge-batch.js';
import type { SampleJob } from '../../core/eval/samples.js';
import { resumePlan } from '../../core/eval/resume.js';
import { rowKey, type EvalInput, type EvalResult, type EvalRow, type EvalStatus } from '../../core/eval/types.js';
import type { RunInput, RunResult } from '../../core/run/types.js';
import { activities, gitOptions, sandboxOptions } from '../activity-options.js';
import { evalStatusQuery } from '../definitions.js';
import { SelfCodingWorkflow } from '../self-coding.js';

/** History events after which an eval continues as new (it drains its runs first). */
const HISTORY_BUDGET = 8_000;

/**
 * An evaluation (README, "Evaluating a model: ouro eval"):
 * for each task × sample, bounded in parallel: prepare the task's repository →
 * run it as a child SelfCodingWorkflow (the loop, driven by the visible tests)
 * → judge a committed result by the hidden tests → record the row. Rows
 * already in the eval's results file are not run again, so re-running an eval
 * id resumes it, and a long eval continues as new with nothing carried but its
 * input.
 */
export async function EvalWorkflow(input: EvalInput): Promise<EvalResult> {
  const evalId = workflowInfo().workflowId;
  const q = input.run.queues;
  const git = <T>(summary: string) => activities<T>(gitOptions(q.git, '5 minutes'), summary);
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
  const publish = () =>
    setCurrentDetails(
      `**eval ${input.suite}**${input.oracle ? ' (ORACLE: gated on the hidden tests)' : ''}: ${status.done}/${status.total} done · ${status.passed} passed · ${status.failed} failed · ${status.running} running`,
    );

  const rows = new Map<string, EvalRow>();
  const count = (row: EvalRow) => {
    rows.set(rowKey(row.task, row.sample), row);
    status.done = rows.size;
    status.passed = [...rows.values()].filter((r) => r.verdict === 'passed').length;
    status.failed = status.done - status.passed;
  };
  const jobs = input.sampleJobs ?? input.tasks.flatMap((task) => Array.from({ length: input.samples }, (_, sample) => ({ task, sample, line: 0 })));
  const wanted = new Set(jobs.map((j) => rowKey(j.task, j.sample)));
  const saved = await git<typeof EvalTaskActivities>('read the results so far').loadEvalResults({ evalId });
  const { kept, redoKeys } = resumePlan(saved, wanted, { outcomes: input.redo, keys: input.redoKeys });
  kept.forEach(count);
  publish();

  const queue = jobs.filter((j) => !rows.has(rowKey(j.task, j.sample)));
  const longHistory = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.historyBudget ?? HISTORY_BUDGET);

  const judge = (summary: string) => activities<typeof JudgeActivities>(sandboxOptions(q.sandbox, 60, input.run.timeouts.heartbeatSeconds), summary);

  /** A completion produced elsewhere: commit it in its task's repository → judge → record. */
  async function judgeSample(job: { task: string; sample: number; line: number }): Promise<void> {
    const started = Date.now();
    const suite = input.suite === 'mbpp' ? 'mbpp' : 'humaneval';
    const committed = await git<typeof EvalTaskActivities>(`commit sample ${job.task} #${job.sample}`).commitCompletion({
      evalId,
      suite,
      samplesFile: input.samplesFile ?? '',
      line: job.line,
      sample: job.sample,
    });
    const judged = await judge(`hidden tests of ${job.task} #${job.sample}`).judgeHidden({
      suite,
      task: job.task,
      repo: committed.repo,
      commit: committed.commit,
      label: `${evalId}-line-${job.line}`,
    });
    const row: EvalRow = {
      task: job.task,
      sample: job.sample,
      verdict: judged.passed ? 'passed' : 'failed',
      ...(judged.passed ? {} : { reason: judged.reason }),
      runOutcome: 'sample',
      ...(judged.passed ? { round: 1 } : {}),
      drafts: 0,
      tokens: { prompt: 0, completion: 0 },
      wallMs: Date.now() - started,
      hidden: true,
      oracle: false,
      childId: '',
    };
    await git<typeof EvalTaskActivities>(`record ${job.task} #${job.sample}`).recordEvalResult({ evalId, row });
    count(row);
  }

  /** Completions produced elsewhere, many to a sandbox: read them → judge them together → record their rows. */
  async function judgeSampleBatch(batch: SampleJob[]): Promise<void> {
    const started = Date.now();
    const suite = input.suite === 'mbpp' ? 'mbpp' : 'humaneval';
    const lines = `${batch[0]!.line}–${batch.at(-1)!.line}`;
    const read = await git<typeof EvalTaskActivities>(`read samples, lines ${lines}`).readSampleBatch({
      samplesFile: input.samplesFile ?? '',
      lines: batch.map((j) => j.line),
    });
    const judgeable = read.flatMap((r) => ('task' in r ? [r] : []));
    // Sized for the worst case: every sample at its timeout, then judged again alone after a sample killed the driver.
    const perSample = 30;
    const judged = judgeable.length
      ? await activities<typeof JudgeBatchActivities>(
          sandboxOptions(q.sandbox, 2 * judgeable.length * (perSample + 2) + 60, input.run.timeouts.heartbeatSeconds),
          `hidden tests of ${judgeable.length} samples, lines ${lines}`,
        ).judgeBatch({
          suite,
          samples: judgeable.map((r) => ({ key: String(r.line), task: r.task, completion: r.completion })),
          label: `${evalId}-lines-${batch[0]!.line}`,
          timeoutSeconds: perSample,
        })
      : { verdicts: [], rerun: 0 };
    const verdicts = new Map(judged.verdicts.map((v) => [v.key, v]));
    const wallMs = Math.round((Date.now() - started) / batch.length);
    const rows: EvalRow[] = batch.map((job) => {
      const refused = read.find((r) => r.line === job.line && 'refused' in r) as { refused: string } | undefined;
      const v = verdicts.get(String(job.line));
      const passed = !refused && v?.passed === true;
      return {
        task: job.task,
        sample: job.sample,
        verdict: passed ? 'passed' : 'failed',
        ...(passed ? { round: 1 } : { reason: refused?.refused ?? v?.reason ?? 'not judged' }),
        runOutcome: 'sample',
        drafts: 0,
        tokens: { prompt: 0, completion: 0 },
        wallMs,
        hidden: true,
        oracle: false,
        childId: '',
      };
    });
    await git<typeof EvalTaskActivities>(`record lines ${lines}`).recordEvalResults({ evalId, rows });
    rows.forEach(count);
  }

  /** One task × sample: prepare → run → judge → record. */
  async function evaluate(task: string, sample: number): Promise<void> {
    const started = Date.now();
    const childId = `${evalId}--${task.replace(/[^A-Za-z0-9._-]/g, '-')}--s${sample}`;
    const prepared = await git<typeof EvalTaskActivities>(`prepare ${task}`).prepareEvalTask({
      evalId,
      suite: input.suite,
      suiteFile: input.suiteFile,
      task,
      oracle: input.oracle,
    });
    const runInput: RunInput = {
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
    let result: RunResult | undefined;
    let failure: string | undefined;
    try {
      result = await executeChild(SelfCodingWorkflow, {
        workflowId: childId,
        taskQueue: q.workflow,
        args: [runInput],
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      });
    } catch (err) {
      if (isCancellation(err)) throw err;
      // The innermost cause says what happened (a child's failure wraps an activity's, which wraps the error).
      let cause = err as Error;
      while (cause.cause instanceof Error) cause = cause.cause;
      failure = `the run failed: ${cause.message}`;
    }
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
      row.round = result.candidates.find((c) => c.status === 'committed')?.round;
      if (prepared.hasHidden) {
        const judged = await activities<typeof JudgeActivities>(
          sandboxOptions(q.sandbox, 60, input.run.timeouts.heartbeatSeconds),
          `hidden tests of ${task}`,
        ).judgeHidden({
          suite: input.suite,
          suiteFile: input.suiteFile,
          task,
          repo: prepared.repo,
          commit: result.commitSha,
          label: childId,
        });
        row.verdict = judged.passed ? 'passed' : 'failed';
        if (!judged.passed) row.reason = judged.reason;
      } else row.verdict = 'passed';
    } else {
      const lastLoss = [...(result?.candidates ?? [])].reverse().find((c) => c.reason)?.reason;
      row.reason =
        failure ??
        result?.baselineReason ??
        result?.unservedReason ??
        (lastLoss ? `no candidate passed; the last: ${lastLoss}` : `the run ended ${result?.outcome}`);
    }
    row.wallMs = Date.now() - started;
    await git<typeof EvalTaskActivities>(`record ${task}`).recordEvalResult({ evalId, row });
    count(row);
  }

  // Samples from a file are judged many to a sandbox; runs one by one (older histories: samples one by one too).
  const batched = input.sampleJobs !== undefined && patched('ouro-eval-sample-batches');
  const units: SampleJob[][] = [];
  for (let i = 0; i < queue.length; i += batched ? SAMPLE_BATCH : 1) units.push(queue.slice(i, i + (batched ? SAMPLE_BATCH : 1)));
  const worker = async (): Promise<void> => {
    for (let unit = units.shift(); unit; unit = units.shift()) {
      if (longHistory()) {
        units.unshift(unit);
        return;
      }
      status.running += unit.length;
      publish();
      try {
        if (batched) await judgeSampleBatch(unit);
        else if (input.sampleJobs) await judgeSample(unit[0]!);
        else await evaluate(unit[0]!.task, unit[0]!.sample);
      } finally {
        status.running -= unit.length;
        publish();
      }
    }
  };
  // A batch reads and records on the git queue around its judging: twice the lanes keep the sandbox slots busy meanwhile.
  const lanes = batched ? 2 * input.parallel : input.parallel;
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, units.length)) }, worker));
  // Every run in flight has ended; what is left starts afresh, its finished rows read from the results file.
  // Reruns asked for by outcome are resolved to keys once: the next run owes only those without a new row.
  if (units.length) {
    const owed = redoKeys.filter((k) => !rows.has(k));
    const { redo: _asked, redoKeys: _owed, ...rest } = input;
    await continueAsNew<typeof EvalWorkflow>(owed.length ? { ...rest, redoKeys: owed } : rest);
  }
  const ordered = input.tasks.flatMap((task) =>
    Array.from({ length: input.samples }, (_, s) => rows.get(rowKey(task, s))).filter((r): r is EvalRow => r !== undefined),
  );
  return { status, rows: ordered };
}
