// Every outcome of SelfCodingWorkflow, decided from scripted activity
// answers (test/workflows/stubbed.ts): what it commits, what it refuses,
// what feedback it carries to the next round, and what it does when an
// activity fails, a draft hits a configuration error, or the run is cancelled.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DraftRequest } from '../../core/contracts/draft.js';
import type { RunResult } from '../../core/run/types.js';
import { statusQuery } from '../../workflows/definitions.js';
import { benchResult, happyStubs, oneQueue, runInput, testResult, withStubWorker, type Stubs } from './stubbed.js';

async function run(stubs: Stubs, flags: Record<string, unknown> = {}, config: Record<string, unknown> = {}) {
  const queues = oneQueue();
  const input = runInput(queues, flags, config);
  const workflowId = `stub-run-${randomBytes(4).toString('hex')}`;
  return withStubWorker(queues.workflow, stubs, async (env) => {
    const result = (await env.client.workflow.execute('SelfCodingWorkflow', { taskQueue: queues.workflow, workflowId, args: [input] })) as RunResult;
    return { result, workflowId };
  });
}

/** Candidate tests: green for the ids in `passing`, red otherwise; the base as given. */
function testsBy(passing: string[], base = testResult(3)): Stubs['runTests'] {
  return async (req) => (req.role === 'base' ? base : passing.some((id) => req.dir!.endsWith(`/${id}`)) ? testResult(3) : testResult(2, 1));
}

