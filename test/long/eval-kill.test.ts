// An eval outlives a dead worker (npm run test:long): the worker that runs
// the EvalWorkflow and its task runs is SIGKILLed mid-eval and started again;
// every task × sample ends with exactly one row, none lost, none twice.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readRows } from '../../adapters/eval/eval-store.js';
import { loadHumanEval } from '../../adapters/eval/humaneval-data.js';
import { canonicalSolution } from '../../core/eval/humaneval.js';
import type { EvalInput, EvalResult } from '../../core/eval/types.js';
import { buildRunInput } from '../../core/run/input.js';
import { queueNames } from '../../core/run/queues.js';
import { evalStatusQuery } from '../../workflows/definitions.js';
import { testClient, uniquePrefix, useFakeProvider, useSuiteServer, waitFor } from '../helpers/harness.js';

const root = await mkdtemp(join(tmpdir(), 'ouro-eval-kill-'));
process.env.OURO_EVAL_ROOT = root;
beforeAll(() => {
  useSuiteServer();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
const fake = useFakeProvider();

/** The first `n` HumanEval problems, the provider answering each with its reference solution, and the run flags of an eval. */
async function scriptedEval(n: number, heartbeat: number) {
  const problems = (await loadHumanEval()).slice(0, n);
  fake.setDefault(({ body }) => {
    const text = JSON.stringify(body.messages);
    const p = problems.find((x) => text.includes(`def ${x.entry_point}(`));
    return p ? { content: `solution.py\n\`\`\`python\n${canonicalSolution(p)}\`\`\`\n` } : { status: 500 };
  });
  const prefix = uniquePrefix();
  const template = buildRunInput(
    { repo: '/', drafts: 'gpu:1', baseUrl: fake.url, model: 'fake-model', rounds: 1, heartbeat, queuePrefix: prefix, editFormat: 'whole-file' },
    { goal: 'eval', files: ['solution.py'], test: 'true', fix: true },
    {},
  );
  const { repo: _r, baseRef: _b, goal: _g, files: _f, testCommand: _t, baselineMayFail: _m, ...run } = template;
  return { problems, prefix, run };
}

describe('an eval and a dead worker', () => {
  it('the worker SIGKILLed mid-eval: every task ends with one row, none lost, none twice', async () => {
    const { problems, prefix, run } = await scriptedEval(6, 3);
    const input: EvalInput = { suite: 'humaneval', tasks: problems.map((p) => p.task_id), samples: 1, parallel: 2, oracle: false, run };
    const id = `eval-kill-${randomBytes(3).toString('hex')}`;
    // The eval's workers must see the eval root too: they are child processes.
    const start = () =>
      execa('node', ['--import', 'tsx', 'worker/main.ts'], {
        env: { OURO_QUEUE_PREFIX: prefix, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!, OURO_LOG_LEVEL: 'ERROR', OURO_EVAL_ROOT: root },
        reject: false,
      });
    let worker = start();
    const client = await testClient();
    const handle = await client.workflow.start('EvalWorkflow', { taskQueue: queueNames(prefix).workflow, workflowId: id, args: [input] });
    try {
      await waitFor(async () => ((await handle.query(evalStatusQuery)).done >= 2 ? true : undefined), 'two tasks done', 120_000, 200);
      worker.kill('SIGKILL');
      await worker;
      worker = start();
      const result = (await handle.result()) as EvalResult;
      expect(result.rows.map((r) => r.task)).toEqual(problems.map((p) => p.task_id));
      expect(result.rows.every((r) => r.verdict === 'passed')).toBe(true);
      // The results file: each task once (a row written twice by a retried activity is read once).
      expect((await readRows(id)).map((r) => r.task).sort()).toEqual(problems.map((p) => p.task_id).sort());
    } finally {
      worker.kill('SIGTERM');
      await worker;
    }
  }, 300_000);

  it('a long eval continues as new and loses nothing: 3 tasks with a history budget of one task', async () => {
    const { problems, prefix, run } = await scriptedEval(3, 5);
    const input: EvalInput = { suite: 'humaneval', tasks: problems.map((p) => p.task_id), samples: 1, parallel: 1, oracle: false, run, historyBudget: 20 };
    const worker = execa('node', ['--import', 'tsx', 'worker/main.ts'], {
      env: { OURO_QUEUE_PREFIX: prefix, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!, OURO_LOG_LEVEL: 'ERROR', OURO_EVAL_ROOT: root },
      reject: false,
    });
    try {
      const client = await testClient();
      const handle = await client.workflow.start('EvalWorkflow', {
        taskQueue: queueNames(prefix).workflow,
        workflowId: `eval-can-${randomBytes(3).toString('hex')}`,
        args: [input],
      });
      const result = (await handle.result()) as EvalResult;
      expect(result.rows.map((r) => [r.task, r.verdict])).toEqual(problems.map((p) => [p.task_id, 'passed']));
      // It did continue as new: the run that finished is not the first.
      expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId);
    } finally {
      worker.kill('SIGTERM');
      await worker;
    }
  }, 300_000);
});
