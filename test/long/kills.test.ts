// The resilience cases with worker kills (npm run test:long; .ci/run runs
// them after the default suite): a run's worker SIGKILLed once during a
// candidate's test, 5 times during one test and 5 times during one benchmark;
// a release train's worker SIGKILLed mid-integration. Each kill costs a
// heartbeat timeout and a worker start, so these take up to a minute each.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { workspaceRoot } from '../../adapters/git/worktrees.js';
import {
  exampleRepo,
  gitLines,
  historyOf,
  recordHistory,
  resultOf,
  startTestRun,
  startedActivities,
  startWorkerProcess,
  testInput,
  uniquePrefix,
  useFakeProvider,
  useSuiteServer,
  waitFor,
  when,
  pidOf,
} from '../helpers/harness.js';
import { GOOD as GOOD_TASKS, scriptByGoal, startTrain, trainInput, trainRepo, trainResult, twoGoodTasks } from '../helpers/train.js';
import { GOOD_REPLY } from '../../dev/scripted-replies.js';

const GOOD = GOOD_REPLY;

beforeAll(() => {
  useSuiteServer();
});

const fake = useFakeProvider();

describe('a worker killed again and again', () => {
  it('finishes with exactly one commit after the worker is SIGKILLed during the test activity', async () => {
    const prefix = uniquePrefix();
    const repo = await exampleRepo();
    const id = `kill-${randomBytes(4).toString('hex')}`;
    // The sandbox lets a run write only into its workspace: the marker lives there.
    // Each test runs in a workspace of its own under the run's sandbox folder: <run>/sandbox/<unique>/r1c1.
    const sandboxDir = join(workspaceRoot(), id, 'sandbox');
    const started = () => existsSync(sandboxDir) && readdirSync(sandboxDir).some((d) => existsSync(join(sandboxDir, d, 'r1c1', '.started')));
    fake.script('r1c1', [{ content: GOOD }]);
    // The candidate's test run announces itself, then takes a few seconds.
    const test = `case "$PWD" in */r1c1) echo run >> .started;; esac; sleep 2; ./node_modules/.bin/vitest run`;
    const first = startWorkerProcess(prefix);
    const handle = await startTestRun(testInput(repo, prefix, fake.url, { drafts: 'gpu:1', test, heartbeat: 3 }), id);
    await waitFor(when(started), 'the candidate test to start', 60_000);
    first.kill('SIGKILL');
    await first;
    const second = startWorkerProcess(prefix);
    try {
      const result = await resultOf(handle);
      expect(result.outcome).toBe('committed');
      // The test activity ran again on the new worker (the workspace is gone by now, so count runs from history)…
      // baseline: attempt 1; the candidate's test: attempt 2, after the heartbeat timeout.
      expect(
        startedActivities(await historyOf(handle), 'runTests')
          .map((s) => s.attempt)
          .sort(),
      ).toEqual([1, 2]);
      // …and the run committed exactly once.
      expect(await gitLines(repo, 'rev-list', `main..${result.branch}`)).toEqual([result.commitSha]);
      expect(await gitLines(repo, 'log', '--all', '--format=%H', `--grep=Ouro-Run: ${handle.workflowId}`)).toHaveLength(1);
      await recordHistory(handle, 'worker-killed');
    } finally {
      second.kill('SIGTERM');
      await second;
    }
  });

  it("survives the worker SIGKILLed 5 times during one candidate's test: the run commits once", async () => {
    const prefix = uniquePrefix();
    const repo = await exampleRepo();
    fake.script('r1c1', [{ content: GOOD }]);
    // Each attempt of the candidate's test first sleeps for a unique time, which the host can find (the sandbox has its own PID namespace).
    const token = `3.${Date.now() % 100000}${Math.floor(Math.random() * 9)}`;
    const test = `case "$PWD" in */r1c1) sleep ${token};; esac; ./node_modules/.bin/vitest run`;
    let worker = startWorkerProcess(prefix);
    const handle = await startTestRun(testInput(repo, prefix, fake.url, { drafts: 'gpu:1', test, heartbeat: 3 }));
    try {
      for (let kill = 1; kill <= 5; kill++) {
        const sleeping = await waitFor(async () => (await pidOf(`sleep ${token}`)) || undefined, `attempt ${kill} of the candidate's test`, 90_000);
        worker.kill('SIGKILL');
        await worker;
        await killedAttemptGone(token, sleeping);
        worker = startWorkerProcess(prefix);
      }
      const result = await resultOf(handle);
      expect(result.outcome).toBe('committed');
      const attempts = startedActivities(await historyOf(handle), 'runTests')
        .map((s) => s.attempt)
        .sort();
      // History keeps the last attempt of each activity: the baseline's first, the candidate's test's sixth.
      expect(attempts).toEqual([1, 6]);
      expect(await gitLines(repo, 'log', '--all', '--format=%H', `--grep=Ouro-Run: ${handle.workflowId}`)).toHaveLength(1);
    } finally {
      worker.kill('SIGTERM');
      await worker;
    }
  }, 300_000);

  it('survives the worker SIGKILLed 5 times during one benchmark: the run commits once', async () => {
    const prefix = uniquePrefix();
    const repo = await exampleRepo();
    fake.script('r1c1', [{ content: GOOD }]);
    // Base and candidate runs sleep the same unique time: the benchmark sees no difference, the host finds the sleep.
    const token = `0.3${Date.now() % 100000}${Math.floor(Math.random() * 9)}`;
    let worker = startWorkerProcess(prefix);
    const handle = await startTestRun(testInput(repo, prefix, fake.url, { drafts: 'gpu:1', bench: `sleep ${token}`, benchRuns: 10, heartbeat: 3 }));
    try {
      for (let kill = 1; kill <= 5; kill++) {
        const sleeping = await waitFor(async () => (await pidOf(`sleep ${token}`)) || undefined, `attempt ${kill} of a benchmark`, 90_000, 50);
        worker.kill('SIGKILL');
        await worker;
        await killedAttemptGone(token, sleeping);
        worker = startWorkerProcess(prefix);
      }
      const result = await resultOf(handle);
      expect(result.outcome).toBe('committed');
      // Five kills landed in benchmarks (the baseline's, the candidate's, or both): their last attempts add up to 2 + 5.
      const attempts = startedActivities(await historyOf(handle), 'runBenchmark').map((s) => s.attempt);
      expect(attempts).toHaveLength(2);
      expect(attempts.reduce((a, b) => a + b, 0)).toBe(7);
      expect(await gitLines(repo, 'log', '--all', '--format=%H', `--grep=Ouro-Run: ${handle.workflowId}`)).toHaveLength(1);
    } finally {
      worker.kill('SIGTERM');
      await worker;
    }
  }, 300_000);
});

