// `ouro eval <suite>`: a task suite through the loop, each task × sample an
// ordinary run (open any in the Web UI), judged by hidden tests, with the
// figures of core/eval/metrics.ts at the end. Re-running the same --id resumes.
import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { formatProgress, formatStart, formatSummary, summarize } from '../../core/eval/metrics.js';
import { parseSuite, SuiteError } from '../../core/eval/suite.js';
import { REDO_OUTCOMES, type RedoOutcome } from '../../core/eval/resume.js';
import { sampleJobs } from '../../core/eval/samples.js';
import { defaultTestSeconds, type EvalInput, type EvalResult, type EvalStatus, type SuiteName } from '../../core/eval/types.js';
import { buildRunInput } from '../../core/run/input.js';
import { loadHumanEval, visibleExamples } from '../../adapters/eval/humaneval-data.js';
import { resultsFile } from '../../adapters/eval/eval-store.js';
import { isMbppTestTask, loadMbpp } from '../../adapters/eval/mbpp-data.js';
import { mbppTaskId } from '../../core/eval/mbpp.js';
import type { EvalWorkflow } from '../../workflows/eval/workflow.js';
import { evalStatusQuery } from '../../workflows/definitions.js';
import { CliError, connectClient, parsedInput, webUiLink } from '../client.js';
import { checkLocalModel } from '../local-check.js';
import { preflight } from '../preflight.js';
import { askWorkers } from '../provider-check.js';
import { warnUnservedQueues } from '../queue-check.js';
import { printJson } from '../render.js';

export interface EvalOptions {
  suite?: string;
  limit?: string;
  tasks?: string;
  drafts?: string;
  model?: string;
  baseUrl?: string;
  rounds?: string;
  samples?: string;
  parallel?: string;
  oracle?: boolean;
  feedback?: boolean;
  id?: string;
  out?: string;
  testTimeout?: string;
  redo?: string;
  preflight: boolean;
  json?: boolean;
}

const Counts = z.object({
  limit: z.coerce.number().int().min(1).optional(),
  samples: z.coerce.number().int().min(1).max(100).default(1),
  parallel: z.coerce.number().int().min(1).max(64).default(2),
});

/** `--redo no-worker,failed`: the run outcomes whose saved rows an eval runs again. */
function redoOutcomes(o: EvalOptions, fromSamples: boolean): RedoOutcome[] | undefined {
  if (o.redo === undefined) return undefined;
  if (!o.id) throw new CliError('--redo runs again rows of an earlier eval: give its --id', 2);
  if (fromSamples) throw new CliError('--redo: samples are judged once per eval id; judge them again under a new --id', 2);
  const asked = o.redo
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const unknown = asked.filter((x) => !(REDO_OUTCOMES as readonly string[]).includes(x));
  if (!asked.length || unknown.length) {
    throw new CliError(
      `--redo: ${unknown.length ? `not a run outcome: ${unknown.join(', ')}` : 'no outcome given'} (one or more of ${REDO_OUTCOMES.join(', ')})`,
      2,
    );
  }
  return asked as RedoOutcome[];
}

/** A running eval is joined as it is, so a rerun it was not started with would be silently dropped: say so instead. */
async function refuseRedoWhileRunning(client: Client, id: string): Promise<void> {
  const running = await client.workflow
    .getHandle(id)
    .describe()
    .then((d) => d.status.name === 'RUNNING')
    .catch(() => false);
  if (running) throw new CliError(`--redo: eval ${id} is still running; run it again with --redo once it has ended (ouro cancel ${id} ends it now)`, 2);
}

