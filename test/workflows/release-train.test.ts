// Every outcome of ReleaseTrainWorkflow, decided from scripted activity
// answers (test/workflows/stubbed.ts). Its task runs are real child
// SelfCodingWorkflows on the same stubs. A small model of git stands in
// for the integration worktree: each integrated commit holds its parent's
// tasks plus its own; the release suite fails while task "bad" is in, and a
// change's own tests fail after task "clash" is integrated.
import { Context } from '@temporalio/activity';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Settlement } from '../../core/train/backlog.js';
import type { TrainInput, TrainPlan, TrainResult } from '../../core/train/types.js';
import { trainDecisionUpdate, trainStatusQuery } from '../../workflows/definitions.js';
import { BASE_SHA, benchResult, happyStubs, oneQueue, runInput, testResult, withStubWorker, type Stubs } from './stubbed.js';

interface World {
  stubs: Stubs;
  settled: Settlement[][];
  published: Array<{ tag: string; head: string }>;
  tasksAt: Map<string, Set<string>>;
  /** Each test of the train's own: the commit it was given, where the integration worktree stood, and any path. */
  trainTested: Array<{ sha?: string; head: string; dir?: string }>;
}

/**
 * A train over `tasks` (id → whether its run's candidate passes): commits are
 * remembered by the task they came from, integration follows the model above.
 */
function world(tasks: Record<string, boolean>, plan: Partial<TrainPlan['suite']> = {}): { world: World; input: TrainInput } {
  const queues = oneQueue();
  const stubs = happyStubs();
  const w: World = { stubs, settled: [], published: [], tasksAt: new Map([[BASE_SHA, new Set()]]), trainTested: [] };
  let head = BASE_SHA;
  let n = 0;
  const taskOfRun = (runId: string) => runId.split('--').pop()!;
  stubs.planTrain = async () => ({
    baseSha: BASE_SHA,
    releaseBranchExisted: false,
    suite: { test: 'npm test', benchMode: 'wall', benchRuns: 10, tolerance: 0.02, protectedPaths: [], linkPaths: [], ...plan },
    imported: [],
    tasks: Object.keys(tasks).map((id, i) => ({
      task: { id, goal: `do ${id}`, files: ['src/**'], priority: -i, state: 'claimed', attempts: 0, source: 'file', addedAt: '2026-11-29', history: [] },
      input: runInput(queues, { drafts: 'gpu:1', rounds: 1 }, { goal: `do ${id}` }),
    })),
  });
  stubs.runTests = async (req) => {
    if (req.role === 'base') return testResult(3);
    if (req.role === 'candidate') return tasks[taskOfRun(req.dir!.split('/')[2]!)] ? testResult(3) : testResult(2, 1);
    // A commit of the train (given as data, so any sandbox host can rebuild it): a change's own tests fail once "clash" is in; the release suite fails while "bad" is.
    w.trainTested.push({ sha: req.workspace?.baseSha, head, dir: req.dir });
    const inHead = w.tasksAt.get(req.workspace?.baseSha ?? '') ?? new Set<string>();
    if (req.label?.startsWith('integrated ')) return inHead.has('clash') ? testResult(2, 1) : testResult(3);
    return inHead.has('bad') ? testResult(2, 1) : testResult(3);
  };
  stubs.commitCandidate = async (req) => {
    const sha = `c${taskOfRun(req.trailers['Ouro-Run']!)}`.padEnd(40, '0');
    return { sha, reused: false };
  };
  stubs.cherryPickChange = async (req) => {
    const task = req.trailers['Ouro-Task']!;
    const sha = `i${++n}`.padEnd(40, '0');
    w.tasksAt.set(sha, new Set([...(w.tasksAt.get(req.onto) ?? []), task]));
    head = sha;
    return { ok: true, sha };
  };
  stubs.resetIntegration = async (req) => void (head = req.sha);
  stubs.settleTrain = async (req) => void w.settled.push(req.settlements);
  stubs.publishRelease = async (req) => (w.published.push({ tag: req.tag, head: req.head }), { sha: 'r'.padEnd(40, '0') });
  const input: TrainInput = {
    name: 'stub',
    repo: '/stub/repo',
    releaseBranch: 'release',
    baseRef: 'main',
    maxParallel: 2,
    maxTasks: 10,
    maxAttempts: 3,
    bump: 'minor',
    tagPrefix: 'v',
    runFlags: {},
    queues,
    timeouts: { testSeconds: 60, benchSeconds: 60, heartbeatSeconds: 5 },
  };
  return { world: w, input };
}