describe('a release train whose worker is killed', () => {
  it('a worker killed mid-integration: the train finishes with no duplicated cherry-pick and one whole tag', async () => {
    const killPrefix = uniquePrefix();
    const repo = await trainRepo();
    // doc-sum's own test pauses on the integrated commit (rebuilt for the sandbox, under its label), so the kill lands mid-integration.
    await twoGoodTasks(repo, { test: 'case "$PWD" in */integrated_*) touch .integrating; sleep 3;; esac; ./node_modules/.bin/vitest run' });
    scriptByGoal(fake, GOOD_TASKS);
    const first = startWorkerProcess(killPrefix);
    const handle = await startTrain(trainInput(repo, killPrefix, fake.url, { heartbeat: 3 }));
    const sandboxes = join(workspaceRoot(), handle.workflowId, 'sandbox');
    await waitFor(
      when(() => existsSync(sandboxes) && readdirSync(sandboxes, { recursive: true }).some((p) => String(p).endsWith('.integrating'))),
      'the integration test to start',
    );
    first.kill('SIGKILL');
    await first;
    const second = startWorkerProcess(killPrefix);
    try {
      const result = await trainResult(handle);
      expect(result.outcome).toBe('released');
      const integrationTests = startedActivities(await historyOf(handle), 'runTests').filter((s) => s.attempt > 1);
      expect(integrationTests.length).toBeGreaterThanOrEqual(1);
      expect((await gitLines(repo, 'log', '--format=%(trailers:key=Ouro-Task,valueonly)', 'main..v0.1.0')).sort()).toEqual(['doc-primes', 'doc-sum']);
      expect(await gitLines(repo, 'log', '--all', '--format=%H', `--grep=Ouro-Train: ${handle.workflowId}`)).toHaveLength(2);
      expect(await gitLines(repo, 'tag', '-l')).toEqual(['v0.1.0']);
      expect((await gitLines(repo, 'cat-file', '-t', 'v0.1.0'))[0]).toBe('tag');
      await recordHistory(handle, 'train-worker-killed');
    } finally {
      second.kill('SIGTERM');
      await second;
    }
  });
});

/**
 * The sandbox of a killed worker dies with it, but not in the same instant: on a loaded machine its
 * `sleep` can still be listed when the next kill starts looking, and that kill would then land on a
 * worker that has not started the next attempt yet (a kill that costs no attempt).
 */
async function killedAttemptGone(token: string, pid: number): Promise<void> {
  await waitFor(async () => ((await pidOf(`sleep ${token}`)) !== pid ? true : undefined), `the killed attempt's sleep (pid ${pid}) to end`, 30_000, 50);
}
