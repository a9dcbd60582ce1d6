// What does Temporal cost? The same scripted self-coding loop on the bundled
// example, (a) as a SelfCodingWorkflow on the local dev server with
// in-process workers, and (b) by calling the very same activity functions in
// sequence/parallel in this process (MockActivityEnvironment supplies the
// activity context). With --cluster, (c) the same workflow on the
// PostgreSQL-backed cluster (dev/cluster.ts) too, interleaved with the
// others. Prints medians; run: npm run bench:overhead [-- --runs 7 --cluster]
import { MockActivityEnvironment } from '@temporalio/testing';
import { Client, Connection } from '@temporalio/client';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from '../dev/dev-server.js';
import { startFakeOpenAI } from '../dev/fake-openai.js';
import { freePort } from '../dev/ports.js';
import { createExampleRepo } from '../dev/example-repo.js';
import { GOOD_REPLY, WRONG_REPLY } from '../dev/scripted-replies.js';
import { buildRunInput } from '../core/run/input.js';
import { median } from '../core/stats/bench-stats.js';
import type { RunInput, RunResult } from '../core/run/types.js';
import { queueNames } from '../core/run/queues.js';
import { gitActivities, sandboxActivities, draftActivities } from '../activities/index.js';
import { createWorkers, type WorkerSet } from '../worker/workers.js';
import { NativeConnection } from '@temporalio/worker';
import { chmod } from 'node:fs/promises';
import { freeClusterBase, startCluster, stopCluster } from '../dev/cluster.js';
import { installRuntime } from '../worker/runtime.js';
import { startRun } from '../cli/commands/run.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const withCluster = process.argv.includes('--cluster');

const inActivity = <A extends unknown[], R>(fn: (...a: A) => Promise<R>, ...args: A): Promise<R> =>
  new MockActivityEnvironment({ heartbeatTimeoutMs: 30_000 }).run(fn, ...args);

/** The workflow's steps for one round, written out as plain calls. */
async function directLoop(input: RunInput, runId: string): Promise<number> {
  let activities = 0;
  const call = async <A extends unknown[], R>(fn: (...a: A) => Promise<R>, ...args: A) => {
    activities++;
    return inActivity(fn, ...args);
  };
  const base = await call(gitActivities.prepareRun, { repo: input.repo, baseRef: input.baseRef, runId, files: input.files, linkPaths: input.linkPaths });
  await call(sandboxActivities.runTests, {
    dir: base.baseDir,
    command: input.testCommand,
    timeoutSeconds: 300,
    label: 'baseline',
    protectedPaths: input.protectedPaths,
  });
  const slots = input.drafts.flatMap((slot) => Array.from({ length: slot.count }, () => slot));
  const results = await Promise.all(
    slots.map(async (slot, i) => {
      const id = `r1c${i + 1}`;
      const d = await call(draftActivities.draft, {
        candidateId: id,
        slot,
        goal: input.goal,
        files: base.files,
        allowed: input.files,
        hints: [],
        feedback: [],
      });
      const a = await call(gitActivities.applyCandidate, {
        repo: input.repo,
        runId,
        baseSha: base.baseSha,
        candidateId: id,
        reply: d.text,
        format: slot.editFormat,
        allowed: input.files,
        protectedPaths: input.protectedPaths,
        linkPaths: input.linkPaths,
      });
      if (!a.ok) return undefined;
      const t = await call(sandboxActivities.runTests, {
        dir: a.dir,
        command: input.testCommand,
        timeoutSeconds: 300,
        label: id,
        protectedPaths: input.protectedPaths,
      });
      return t.passed ? { a, id } : undefined;
    }),
  );
  const best = results.find((r) => r !== undefined);
  if (!best || !best.a.ok) throw new Error('the scripted loop should commit');
  await call(gitActivities.commitCandidate, {
    repo: input.repo,
    dir: best.a.dir,
    baseSha: base.baseSha,
    branch: `ouro/${runId}`,
    changed: best.a.changed,
    message: 'direct\n\nOuro-Run: ' + runId + '\n',
    trailers: { 'Ouro-Run': runId },
    timestampMs: Date.now(),
  });
  await call(gitActivities.cleanupRun, { repo: input.repo, runId });
  return activities;
}

