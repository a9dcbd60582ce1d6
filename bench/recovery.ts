// How long does a dead worker cost, stage by stage? For each of draft, test,
// benchmark and commit, runs the scripted loop on the bundled example with
// its worker in a child process, SIGKILLs that worker while the stage is in
// flight, starts a new one at once (what a supervisor with restart=always
// does), and reads from the run's history when the stage's next attempt
// started. Prints, per stage, the median time from the kill to that restart
// and to the run's end, and the tally of faults injected and runs lost.
//
// The kill lands mid-stage through each stage's own slowness:
//   draft      the provider answers after 4 s (the fake server's delay)
//   test       the candidate's test command sleeps first
//   benchmark  every benchmark run (base and candidate alike) sleeps
//   commit     a git clean filter (what git-lfs is) sleeps while the commit stages its files
// Recovery is bounded by each activity's heartbeat timeout (a dead worker is
// noticed only then): draft max(--heartbeat, 30 s), test and benchmark
// --heartbeat, git 15 s.
//
// Run: npm run bench:recovery [-- --kills 3 --heartbeat 10]
import { Client, Connection } from '@temporalio/client';
import { execa, type ResultPromise } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from '../core/stats/bench-stats.js';
import { buildRunInput } from '../core/run/input.js';
import type { RunResult } from '../core/run/types.js';
import { startRun } from '../cli/commands/run.js';
import { createExampleRepo } from '../dev/example-repo.js';
import { startDevServer } from '../dev/dev-server.js';
import { PROJECT_ROOT } from '../adapters/project-root.js';
import { startFakeOpenAI } from '../dev/fake-openai.js';
import { GOOD_REPLY } from '../dev/scripted-replies.js';
import { freePort } from '../dev/ports.js';

const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || dflt;
const kills = arg('kills', 3);
const heartbeat = arg('heartbeat', 10);

const STAGES = ['draft', 'test', 'benchmark', 'commit'] as const;
type Stage = (typeof STAGES)[number];
const ACTIVITY: Record<Stage, string> = { draft: 'draft', test: 'runTests', benchmark: 'runBenchmark', commit: 'commitCandidate' };

const scratch = await mkdtemp(join(tmpdir(), 'ouro-recovery-'));
const server = await startDevServer({ port: await freePort(), headless: true, dbFile: join(scratch, 'temporal.sqlite') });
const client = new Client({ connection: await Connection.connect({ address: server.address }) });
const fake = await startFakeOpenAI();

function startWorker(prefix: string): ResultPromise {
  return execa('node', ['--import', 'tsx', join(PROJECT_ROOT, 'worker', 'main.ts')], {
    cwd: PROJECT_ROOT,
    env: { OURO_QUEUE_PREFIX: prefix, TEMPORAL_ADDRESS: server.address, OURO_LOG_LEVEL: 'ERROR' },
    reject: false,
  });
}

async function sleeping(token: string): Promise<boolean> {
  return (await execa('pgrep', ['-x', '-f', `sleep ${token}`], { reject: false })).exitCode === 0;
}

