// A train outlives its server: stop the Temporal dev server while a train
// waits for approval, start it again on the same SQLite file, and the train
// is still there, still waiting, and releases when approved. Its own server
// (not the suite's), so stopping it disturbs no other test.
import { Client, Connection } from '@temporalio/client';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queueNames } from '../../lib/queues.js';
import type { TrainResult } from '../../lib/train-types.js';
import { startDevServer, type DevServer } from '../../scripts/dev-server.js';
import { installRuntime } from '../../worker/runtime.js';
import { createWorkers } from '../../worker/workers.js';
import { trainDecisionUpdate, trainStatusQuery } from '../../workflows/definitions.js';
import { startFakeOpenAI } from '../helpers/fake-openai.js';
import { FIXED_SUM } from '../helpers/fixtures.js';
import { gitLines, uniquePrefix, waitFor, when } from '../helpers/harness.js';
import { freePort } from '../helpers/ports.js';
import { addTasks, scriptByGoal, trainInput, trainRepo, wholeFile, withHeader } from '../helpers/train.js';

const scratch = await mkdtemp(join(tmpdir(), 'ouro-restart-'));
let server: DevServer | undefined;
afterAll(async () => {
  await server?.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('a server restart', () => {
  it('keeps a train waiting for approval; approved after the restart, it releases', async () => {
    installRuntime();
    const port = await freePort();
    const dbFile = join(scratch, 'temporal.sqlite');
    server = await startDevServer({ port, uiPort: await freePort(), headless: true, dbFile });
    process.env.TEMPORAL_ADDRESS = server.address;
    const prefix = uniquePrefix();
    const fake = await startFakeOpenAI();
    const q = queueNames(prefix);
    const workers = await createWorkers([q.workflow, q.git, q.sandbox, q.draft.gpu], q, { shutdownGraceTime: '1 second' });
    const running = workers.run();
    try {
      const repo = await trainRepo();
      await addTasks(repo, [{ id: 'doc-sum', goal: '[A] Document sumTo', files: ['src/sum.ts'] }]);
      scriptByGoal(fake, { A: wholeFile('src/sum.ts', withHeader('Sums.', FIXED_SUM)) });
      const connect = async () => new Client({ connection: await Connection.connect({ address: server!.address }) });
      let client = await connect();
      const input = trainInput(repo, prefix, fake.url, { approval: true });
      const id = `restart-${prefix}`;
      await client.workflow.start('ReleaseTrainWorkflow', { taskQueue: input.queues.workflow, workflowId: id, args: [input] });
      await waitFor(when(async () => (await client.workflow.getHandle(id).query(trainStatusQuery)).stage === 'awaiting-approval'), 'the approval wait', 90_000, 200);

      await client.connection.close();
      await server.stop();
      server = await startDevServer({ port, uiPort: await freePort(), headless: true, dbFile });
      client = await connect();

      const handle = client.workflow.getHandle(id);
      expect((await handle.describe()).status.name).toBe('RUNNING');
      // The workers reconnect by themselves; the query needs one of them to answer.
      await waitFor(when(async () => (await handle.query(trainStatusQuery)).stage === 'awaiting-approval'), 'the train after the restart', 90_000, 200);
      await handle.executeUpdate(trainDecisionUpdate, { args: [{ approve: true, by: 'after-restart' }] });
      const result = (await handle.result()) as TrainResult;
      expect(result).toMatchObject({ outcome: 'released', tag: 'v0.1.0' });
      expect(await gitLines(repo, 'log', '--format=%(trailers:key=Ouro-Task,valueonly)', 'main..v0.1.0')).toEqual(['doc-sum']);
      await client.connection.close();
    } finally {
      await workers.shutdown();
      await running.catch(() => {});
      await workers.connection.close();
      await fake.close();
    }
  });
});