describe('SelfCodingWorkflow with stubbed activities', () => {
  it('committed: the best of two green candidates is committed once, with its trailers; the other is not-best', async () => {
    const stubs = happyStubs();
    const commits: Parameters<Stubs['commitCandidate']>[0][] = [];
    const commit = stubs.commitCandidate;
    stubs.commitCandidate = async (req) => (commits.push(req), commit(req));
    const { result, workflowId } = await run(stubs);
    expect(result.outcome).toBe('committed');
    expect(result.rounds).toBe(1);
    expect(result.candidates.map((c) => c.status).sort()).toEqual(['committed', 'not-best']);
    expect(commits).toHaveLength(1);
    expect(commits[0]!.trailers['Ouro-Run']).toBe(workflowId);
    expect(commits[0]!.branch).toBe(`ouro/${workflowId}`);
    expect(result.tokens).toEqual({ prompt: 200, completion: 40 });
  });

  it('no-candidate-passed: every candidate red in both rounds; round 2 drafts see round 1 failures as feedback', async () => {
    const stubs = happyStubs();
    stubs.runTests = testsBy([]);
    const drafts: DraftRequest[] = [];
    const draft = stubs.draft;
    stubs.draft = async (req) => (drafts.push(req), draft(req));
    const { result } = await run(stubs);
    expect(result.outcome).toBe('no-candidate-passed');
    expect(result.rounds).toBe(2);
    expect(result.candidates.map((c) => c.status)).toEqual(['tests-failed', 'tests-failed', 'tests-failed', 'tests-failed']);
    const round2 = drafts.filter((d) => d.candidateId.startsWith('r2'));
    // In the order round 1's candidates ended, which under load is either.
    expect(round2.map((d) => d.feedback.map((f) => f.candidate).sort())).toEqual([
      ['r1c1', 'r1c2'],
      ['r1c1', 'r1c2'],
    ]);
    expect(round2[0]!.feedback.every((f) => /tests 2 passed/.test(f.message))).toBe(true);
  });

  it("without feedback, round 2 drafts from round 1's prompt: only the base's own failure, none of round 1's", async () => {
    const stubs = happyStubs();
    stubs.runTests = testsBy([], testResult(2, 1));
    const drafts: DraftRequest[] = [];
    const draft = stubs.draft;
    stubs.draft = async (req) => (drafts.push(req), draft(req));
    const queues = oneQueue();
    const input = { ...runInput(queues), noFeedback: true };
    const result = await withStubWorker(
      queues.workflow,
      stubs,
      async (env) =>
        (await env.client.workflow.execute('SelfCodingWorkflow', {
          taskQueue: queues.workflow,
          workflowId: `stub-nofb-${randomBytes(4).toString('hex')}`,
          args: [input],
        })) as RunResult,
    );
    expect(result.outcome).toBe('no-candidate-passed');
    const byRound = (r: string) => drafts.filter((d) => d.candidateId.startsWith(r)).map((d) => d.feedback.map((f) => f.candidate));
    expect(byRound('r1')).toEqual([['baseline'], ['baseline']]);
    expect(byRound('r2')).toEqual([['baseline'], ['baseline']]);
  });

  it('baseline-broken: a red base without --fix ends the run before any draft', async () => {
    const stubs = happyStubs();
    stubs.runTests = testsBy([], testResult(2, 1));
    let drafted = 0;
    stubs.draft = async () => {
      drafted++;
      throw new Error('no draft expected');
    };
    const { result } = await run(stubs, {}, { fix: false });
    expect(result.outcome).toBe('baseline-broken');
    expect(result.baselineReason).toMatch(/use --fix/);
    expect(drafted).toBe(0);
  });

  it('baseline-broken even with --fix when the base test runner never started', async () => {
    const stubs = happyStubs();
    stubs.runTests = async () => ({ ...testResult(0, 0), exitCode: 127, passed: false, counts: undefined, output: 'sh: 1: vitest: not found' });
    const { result } = await run(stubs);
    expect(result.outcome).toBe('baseline-broken');
    expect(result.baselineReason).toMatch(/the test runner did not start \(sh: 1: vitest: not found\)/);
  });

  it('baseline-broken when the baseline benchmark fails', async () => {
    const stubs = happyStubs();
    stubs.runBenchmark = async () => ({ ok: false, message: 'the benchmark printed no metric lines' });
    const { result } = await run(stubs, { bench: 'node bench.js' });
    expect(result.outcome).toBe('baseline-broken');
    expect(result.baselineReason).toBe('baseline benchmark failed: the benchmark printed no metric lines');
  });

  it('a malformed reply and a refused edit become feedback; a later round commits', async () => {
    const stubs = happyStubs();
    const apply = stubs.applyCandidate;
    stubs.applyCandidate = async (req) =>
      req.candidateId === 'r1c1'
        ? { ok: false, status: 'malformed', message: 'code block is never closed' }
        : req.candidateId === 'r1c2'
          ? { ok: false, status: 'refused', message: 'tests/sum.test.ts is protected' }
          : apply(req);
    const drafts: DraftRequest[] = [];
    const draft = stubs.draft;
    stubs.draft = async (req) => (drafts.push(req), draft(req));
    const { result } = await run(stubs);
    expect(result.outcome).toBe('committed');
    expect(result.rounds).toBe(2);
    expect(result.candidates.slice(0, 2).map((c) => [c.status, c.reason])).toEqual([
      ['malformed', 'code block is never closed'],
      ['refused', 'tests/sum.test.ts is protected'],
    ]);
    // Both losses reach round 2's prompt, in the order their candidates ended (either, under load).
    expect(
      drafts
        .find((d) => d.candidateId === 'r2c1')!
        .feedback.map((f) => f.status)
        .sort(),
    ).toEqual(['malformed', 'refused']);
  });

  it('a draft that fails is draft-failed, its spent tokens counted; the other candidate still commits', async () => {
    const stubs = happyStubs();
    const draft = stubs.draft;
    stubs.draft = async (req) => {
      if (req.candidateId === 'r1c1')
        throw ApplicationFailure.nonRetryable('reply exceeded 262144 bytes', 'ReplyTooLarge', { promptTokens: 7, completionTokens: 9000 });
      return draft(req);
    };
    const { result } = await run(stubs);
    expect(result.outcome).toBe('committed');
    expect(result.candidates[0]).toMatchObject({ status: 'draft-failed', reason: 'reply exceeded 262144 bytes', tokens: { prompt: 7, completion: 9000 } });
    expect(result.tokens).toEqual({ prompt: 107, completion: 9020 });
  });

  it('a configuration error from a draft fails the run with its message, and the workspaces are still cleaned up', async () => {
    const stubs = happyStubs();
    stubs.draft = async () => {
      throw ApplicationFailure.create({ message: 'OPENAI_API_KEY is not set', type: 'OuroConfigError', nonRetryable: true });
    };
    let cleaned = 0;
    stubs.cleanupRun = async () => void cleaned++;
    const failure = await run(stubs).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(String((failure as WorkflowFailedError).cause?.message)).toBe('OPENAI_API_KEY is not set');
    expect(cleaned).toBe(1);
  });

  it('a candidate whose test fails as an activity is dropped with the reason; the run goes on', async () => {
    const stubs = happyStubs();
    stubs.runTests = async (req) => {
      if (req.dir!.endsWith('/r1c1')) throw ApplicationFailure.nonRetryable('the worker died 6 times running this candidate', 'PoisonPill');
      return testResult(3);
    };
    const { result } = await run(stubs, { drafts: 'gpu:2' });
    expect(result.outcome).toBe('committed');
    expect(result.candidates[0]).toMatchObject({ status: 'dropped', reason: 'the tests activity failed: the worker died 6 times running this candidate' });
    expect(result.candidates[1]!.status).toBe('committed');
  });

  it('the benchmark decides: slower is refused, below the goal is refused, a clear speed-up meeting the goal commits', async () => {
    const stubs = happyStubs();
    stubs.runBenchmark = async (req) =>
      !req.candidateDir
        ? { ok: true }
        : req.candidateDir.endsWith('/r1c1')
          ? benchResult('slower', 0.7)
          : req.candidateDir.endsWith('/r1c2')
            ? benchResult('faster', 1.1)
            : benchResult('faster', 1.6);
    const { result } = await run(stubs, { drafts: 'gpu:3', bench: 'node bench.js', speedup: 1.3 }, { fix: false });
    expect(result.outcome).toBe('committed');
    expect(result.candidates.map((c) => c.status)).toEqual(['slower', 'below-goal', 'committed']);
    expect(result.candidates[2]!.speedup).toBe(1.6);
  });

  it('a clean-up that fails does not fail a finished run', async () => {
    const stubs = happyStubs();
    stubs.cleanupRun = async () => {
      throw ApplicationFailure.nonRetryable('rm: cannot remove: Device or resource busy');
    };
    const { result } = await run(stubs);
    expect(result.outcome).toBe('committed');
  });

  it('cancelled: a run cancelled during a test ends cancelled, the test activity told, the workspaces cleaned', async () => {
    const stubs = happyStubs();
    let testCancelled = false;
    let cleaned = 0;
    stubs.runTests = async (req) => {
      if (req.role === 'base') return testResult(3);
      // Heartbeat until the cancellation arrives, as the real test activity does.
      const ctx = Context.current();
      for (;;) {
        ctx.heartbeat();
        try {
          await ctx.sleep(200);
        } catch (err) {
          testCancelled = true;
          throw err;
        }
      }
    };
    stubs.cleanupRun = async () => void cleaned++;
    const queues = oneQueue();
    const input = runInput(queues, { drafts: 'gpu:1', heartbeat: 2 });
    const result = await withStubWorker(queues.workflow, stubs, async (env) => {
      const handle = await env.client.workflow.start('SelfCodingWorkflow', {
        taskQueue: queues.workflow,
        workflowId: `stub-cancel-${randomBytes(4).toString('hex')}`,
        args: [input],
      });
      for (let i = 0; i < 100 && (await handle.query(statusQuery)).candidates[0]?.status !== 'testing'; i++) await new Promise((r) => setTimeout(r, 100));
      await handle.cancel();
      return (await handle.result()) as RunResult;
    });
    expect(result.outcome).toBe('cancelled');
    expect(testCancelled).toBe(true);
    expect(cleaned).toBe(1);
  });

  it('candidates as data: tests and benchmarks get workspace specs (base + patch + tree), the commit the patch and the tree tested', async () => {
    const stubs = happyStubs();
    const TREE = (c: string) => c.repeat(40);
    stubs.prepareRun = async () => ({ baseSha: 'b'.repeat(40), baseDir: '/stub/base', baseTree: TREE('0'), files: [{ path: 'src/sum.ts', content: 'x\n' }] });
    stubs.applyCandidate = async (req) => ({
      ok: true,
      dir: `/stub/${req.candidateId}`,
      changed: ['src/sum.ts'],
      diff: 'd',
      patch: `patch of ${req.candidateId}`,
      tree: TREE('1'),
    });
    const tests: Parameters<Stubs['runTests']>[0][] = [];
    stubs.runTests = async (req) => (tests.push(req), { ...testResult(3), tree: req.workspace?.tree });
    const benches: Parameters<Stubs['runBenchmark']>[0][] = [];
    stubs.runBenchmark = async (req) => (benches.push(req), benchResult('inconclusive', 1));
    const commits: Parameters<Stubs['commitCandidate']>[0][] = [];
    const commit = stubs.commitCandidate;
    stubs.commitCandidate = async (req) => (commits.push(req), commit(req));
    const { result, workflowId } = await run(stubs, { drafts: 'gpu:1', bench: 'node bench.js', source: 'git://repos.internal/app.git' });
    expect(result.outcome).toBe('committed');
    const base = { source: 'git://repos.internal/app.git', baseSha: 'b'.repeat(40), tree: TREE('0'), runId: workflowId, label: 'base' };
    expect(tests[0]).toMatchObject({ role: 'base', workspace: base });
    expect(tests[0]!.dir).toBeUndefined();
    expect(tests[1]).toMatchObject({ role: 'candidate', workspace: { ...base, label: 'r1c1', patch: 'patch of r1c1', tree: TREE('1') }, baseWorkspace: base });
    expect(benches.at(-1)).toMatchObject({ baseWorkspace: base, candidateWorkspace: { label: 'r1c1', patch: 'patch of r1c1' } });
    expect(benches.at(-1)!.baseDir).toBeUndefined();
    expect(commits[0]).toMatchObject({ patch: 'patch of r1c1', tree: TREE('1') });
  });
});