const trainId = () => `stub-train-${randomBytes(4).toString('hex')}`;

async function ride(w: World, input: TrainInput): Promise<TrainResult> {
  return withStubWorker(
    input.queues.workflow,
    w.stubs,
    async (env) =>
      (await env.client.workflow.execute('ReleaseTrainWorkflow', { taskQueue: input.queues.workflow, workflowId: trainId(), args: [input] })) as TrainResult,
  );
}

const results = (rides: TrainResult['rides']) => Object.fromEntries(rides.map((r) => [r.task, r.result]));

describe('ReleaseTrainWorkflow with stubbed activities', () => {
  it('released: both changes integrate, the suite passes, the tag is made, the backlog settled', async () => {
    const { world: w, input } = world({ a: true, b: true });
    const result = await ride(w, input);
    expect(result).toMatchObject({ outcome: 'released', tag: 'v0.1.0' });
    expect(results(result.rides)).toEqual({ a: 'released', b: 'released' });
    expect(w.published).toHaveLength(1);
    expect([...w.tasksAt.get(w.published[0]!.head)!].sort()).toEqual(['a', 'b']);
    // Two integrations and the release suite, each given the commit as data (no path), the one the worktree stood at.
    expect(w.trainTested).toHaveLength(3);
    for (const t of w.trainTested) expect(t).toEqual({ sha: t.head, head: t.head, dir: undefined });
    expect(w.settled.at(-1)!.map((s) => [s.task, s.result, s.release])).toEqual([
      ['a', 'released', 'v0.1.0'],
      ['b', 'released', 'v0.1.0'],
    ]);
  });

  it('nothing-to-release: no task run commits; nothing is tagged, every task settled as failed', async () => {
    const { world: w, input } = world({ a: false, b: false });
    const result = await ride(w, input);
    expect(result.outcome).toBe('nothing-to-release');
    expect(result.reason).toBe('no change passed its run and integration');
    expect(w.published).toEqual([]);
    expect(w.settled.at(-1)!.map((s) => [s.task, s.result, s.countsAsAttempt])).toEqual([
      ['a', 'failed', true],
      ['b', 'failed', true],
    ]);
  });

  it('bisect: the suite fails with the integrated changes; the culprit is found and dropped, the rest released', async () => {
    const { world: w, input } = world({ a: true, bad: true, c: true });
    const result = await ride(w, input);
    expect(result.outcome).toBe('released');
    expect(results(result.rides)).toEqual({ a: 'released', bad: 'failed', c: 'released' });
    expect(result.rides.find((r) => r.task === 'bad')!.reason).toMatch(/^bisect: the release suite passes with the 1 change\(s\) before it and fails with it/);
    expect([...w.tasksAt.get(w.published[0]!.head)!].sort()).toEqual(['a', 'c']);
  });

  it('a change whose tests fail once integrated is dropped there; the others ship', async () => {
    const { world: w, input } = world({ a: true, clash: true });
    const result = await ride(w, input);
    expect(result.outcome).toBe('released');
    expect(results(result.rides)).toEqual({ a: 'released', clash: 'failed' });
    expect(result.rides.find((r) => r.task === 'clash')!.reason).toBe('breaks the integrated suite: tests 2 passed, 1 failed');
    expect([...w.tasksAt.get(w.published[0]!.head)!]).toEqual(['a']);
  });

  it('verification-failed: the suite fails on the base itself; nothing can be blamed on the changes', async () => {
    const { world: w, input } = world({ a: true });
    const suite = w.stubs.runTests;
    w.stubs.runTests = async (req) => (req.label?.startsWith('bisect') || req.label === 'release suite' ? testResult(2, 1) : suite(req));
    const result = await ride(w, input);
    expect(result.outcome).toBe('verification-failed');
    expect(result.reason).toMatch(/^the release suite fails on the base bbbbbbbbbb itself/);
    expect(results(result.rides)).toEqual({ a: 'returned' });
    expect(w.published).toEqual([]);
  });

  it('slower: the integrated release measures slower than the previous one; no tag, the changes go back', async () => {
    const { world: w, input } = world({ a: true }, { bench: 'node bench.js' });
    // Slower only when given the release suite's commit against the base, both as data; anything else measures faster.
    w.stubs.runBenchmark = async (req) =>
      req.candidateWorkspace?.baseSha === w.trainTested.at(-1)?.sha && req.baseWorkspace?.baseSha === BASE_SHA && !req.candidateDir && !req.baseDir
        ? benchResult('slower', 0.8)
        : benchResult('faster', 1.25);
    const result = await ride(w, input);
    expect(result.outcome).toBe('slower');
    expect(result.reason).toMatch(/^the integrated release is not accepted against the base: .*slower/);
    expect(results(result.rides)).toEqual({ a: 'returned' });
    expect(w.published).toEqual([]);
  });

  it('approval-timed-out: nobody decides within the window; no tag', async () => {
    const { world: w, input } = world({ a: true });
    const result = await ride(w, { ...input, approval: { timeoutSeconds: 2, reminderSeconds: 1 } });
    expect(result.outcome).toBe('approval-timed-out');
    expect(result.reason).toBe('nobody approved the release within 2 s');
    expect(results(result.rides)).toEqual({ a: 'returned' });
    expect(w.published).toEqual([]);
  });

  it('rejected: a person says no; no tag, the changes go back to the backlog without counting as an attempt', async () => {
    const { world: w, input } = world({ a: true });
    const result = await withStubWorker(input.queues.workflow, w.stubs, async (env) => {
      const handle = await env.client.workflow.start('ReleaseTrainWorkflow', {
        taskQueue: input.queues.workflow,
        workflowId: trainId(),
        args: [{ ...input, approval: { timeoutSeconds: 600, reminderSeconds: 300 } }],
      });
      for (let i = 0; i < 200 && (await handle.query(trainStatusQuery)).stage !== 'awaiting-approval'; i++) await new Promise((r) => setTimeout(r, 50));
      await handle.executeUpdate(trainDecisionUpdate, { args: [{ approve: false, by: 'qa', reason: 'not this week' }] });
      return (await handle.result()) as TrainResult;
    });
    expect(result).toMatchObject({ outcome: 'rejected', reason: 'release rejected by qa: not this week' });
    expect(w.settled.at(-1)!.map((s) => [s.task, s.result, s.countsAsAttempt])).toEqual([['a', 'returned', false]]);
  });

  it('cancelled: a train cancelled while its task runs gives the task back (not an attempt) and its runs stop', async () => {
    const { world: w, input } = world({ a: true });
    let draftStarted = false;
    let draftCancelled = false;
    w.stubs.draft = async () => {
      const ctx = Context.current();
      draftStarted = true;
      for (;;) {
        ctx.heartbeat();
        try {
          await ctx.sleep(200);
        } catch (err) {
          draftCancelled = true;
          throw err;
        }
      }
    };
    const result = await withStubWorker(input.queues.workflow, w.stubs, async (env) => {
      const handle = await env.client.workflow.start('ReleaseTrainWorkflow', { taskQueue: input.queues.workflow, workflowId: trainId(), args: [input] });
      // Cancelled once the task run's draft is under way (a fixed sleep lost that race under load).
      for (let i = 0; i < 600 && !draftStarted; i++) await new Promise((r) => setTimeout(r, 50));
      expect(draftStarted).toBe(true);
      await handle.cancel();
      return (await handle.result()) as TrainResult;
    });
    expect(result).toMatchObject({ outcome: 'cancelled', reason: 'the train was cancelled' });
    expect(w.settled.at(-1)!.map((s) => [s.task, s.result, s.countsAsAttempt])).toEqual([['a', 'returned', false]]);
    expect(draftCancelled).toBe(true);
  });
});