/** The suite's task ids, narrowed by --tasks and --limit. */
async function tasksOf(suite: SuiteName, file: string | undefined, o: EvalOptions, limit?: number): Promise<{ tasks: string[]; hiddenOnly?: number }> {
  let all: string[];
  let hiddenOnly: Set<string> | undefined;
  if (suite === 'humaneval') {
    const problems = await loadHumanEval().catch((err: Error) => {
      throw new CliError(err.message);
    });
    all = problems.map((p) => p.task_id);
    const examples = await visibleExamples(problems);
    hiddenOnly = new Set(all.filter((t) => !examples.get(t)?.length));
  } else if (suite === 'mbpp') {
    // The standard test split: MBPP/11 … MBPP/510.
    all = (await loadMbpp()).filter(isMbppTestTask).map(mbppTaskId);
  } else {
    try {
      all = parseSuite(await readFile(file!, 'utf8'), file).map((t) => t.id);
    } catch (err) {
      if (err instanceof SuiteError) throw new CliError(err.message, 2);
      throw new CliError(`cannot read the suite ${file}: ${(err as Error).message}`, 2);
    }
  }
  let tasks = all;
  if (o.tasks) {
    const wanted = o.tasks
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)
      .map((t) => (/^\d+$/.test(t) && suite !== 'user' ? `${suite === 'humaneval' ? 'HumanEval' : 'MBPP'}/${t}` : t));
    // Any MBPP task may be named; the default is the test split.
    const known = suite === 'mbpp' ? (await loadMbpp()).map(mbppTaskId) : all;
    const unknown = wanted.filter((t) => !known.includes(t));
    if (unknown.length) throw new CliError(`--tasks: no such task in ${suite}: ${unknown.join(', ')}`, 2);
    tasks = wanted;
  }
  if (limit) tasks = tasks.slice(0, limit);
  return { tasks, ...(hiddenOnly ? { hiddenOnly: tasks.filter((t) => hiddenOnly.has(t)).length } : {}) };
}

/** `ouro eval samples.jsonl --suite humaneval`: completions produced elsewhere, judged by the suite's hidden tests. */
async function samplesInput(file: string, suite: 'humaneval' | 'mbpp'): Promise<Pick<EvalInput, 'tasks' | 'samples' | 'samplesFile' | 'sampleJobs'>> {
  const known = new Set(suite === 'humaneval' ? (await loadHumanEval()).map((p) => p.task_id) : (await loadMbpp()).map(mbppTaskId));
  let jobs;
  try {
    jobs = sampleJobs(await readFile(file, 'utf8'), known, file);
  } catch (err) {
    if (err instanceof SuiteError) throw new CliError(err.message, 2);
    throw new CliError(`cannot read the samples ${file}: ${(err as Error).message}`, 2);
  }
  const tasks = [...new Set(jobs.map((j) => j.task))];
  return { tasks, samples: Math.max(...jobs.map((j) => j.sample + 1)), samplesFile: file, sampleJobs: jobs };
}