/** A Temporal server with in-process workers and a client, for one arm of the comparison. */
async function arm(address: string, prefix: string): Promise<{ client: Client; workers: WorkerSet; running: Promise<void> }> {
  const q = queueNames(prefix);
  const workers = await createWorkers([q.workflow, q.git, q.sandbox, q.draft.gpu], q, { connection: await NativeConnection.connect({ address }) });
  return { client: new Client({ connection: await Connection.connect({ address }) }), workers, running: workers.run() };
}

async function main(): Promise<void> {
  installRuntime();
  const scratch = await mkdtemp(join(tmpdir(), 'ouro-bench-'));
  await chmod(scratch, 0o755);
  const server = await startDevServer({ port: await freePort(), headless: true, dbFile: join(scratch, 'db.sqlite') });
  const clusterRoot = join(scratch, 'cluster');
  const cluster = withCluster ? await startCluster({ root: clusterRoot, basePort: await freeClusterBase() }) : undefined;
  const fake = await startFakeOpenAI();
  fake.setDefault((req) => ({ content: req.key.endsWith('c1') ? WRONG_REPLY : GOOD_REPLY }));
  const prefix = 'bench-';
  const arms = { dev: await arm(server.address, prefix), ...(cluster ? { cluster: await arm(cluster.address, prefix) } : {}) };
  const input = async () =>
    buildRunInput(
      {
        repo: await createExampleRepo({ parent: scratch }),
        drafts: 'gpu:2',
        baseUrl: fake.url,
        model: 'fake-model',
        rounds: 1,
        queuePrefix: prefix,
        fix: true,
      },
      { test: './node_modules/.bin/vitest run', files: ['src/**/*.ts'], goal: 'Fix sumTo' },
      {},
    );

  const times: Record<string, number[]> = { direct: [], ...Object.fromEntries(Object.keys(arms).map((k) => [k, []])) };
  let activityCount = 0;
  // Interleaved, with one unmeasured warm-up of each, so drifts hit every arm.
  for (let i = -1; i < runs; i++) {
    const line: string[] = [];
    for (const [name, a] of Object.entries(arms)) {
      const t0 = performance.now();
      const handle = await startRun(a.client, await input(), `bench-${name}-${process.pid}-${i}`);
      const result = (await handle.result()) as RunResult;
      const ms = performance.now() - t0;
      if (result.outcome !== 'committed') throw new Error(`${name} run ended ${result.outcome}`);
      if (i >= 0) times[name]!.push(ms);
      line.push(`${name} ${ms.toFixed(0)} ms`);
    }
    const d0 = performance.now();
    activityCount = await directLoop(await input(), `direct-${process.pid}-${i}`);
    const dms = performance.now() - d0;
    if (i >= 0) times.direct!.push(dms);
    process.stderr.write(`run ${i + 1}/${runs}: ${line.join(', ')}, direct ${dms.toFixed(0)} ms\n`);
  }
  const md = median(times.direct!);
  const figures: Record<string, unknown> = { runs, activitiesPerLoop: activityCount, directMedianMs: Math.round(md) };
  for (const name of Object.keys(arms)) {
    const mt = median(times[name]!);
    figures[`${name}MedianMs`] = Math.round(mt);
    figures[`${name}AddedPerActivityMs`] = Number(((mt - md) / activityCount).toFixed(1));
    figures[`${name}OverheadShare`] = Number(((mt - md) / mt).toFixed(3));
    console.log(
      `${name === 'dev' ? 'dev server' : 'PostgreSQL cluster'}: Temporal adds ${((mt - md) / activityCount).toFixed(1)} ms per activity (median loop ${mt.toFixed(0)} ms vs ${md.toFixed(0)} ms direct, ${(((mt - md) / mt) * 100).toFixed(1)}% of wall time)`,
    );
  }
  console.log(JSON.stringify(figures));
  console.log(`over ${runs} interleaved runs, ${activityCount} activities each`);
  for (const a of Object.values(arms)) {
    await a.workers.shutdown();
    await a.running;
    await a.client.connection.close();
  }
  await fake.close();
  await server.stop();
  if (cluster) await stopCluster({ root: clusterRoot });
  await rm(scratch, { recursive: true, force: true });
}

await main();
