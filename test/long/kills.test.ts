// The long resilience cases (npm run test:long; .ci/run runs them after the
// default suite): the worker SIGKILLed 5 times during one candidate's test,
// and 5 times during one benchmark. Each kill costs a heartbeat timeout and a
// worker start, so these take about a minute each.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  exampleRepo,
  gitLines,
  historyOf,
  resultOf,
  startTestRun,
  startedActivities,
  startWorkerProcess,
  testInput,
  uniquePrefix,
  useFakeProvider,
  useSuiteServer,
  waitFor,
  pidOf,
} from '../helpers/harness.js';
import { GOOD_REPLY } from '../../dev/scripted-replies.js';

const GOOD = GOOD_REPLY;

beforeAll(() => {
  useSuiteServer();
});

const fake = useFakeProvider();

describe('a worker killed again and again', () => {
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
        await waitFor(async () => ((await pidOf(`sleep ${token}`)) > 0 ? true : undefined), `attempt ${kill} of the candidate's test`, 90_000);
        worker.kill('SIGKILL');
        await worker;
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
        await waitFor(async () => ((await pidOf(`sleep ${token}`)) > 0 ? true : undefined), `attempt ${kill} of a benchmark`, 90_000, 50);
        worker.kill('SIGKILL');
        await worker;
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
