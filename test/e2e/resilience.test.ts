import { beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import {
  exampleRepo,
  gitLines,
  queueNames,
  recordHistory,
  resultOf,
  startTestRun,
  startWorkers,
  testInput,
  uniquePrefix,
  useSuiteServer,
  useFakeProvider,
  waitFor,
  when,
  pidOf,
} from '../helpers/harness.js';
import { GOOD_REPLY } from '../../dev/scripted-replies.js';
import { hintUpdate } from '../../workflows/definitions.js';
import { parseTrailers } from '../../core/run/trailers.js';

const GOOD = GOOD_REPLY;
const MALFORMED = 'src/sum.ts\n<<<<<<< SEARCH\nnothing here\n';

beforeAll(() => {
  useSuiteServer();
});

const fake = useFakeProvider();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('durability and control', () => {
  it('cancellation stops the running test process and cleans up', async () => {
    const prefix = uniquePrefix();
    const workers = await startWorkers(queueNames(prefix));
    try {
      const repo = await exampleRepo();
      fake.script('r1c1', [{ content: GOOD }]);
      // A sleep with a unique duration, so the host can find it (the sandbox has its own PID namespace).
      const token = `${100 + Math.floor(Math.random() * 800)}.${Date.now() % 100000}`;
      const test = `case "$PWD" in */r1c1) exec sleep ${token};; esac; ./node_modules/.bin/vitest run`;
      const handle = await startTestRun(testInput(repo, prefix, fake.url, { drafts: 'gpu:1', test, heartbeat: 2 }));
      let pid = 0;
      await waitFor(
        when(async () => (pid = await pidOf(`sleep ${token}`)) > 0),
        'the candidate test to start',
        60_000,
      );
      expect(alive(pid)).toBe(true);
      await handle.cancel();
      const result = await resultOf(handle);
      expect(result.outcome).toBe('cancelled');
      await waitFor(
        when(() => !alive(pid)),
        'the test process to die',
        10_000,
      );
      expect(await gitLines(repo, 'branch', '--list', 'ouro/*')).toEqual([]);
      expect(await gitLines(repo, 'worktree', 'list')).toHaveLength(1);
    } finally {
      await workers.stop();
    }
  });

  it('a hint sent during round 1 reaches the round 2 prompt; an empty hint is refused', async () => {
    const prefix = uniquePrefix();
    const workers = await startWorkers(queueNames(prefix));
    try {
      const repo = await exampleRepo();
      // Round 1's reply is held long enough for the hint to land while it drafts, even on a loaded machine.
      fake.script('r1c1', [{ content: MALFORMED, delayMs: 4000 }]);
      fake.script('r2c1', [{ content: GOOD }]);
      const handle = await startTestRun(testInput(repo, prefix, fake.url, { drafts: 'gpu:1', rounds: 2 }));
      await waitFor(
        when(() => fake.requests.some((r) => r.key === 'r1c1')),
        'round 1 to draft',
        60_000,
      );
      const answer = await handle.executeUpdate(hintUpdate, { args: ['the loop bound should include n'] });
      expect(answer).toMatch(/round 2/);
      await expect(handle.executeUpdate(hintUpdate, { args: ['   '] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      const result = await resultOf(handle);
      expect(result.outcome).toBe('committed');
      const r2 = fake.requests.find((r) => r.key === 'r2c1');
      expect(JSON.stringify(r2?.body.messages)).toContain('the loop bound should include n');
      await recordHistory(handle, 'hint');
    } finally {
      await workers.stop();
    }
  });

  it('benchmarks survivors: a 3x slower candidate is rejected, a faster one meeting the goal is committed', async () => {
    const prefix = uniquePrefix();
    const workers = await startWorkers(queueNames(prefix));
    try {
      const repo = await exampleRepo({ fixed: true });
      const slow =
        'src/primes.ts\n<<<<<<< SEARCH\n    for (let d = 2; d < n; d++) {\n=======\n    for (let rep = 0; rep < 3; rep++)\n    for (let d = 2; d < n; d++) {\n>>>>>>> REPLACE\n';
      const fast =
        'src/primes.ts\n<<<<<<< SEARCH\n    for (let d = 2; d < n; d++) {\n      if (n % d === 0) {\n        prime = false;\n      }\n    }\n=======\n    for (let d = 2; d * d <= n; d++) {\n      if (n % d === 0) {\n        prime = false;\n        break;\n      }\n    }\n>>>>>>> REPLACE\n';
      fake.script('r1c1', [{ content: slow }]);
      fake.script('r1c2', [{ content: fast }]);
      const input = testInput(repo, prefix, fake.url, { fix: false, bench: './node_modules/.bin/tsx bench/bench.ts', speedup: 1.5 });
      input.goal = 'Make countPrimesBelow faster';
      const handle = await startTestRun(input);
      const result = await resultOf(handle);
      expect(result.outcome).toBe('committed');
      const [c1, c2] = result.candidates;
      expect(c1?.status).toBe('slower');
      expect(c1?.speedup).toBeLessThan(0.8);
      expect(c2?.status).toBe('committed');
      expect(c2?.speedup).toBeGreaterThan(1.5);
      const trailers = parseTrailers((await gitLines(repo, 'log', '-1', '--format=%B', result.branch!)).join('\n'));
      expect(trailers['Ouro-Benchmark']).toMatch(/× faster/);
      await recordHistory(handle, 'benchmark');
    } finally {
      await workers.stop();
    }
  });
});
