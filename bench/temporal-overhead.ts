// What does Temporal cost, and what else does a one-candidate run pay for? The
// same scripted self-coding loop on the bundled example, (a) as a
// SelfCodingWorkflow on the local dev server with in-process workers, and (b)
// by calling the very same activity functions with the very requests the
// workflow sends (bench/overhead/direct-loop.ts; the bench checks them against
// the workflow's recorded history), in this process. With --cluster, (c) the
// same workflow on the PostgreSQL-backed cluster (dev/cluster.ts) too,
// interleaved with the others. Then the run's fixed costs, measured on the
// same base: the trace of the base's run, the workspace guard, the workspaces
// rebuilt from patches, git's worktrees. Prints medians and each cost's share
// of the workflow's run; run: npm run bench:overhead [-- --runs 7 --candidates 2 --cluster]
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from '../dev/dev-server.js';
import { startFakeOpenAI } from '../dev/fake-openai.js';
import { freePort } from '../dev/ports.js';
import { createExampleRepo } from '../dev/example-repo.js';
import { freeClusterBase, startCluster, stopCluster } from '../dev/cluster.js';
import { GOOD_REPLY, WRONG_REPLY } from '../dev/scripted-replies.js';
import { buildRunInput } from '../core/run/input.js';
import { median } from '../core/stats/bench-stats.js';
import type { RunInput, RunResult } from '../core/run/types.js';
import { queueNames } from '../core/run/queues.js';
import { createWorkers, type WorkerSet } from '../worker/workers.js';
import { installRuntime } from '../worker/runtime.js';
import { startRun } from '../cli/commands/run.js';
import { directLoop, type Timed } from './overhead/direct-loop.js';
import { historyTimes, requestsOf, sameRequests, type HistoryTimes } from './overhead/history-requests.js';
import { fixedCosts, type FixedCosts } from './overhead/fixed-costs.js';

const flag = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const runs = flag('--runs', 5);
/** One candidate (the fix) by default; with more, the first is wrong and the others right. */
const candidates = flag('--candidates', 1);
const withCluster = process.argv.includes('--cluster');

/** A Temporal server with in-process workers and a client, for one arm of the comparison. */
async function arm(address: string, prefix: string): Promise<{ client: Client; workers: WorkerSet; running: Promise<void> }> {
  const q = queueNames(prefix);
  const workers = await createWorkers([q.workflow, q.git, q.sandbox, q.draft.gpu], q, { connection: await NativeConnection.connect({ address }) });
  return { client: new Client({ connection: await Connection.connect({ address }) }), workers, running: workers.run() };
}