export async function evalCommand(suiteArg: string, o: EvalOptions): Promise<number> {
  if (o.suite && o.suite !== 'humaneval' && o.suite !== 'mbpp') throw new CliError(`--suite: samples are judged against humaneval or mbpp, not ${o.suite}`, 2);
  const samplesSuite = o.suite as 'humaneval' | 'mbpp' | undefined;
  const counts = parsedInput(() => Counts.parse({ limit: o.limit, samples: o.samples, parallel: o.parallel }));
  const suite: SuiteName = samplesSuite ?? (suiteArg === 'humaneval' || suiteArg === 'mbpp' ? suiteArg : 'user');
  const suiteFile = suite === 'user' ? resolve(suiteArg) : undefined;
  if (samplesSuite && !existsSync(resolve(suiteArg))) throw new CliError(`no such samples file: ${suiteArg}`, 2);
  if (suite === 'user' && !existsSync(suiteFile!)) throw new CliError(`no such suite: ${suiteArg} (built in: humaneval, mbpp; or a tasks.jsonl file)`, 2);
  const redo = redoOutcomes(o, Boolean(samplesSuite));
  const fromSamples = samplesSuite ? await samplesInput(resolve(suiteArg), samplesSuite) : undefined;
  const { tasks, hiddenOnly } = fromSamples ? { tasks: fromSamples.tasks, hiddenOnly: undefined } : await tasksOf(suite, suiteFile, o, counts.limit);
  // The run flags every task shares; the task's own fields (repository, goal, files, test) come from the suite.
  const template = parsedInput(() =>
    buildRunInput(
      {
        repo: '/',
        drafts: o.drafts ?? 'local:1',
        model: o.model,
        baseUrl: o.baseUrl,
        rounds: o.rounds ?? '3',
        testTimeout: o.testTimeout ?? defaultTestSeconds(suite),
        // As `ouro run` does: workers started with a prefix serve only prefixed queues.
        queuePrefix: process.env.OURO_QUEUE_PREFIX,
      },
      { goal: 'eval', files: ['solution.py'], test: 'true', fix: true },
      process.env,
    ),
  );
  const { repo: _r, baseRef: _b, goal: _g, files: _f, testCommand: _t, baselineMayFail: _m, ...run } = template;
  // Judging samples drafts nothing: no provider to check.
  const client = await connectClient();
  if (o.preflight && !fromSamples) await preflight(run.drafts, process.env, checkLocalModel, askWorkers(client, run.queues));
  const input: EvalInput = {
    suite,
    suiteFile,
    tasks,
    samples: counts.samples,
    parallel: counts.parallel,
    oracle: Boolean(o.oracle),
    ...(o.feedback === false ? { noFeedback: true } : {}),
    ...(redo ? { redo } : {}),
    ...(fromSamples ?? {}),
    run,
  };
  const id =
    o.id ??
    `eval-${suite === 'humaneval' ? 'humaneval' : 'suite'}-${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(2).toString('hex')}`;
  const unserved = fromSamples ? undefined : await warnUnservedQueues(client, run);
  if (unserved) process.stderr.write(`${unserved}\n`);
  if (redo) await refuseRedoWhileRunning(client, id);
  // The same id again resumes: a running eval is joined, a finished one starts anew and skips what its results file holds.
  const handle = await client.workflow.start<typeof EvalWorkflow>('EvalWorkflow', {
    taskQueue: run.queues.workflow,
    workflowId: id,
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
  if (!o.json) {
    process.stderr.write(
      `${formatStart(id, input)}${o.oracle ? ' [ORACLE]' : ''}${input.noFeedback ? ' [no feedback: resampling]' : ''}${redo ? ` [running again the rows that ended ${redo.join(', ')}]` : ''}\n  ${webUiLink(id)}\n`,
    );
  }
  const result = await followEval(handle, Boolean(o.json));
  const summary = summarize(result.rows, fromSamples ? 1 : run.maxRounds, { oracle: input.oracle, hiddenOnly, noFeedback: input.noFeedback });
  if (o.out) await writeFile(o.out, result.rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  if (o.json) printJson({ id, suite, summary, results: o.out ?? resultsFile(id) });
  else process.stdout.write(`${formatSummary(summary, suite)}\n  results (one line per task × sample): ${o.out ?? resultsFile(id)}\n`);
  return 0;
}

/** Progress on stderr every two seconds (done / passed / failed / running, ETA) until the eval ends. */
async function followEval(
  handle: { query: (q: typeof evalStatusQuery) => Promise<EvalStatus>; result: () => Promise<EvalResult> },
  quiet: boolean,
): Promise<EvalResult> {
  const done = handle.result();
  let finished = false;
  void done.then(
    () => (finished = true),
    () => (finished = true),
  );
  let last = '';
  let lastAt = 0;
  while (!finished) {
    await Promise.race([done.catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
    if (finished || quiet) continue;
    const s = await handle.query(evalStatusQuery).catch(() => undefined);
    if (!s) continue;
    const elapsed = (Date.now() - s.startedMs) / 1000;
    const eta = s.done ? Math.round((elapsed / s.done) * (s.total - s.done)) : undefined;
    const counts = `  ${formatProgress(s)}`;
    // A line when the counts change, or every 30 s with a fresh ETA.
    if (counts !== last || Date.now() - lastAt > 30_000) {
      process.stderr.write(`${counts}${eta !== undefined ? ` · about ${eta} s left` : ''}\n`);
      last = counts;
      lastAt = Date.now();
    }
  }
  return done;
}