async function until(check: () => Promise<boolean>, what: string, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Trial {
  stage: Stage;
  restartMs: number;
  toEndMs: number;
  committedOnce: boolean;
}

async function trial(stage: Stage): Promise<Trial> {
  const prefix = `rec${randomBytes(3).toString('hex')}-`;
  // A unique sleep the host can find: the sandbox has its own PID namespace, not its own process list for root.
  const digits = `${randomBytes(3).readUIntBE(0, 3) % 100000}1`;
  // Benchmark runs are many and short: base and candidate sleep the same 0.3 s, so they measure alike.
  const token = stage === 'benchmark' ? `0.3${digits}` : `2.${digits}`;
  const commitFilter = stage === 'commit';
  const repo = await createExampleRepo(commitFilter ? { files: { '.gitattributes': 'src/*.ts filter=slow\n' } } : {});
  if (commitFilter) {
    // Only the commit's private index (ouro-index-*) sleeps; every other git call passes straight through.
    await execa('git', ['config', 'filter.slow.clean', `case "$GIT_INDEX_FILE" in *ouro-index-*) sleep ${token};; esac; cat`], { cwd: repo });
  }
  const key = `r1c1`;
  fake.script(key, stage === 'draft' ? [{ content: GOOD_REPLY, delayMs: 4000 }, { content: GOOD_REPLY }] : [{ content: GOOD_REPLY }]);
  const requestsBefore = fake.requests.filter((r) => r.key === key).length;
  const test = stage === 'test' ? `case "$PWD" in */r1c1) sleep ${token};; esac; ./node_modules/.bin/vitest run` : './node_modules/.bin/vitest run';
  const bench = `sleep ${stage === 'benchmark' ? token : '0.2'}`;
  const input = buildRunInput(
    { repo, drafts: 'gpu:1', baseUrl: fake.url, model: 'fake-model', rounds: 1, heartbeat, benchRuns: 10, queuePrefix: prefix, bench },
    { test, files: ['src/**/*.ts'], goal: 'Fix the bug in sumTo (src/sum.ts) so that every test passes.', fix: true },
    {},
  );
  let worker = startWorker(prefix);
  const handle = await startRun(client, input, `recovery-${stage}-${prefix}`);
  try {
    const inStage = stage === 'draft' ? async () => fake.requests.filter((r) => r.key === key).length > requestsBefore : () => sleeping(token);
    await until(inStage, `the ${stage} stage`);
    worker.kill('SIGKILL');
    const killedAt = Date.now();
    await worker;
    worker = startWorker(prefix);
    const result = (await handle.result()) as RunResult;
    const endedAt = Date.now();
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = new Set(
      events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === ACTIVITY[stage]).map((e) => String(e.eventId)),
    );
    // History keeps the last attempt's start; the retried one is the attempt > 1.
    const retried = events.find((e) => {
      const a = e.activityTaskStartedEventAttributes;
      return a && scheduled.has(String(a.scheduledEventId)) && (a.attempt ?? 0) > 1;
    });
    const t = retried?.eventTime;
    const restartMs = t ? Number(String(t.seconds ?? 0)) * 1000 + (t.nanos ?? 0) / 1e6 - killedAt : NaN;
    const commits = (await execa('git', ['log', '--all', '--format=%H', `--grep=Ouro-Run: ${handle.workflowId}`], { cwd: repo })).stdout
      .split('\n')
      .filter(Boolean);
    return { stage, restartMs, toEndMs: endedAt - killedAt, committedOnce: result.outcome === 'committed' && commits.length === 1 };
  } finally {
    worker.kill('SIGTERM');
    await worker;
    await rm(repo, { recursive: true, force: true });
  }
}

const trials: Trial[] = [];
try {
  for (const stage of STAGES) {
    for (let i = 1; i <= kills; i++) {
      const t = await trial(stage);
      trials.push(t);
      process.stderr.write(
        `${stage} kill ${i}/${kills}: next attempt ${(t.restartMs / 1000).toFixed(1)} s after the kill, run ended ${(t.toEndMs / 1000).toFixed(1)} s after it, ${t.committedOnce ? 'one commit' : 'LOST'}\n`,
      );
    }
  }
} finally {
  await fake.close();
  await client.connection.close();
  await server.stop();
  await rm(scratch, { recursive: true, force: true });
}

const rows = STAGES.map((stage) => {
  const of = trials.filter((t) => t.stage === stage);
  return {
    stage,
    kills: of.length,
    medianRestartSeconds: Number((median(of.map((t) => t.restartMs)) / 1000).toFixed(1)),
    medianToEndSeconds: Number((median(of.map((t) => t.toEndMs)) / 1000).toFixed(1)),
  };
});
const lost = trials.filter((t) => !t.committedOnce).length;
console.log(JSON.stringify({ heartbeatSeconds: heartbeat, stages: rows, faultsInjected: trials.length, runsLost: lost }));
for (const r of rows)
  console.log(
    `${r.stage.padEnd(9)} ${r.kills} kills: next attempt after ${r.medianRestartSeconds} s (median), run over ${r.medianToEndSeconds} s after the kill`,
  );
console.log(`${trials.length} faults injected, ${lost} runs lost (heartbeat timeout ${heartbeat} s; draft ${Math.max(heartbeat, 30)} s, git 15 s)`);
if (lost) process.exitCode = 1;
