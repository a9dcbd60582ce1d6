// A search survives its worker: the one worker process (workflow, git,
// sandbox, drafts) is SIGKILLed while a program's tests run, and a new one
// takes over. The budget holds exactly, no evaluation is lost and none is
// repeated: every program id appears once, and the model was asked once per
// draft.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { EvolveResult, EvolveState } from '../../core/evolve/types.js';
import { buildEvolveInput } from '../../core/evolve/input.js';
import { evolveArchiveQuery } from '../../workflows/definitions.js';
import { queueNames, startWorkerProcess, testClient, uniquePrefix, useFakeProvider, useSuiteServer, waitFor, when } from '../helpers/harness.js';
import { trainRepo, wholeFile, withHeader } from '../helpers/train.js';
import { SQRT_PRIMES } from '../../dev/scripted-replies.js';

const fake = useFakeProvider();

describe('ouro evolve and a dead worker', () => {
  it('the worker SIGKILLed during a program’s tests: the budget holds, nothing is lost or repeated', async () => {
    useSuiteServer();
    const prefix = uniquePrefix();
    const repo = await trainRepo();
    // Each draft a different text (a parent's own text again would change nothing).
    for (const n of [1, 2, 3, 4]) fake.script(`p${n}`, [{ content: wholeFile('src/primes.ts', withHeader(`variant ${n}`, SQRT_PRIMES)) }]);
    const token = `${Date.now() % 100000}`;
    // p2's tests pause long enough for the kill to land in them.
    const test = `case "$PWD" in */p2) sleep 6.${token};; esac; ./node_modules/.bin/vitest run`;
    const input = buildEvolveInput(
      {
        repo,
        goal: 'Make countPrimesBelow faster.',
        files: 'src/primes.ts',
        test,
        bench: './node_modules/.bin/tsx bench/bench.ts',
        benchMode: 'metrics',
        benchRuns: 6,
        drafts: 'gpu:1',
        baseUrl: fake.url,
        model: 'fake-model',
        editFormat: 'whole-file',
        heartbeat: 5,
        queuePrefix: prefix,
      },
      { parallel: 1, maxDrafts: 4, islands: 1 },
      {},
      {},
    );
    const q = queueNames(prefix);
    let worker = startWorkerProcess(prefix);
    const client = await testClient();
    const id = `evolve-kill-${prefix}`;
    const handle = await client.workflow.start('EvolveWorkflow', { taskQueue: q.workflow, workflowId: id, args: [input] });
    await waitFor(
      when(async () => (await execa('pgrep', ['-x', '-f', `sleep 6.${token}`], { reject: false })).exitCode === 0),
      "p2's tests",
      180_000,
      50,
    );
    worker.kill('SIGKILL');
    await worker;
    worker = startWorkerProcess(prefix);
    try {
      const result = (await handle.result()) as EvolveResult;
      const archive = (await handle.query(evolveArchiveQuery)) as EvolveState;
      expect(result.stopReason).toBe('the draft budget (4) is spent');
      expect(result.spent.drafts).toBe(4);
      const ids = archive.evaluations.map((e) => e.programId);
      expect(ids.sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
      // The model was asked once per draft: a retried test does not draft again.
      expect(fake.requests.length).toBe(4);
      expect(archive.evaluations.find((e) => e.programId === 'p2')!.outcome).toBe('scored');
    } finally {
      worker.kill('SIGTERM');
      await worker;
    }
  }, 400_000);
});
