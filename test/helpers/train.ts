// Shared set-up for release-train tests: the example repository with its sum
// bug fixed (a green base), one ouro.config.json without a benchmark, and
// scripted replies routed by the task's goal (every task's first draft is
// r1c1, so the candidate id cannot tell tasks apart).
import type { WorkflowHandle } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { updateBacklog } from '../../adapters/stores/backlog-store.js';
import { addTask, type TaskSpec } from '../../core/train/backlog.js';
import { buildTrainInput, type TrainFlags } from '../../core/train/input.js';
import type { TrainInput, TrainResult } from '../../core/train/types.js';
import { createExampleRepo } from './example-repos.js';
import type { FakeOpenAI } from '../../dev/fake-openai.js';
import { FIXED_SUM } from '../../dev/scripted-replies.js';
import { wholeFileReply } from './hostile.js';
import { PROJECT_ROOT, testClient } from './harness.js';

/** The example's own countPrimesBelow, to write back with a comment on top. */
export const PRIMES = readFileSync(join(PROJECT_ROOT, 'examples', 'mathkit', 'src', 'primes.ts'), 'utf8');

export const wholeFile = (path: string, content: string) => wholeFileReply({ [path]: content });
export const withHeader = (header: string, content: string) => `// ${header}\n${content}`;

export function trainRepo(extra: Record<string, string> = {}): Promise<string> {
  return createExampleRepo({
    files: {
      'src/sum.ts': FIXED_SUM,
      'ouro.config.json': JSON.stringify({ test: './node_modules/.bin/vitest run', files: ['src/**/*.ts'] }),
      ...extra,
    },
  });
}

/** Replies chosen by a marker in the task's goal (e.g. "[A]"), whatever the candidate. */
export function scriptByGoal(fake: FakeOpenAI, replies: Record<string, string>): void {
  fake.setDefault(({ body }) => {
    const text = JSON.stringify(body.messages ?? []);
    for (const [marker, content] of Object.entries(replies)) if (text.includes(`[${marker}]`)) return { content };
    return { status: 500, body: { error: { message: `no scripted reply for ${text.slice(0, 200)}` } } };
  });
}

export async function addTasks(repo: string, specs: Array<Omit<TaskSpec, 'priority'> & { id: string; priority?: number }>): Promise<void> {
  await updateBacklog(repo, (b) => {
    let out = b;
    for (const s of specs) out = addTask(out, { ...s, priority: s.priority ?? 0 }, { id: s.id, now: new Date(), source: 'cli' });
    return { backlog: out, value: undefined };
  });
}

export function trainInput(repo: string, prefix: string, fakeUrl: string, flags: Partial<TrainFlags> = {}): TrainInput {
  return buildTrainInput({
    name: `t${randomBytes(3).toString('hex')}`,
    repo,
    queuePrefix: prefix,
    heartbeat: 5,
    parallel: 2,
    ...flags,
    run: { drafts: 'gpu:1', baseUrl: fakeUrl, model: 'fake-model', rounds: 1, ...(flags.run ?? {}) },
  });
}

export async function startTrain(input: TrainInput, id = `train-${randomBytes(4).toString('hex')}`): Promise<WorkflowHandle> {
  const client = await testClient();
  return client.workflow.start('ReleaseTrainWorkflow', { taskQueue: input.queues.workflow, workflowId: id, args: [input] });
}

export async function trainResult(handle: WorkflowHandle): Promise<TrainResult> {
  return (await handle.result()) as TrainResult;
}

/** Two good changes, one per file, scripted by their task goals [A] and [B] (see twoGoodTasks). */
export const GOOD = {
  A: wholeFile('src/sum.ts', withHeader('Sums: the closed form would do too.', FIXED_SUM)),
  B: wholeFile('src/primes.ts', withHeader('Primes by trial division.', PRIMES)),
};
export const twoGoodTasks = (repo: string, extra: { test?: string } = {}) =>
  addTasks(repo, [
    { id: 'doc-sum', goal: '[A] Document sumTo', files: ['src/sum.ts'], priority: 2, ...extra },
    { id: 'doc-primes', goal: '[B] Document countPrimesBelow', files: ['src/primes.ts'], priority: 1 },
  ]);