const ms = (v: number) => `${v.toFixed(0)} ms`;
const share = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)}%`;
const medianOf = (rows: Array<Record<string, number>>, key: string) => median(rows.map((r) => r[key] ?? 0));

async function main(): Promise<void> {
  installRuntime();
  const scratch = await mkdtemp(join(tmpdir(), 'ouro-bench-'));
  await chmod(scratch, 0o755);
  const server = await startDevServer({ port: await freePort(), headless: true, dbFile: join(scratch, 'db.sqlite') });
  const clusterRoot = join(scratch, 'cluster');
  const cluster = withCluster ? await startCluster({ root: clusterRoot, basePort: await freeClusterBase() }) : undefined;
  const fake = await startFakeOpenAI();
  fake.setDefault((req) => ({ content: candidates > 1 && req.key.endsWith('c1') ? WRONG_REPLY : GOOD_REPLY }));
  const prefix = 'bench-';
  const arms = { dev: await arm(server.address, prefix), ...(cluster ? { cluster: await arm(cluster.address, prefix) } : {}) };
  const input = async (): Promise<RunInput> =>
    buildRunInput(
      {
        repo: await createExampleRepo({ parent: scratch }),
        drafts: `gpu:${candidates}`,
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
  const steps: Array<Record<string, number>> = [];
  const costs: FixedCosts[] = [];
  const histories: HistoryTimes[] = [];
  let activityCount = 0;
  // Interleaved, with one unmeasured warm-up of each, so drifts hit every arm.
  for (let i = -1; i < runs; i++) {
    const line: string[] = [];
    let workflow: { runId: string; requests: ReturnType<typeof requestsOf> } | undefined;
    for (const [name, a] of Object.entries(arms)) {
      const t0 = performance.now();
      const runId = `bench-${name}-${process.pid}-${i}`;
      const handle = await startRun(a.client, await input(), runId);
      const result = (await handle.result()) as RunResult;
      const took = performance.now() - t0;
      if (result.outcome !== 'committed') throw new Error(`${name} run ended ${result.outcome}`);
      if (i >= 0) times[name]!.push(took);
      if (name === 'dev') {
        const history = await handle.fetchHistory();
        workflow = { runId, requests: requestsOf(history) };
        if (i >= 0) histories.push({ ...historyTimes(history), wallMs: took });
      }
      line.push(`${name} ${ms(took)}`);
    }
    const d0 = performance.now();
    const directId = `direct-${process.pid}-${i}`;
    const direct: Timed = await directLoop(await input(), directId);
    const took = performance.now() - d0;
    // The direct arm must ask each activity what the workflow asked it, or the difference is not Temporal's.
    const mismatch = sameRequests(workflow!, { runId: directId, requests: direct.requests });
    if (mismatch) throw new Error(`the direct arm's requests differ from the workflow's: ${mismatch}`);
    activityCount = direct.requests.length;
    const fixed = await fixedCosts(await input(), `fixed-${process.pid}-${i}`);
    if (i >= 0) {
      times.direct!.push(took);
      steps.push(direct.stepMs);
      costs.push(fixed);
    }
    process.stderr.write(
      `run ${i + 1}/${runs}: ${line.join(', ')}, direct ${ms(took)}, base traced ${ms(fixed.baseTracedMs)} / untraced ${ms(fixed.baseUntracedMs)}\n`,
    );
  }
  const md = median(times.direct!);
  const figures: Record<string, unknown> = { runs, candidates, activitiesPerLoop: activityCount, directMedianMs: Math.round(md) };
  for (const name of Object.keys(arms)) {
    const mt = median(times[name]!);
    figures[`${name}MedianMs`] = Math.round(mt);
    figures[`${name}AddedPerActivityMs`] = Number(((mt - md) / activityCount).toFixed(1));
    figures[`${name}OverheadShare`] = Number(((mt - md) / mt).toFixed(3));
    console.log(
      `${name === 'dev' ? 'dev server' : 'PostgreSQL cluster'}: Temporal adds ${((mt - md) / activityCount).toFixed(1)} ms per activity (median loop ${ms(mt)} vs ${ms(md)} direct, ${share(mt - md, mt)} of wall time)`,
    );
  }
  const whole = median(times.dev!);
  const cost = (key: keyof FixedCosts) => median(costs.map((c) => c[key]));
  const trace = cost('baseTracedMs') - cost('baseUntracedMs');
  const hist = (key: keyof HistoryTimes) => median(histories.map((h) => h[key]));
  const rows: Array<[string, number]> = [
    ['Temporal: the workflow run less the direct one (interleaved; noisy on a busy machine)', whole - md],
    ["Temporal: the run's wall time less its activities' running time (from its history)", hist('wallMs') - hist('runningMs')],
    ["the base's tests, traced (the whole activity)", medianOf(steps, 'runTests:base')],
    ['  of which the trace (traced - untraced base run)', trace],
    ["the candidate's tests (the whole activity)", medianOf(steps, 'runTests:candidate')],
    ['the tests themselves, bare, per run (no sandbox, no guard)', cost('bareTestsMs')],
    ['the workspace guard, per sandbox run (guard, mark, verify)', cost('guardMs')],
    ['a workspace rebuilt from its spec, per sandbox run (worktree, patch, tree check, removal)', cost('materializeMs')],
    ['the sandbox start-up, per run (bwrap, cgroup, `true`)', cost('sandboxStartMs')],
    ['git: prepare the base (worktree, file snapshots)', medianOf(steps, 'prepareRun')],
    ['git: apply the candidate (worktree, parse, patch, policy)', medianOf(steps, 'applyCandidate')],
    ['git: commit', medianOf(steps, 'commitCandidate')],
    ['git: clean up', medianOf(steps, 'cleanupRun')],
    ["git: gather the drafts' context (repository map)", medianOf(steps, 'gatherContext')],
    ['the draft (the fake provider)', medianOf(steps, 'draft')],
  ];
  console.log(`\nA ${candidates}-candidate run through Temporal, median ${ms(whole)} (direct ${ms(md)}); each cost's share of it:`);
  console.log(
    `Temporal's part, from the histories: activities queued ${ms(hist('queuedMs'))} in all, running ${ms(hist('runningMs'))} (direct: ${ms(md)}), workflow tasks ${ms(hist('workflowTasksMs'))}; ${hist('retried')} retried`,
  );
  for (const [what, v] of rows) console.log(`  ${what.padEnd(92)} ${ms(v).padStart(8)}  ${share(v, whole).padStart(6)}`);
  figures.steps = Object.fromEntries(Object.keys(steps[0] ?? {}).map((k) => [k, Math.round(medianOf(steps, k))]));
  figures.fixed = Object.fromEntries((Object.keys(costs[0] ?? {}) as Array<keyof FixedCosts>).map((k) => [k, Math.round(cost(k))]));
  figures.history = Object.fromEntries((Object.keys(histories[0] ?? {}) as Array<keyof HistoryTimes>).map((k) => [k, Math.round(hist(k))]));
  figures.traceRatio = Number((cost('baseTracedMs') / cost('baseUntracedMs')).toFixed(2));
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
