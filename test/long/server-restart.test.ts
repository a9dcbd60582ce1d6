// Runs and trains outlive their server. A train: stop the Temporal dev server
// while it waits for approval, start it again on the same SQLite file, and
// the train is still there, still waiting, and releases when approved. A run:
// SIGKILL the server twice, during the candidate's test and during its
// benchmark, and the run still commits exactly once. Each test has its own
// server (not the suite's), so stopping it disturbs no other test.
import { Client, Connection } from '@temporalio/client';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrainResult } from '../../core/train/types.js';
import { trainDecisionUpdate, trainStatusQuery } from '../../workflows/definitions.js';
import { FIXED_SUM } from '../../dev/scripted-replies.js';
import { GOOD_REPLY } from '../../dev/scripted-replies.js';
import { exampleRepo, gitLines, pidOf, testInput, waitFor, when } from '../helpers/harness.js';
import { withDevServerAndWorkers } from '../helpers/own-server.js';
import { startRun } from '../../cli/commands/run.js';
import type { RunResult } from '../../core/run/types.js';
import { addTasks, scriptByGoal, trainInput, trainRepo, wholeFile, withHeader } from '../helpers/train.js';

const scratch = await mkdtemp(join(tmpdir(), 'ouro-restart-'));
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const connect = async (address: string) => new Client({ connection: await Connection.connect({ address }) });

describe('a server restart', () => {
  it('a run survives its server SIGKILLed and restarted twice (during the test, during the benchmark): one commit', async () => {
    await withDevServerAndWorkers(scratch, async ({ address, prefix, fake, restart }) => {
      let client = await connect(address);
      const crash = async () => {
        await client.connection.close();
        await restart({ kill: true });
        client = await connect(address);
      };
      try {
        const repo = await exampleRepo();
        fake.script('r1c1', [{ content: GOOD_REPLY }]);
        const digits = `${Date.now() % 100000}${Math.floor(Math.random() * 9)}`;
        const testSleep = `sleep 2.${digits}`;
        const benchSleep = `sleep 0.3${digits}`;
        const input = testInput(repo, prefix, fake.url, {
          drafts: 'gpu:1',
          heartbeat: 3,
          benchRuns: 10,
          test: `case "$PWD" in */r1c1) ${testSleep};; esac; ./node_modules/.bin/vitest run`,
          bench: benchSleep,
        });
        const id = `run-restart-${prefix}`;
        await startRun(client, input, id);
        // The baseline benchmark runs before any draft; the first kill waits for the candidate's test.
        await waitFor(
          when(async () => (await pidOf(testSleep)) > 0),
          "the candidate's test",
          90_000,
          50,
        );
        await crash();
        await waitFor(
          when(async () => (await pidOf(benchSleep)) > 0 && (await client.workflow.getHandle(id).describe()).status.name === 'RUNNING'),
          'a benchmark after the first restart',
          120_000,
          50,
        );
        // Only a benchmark of the candidate can run after its test: the baseline's came first.
        await crash();
        const result = (await client.workflow.getHandle(id).result()) as RunResult;
        expect(result.outcome).toBe('committed');
        expect(await gitLines(repo, 'log', '--all', '--format=%H', `--grep=Ouro-Run: ${id}`)).toHaveLength(1);
        expect(await gitLines(repo, 'rev-list', `main..${result.branch}`)).toEqual([result.commitSha]);
      } finally {
        await client.connection.close().catch(() => {});
      }
    });
  }, 300_000);

  it('keeps a train waiting for approval; approved after the restart, it releases', async () => {
    await withDevServerAndWorkers(
      scratch,
      async ({ address, prefix, fake, restart }) => {
        const repo = await trainRepo();
        await addTasks(repo, [{ id: 'doc-sum', goal: '[A] Document sumTo', files: ['src/sum.ts'] }]);
        scriptByGoal(fake, { A: wholeFile('src/sum.ts', withHeader('Sums.', FIXED_SUM)) });
        let client = await connect(address);
        const input = trainInput(repo, prefix, fake.url, { approval: true });
        const id = `restart-${prefix}`;
        await client.workflow.start('ReleaseTrainWorkflow', { taskQueue: input.queues.workflow, workflowId: id, args: [input] });
        await waitFor(
          when(async () => (await client.workflow.getHandle(id).query(trainStatusQuery)).stage === 'awaiting-approval'),
          'the approval wait',
          90_000,
          200,
        );

        await client.connection.close();
        await restart({ kill: false });
        client = await connect(address);

        const handle = client.workflow.getHandle(id);
        expect((await handle.describe()).status.name).toBe('RUNNING');
        // The workers reconnect by themselves; the query needs one of them to answer.
        await waitFor(
          when(async () => (await handle.query(trainStatusQuery)).stage === 'awaiting-approval'),
          'the train after the restart',
          90_000,
          200,
        );
        await handle.executeUpdate(trainDecisionUpdate, { args: [{ approve: true, by: 'after-restart' }] });
        const result = (await handle.result()) as TrainResult;
        expect(result).toMatchObject({ outcome: 'released', tag: 'v0.1.0' });
        expect(await gitLines(repo, 'log', '--format=%(trailers:key=Ouro-Task,valueonly)', 'main..v0.1.0')).toEqual(['doc-sum']);
        await client.connection.close();
      },
      { webUi: true },
    );
  });
});
