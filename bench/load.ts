// Load: N runs started at once against the dev server and against the
// PostgreSQL-backed cluster, workers in two processes (workflows + git; the
// sandbox + drafts), the second SIGKILLed and restarted when half the runs
// have ended. The model is the scripted provider; each repository is tiny (a
// flag file the run must flip, a shell test), so what is measured is Ouro and
// Temporal, not a test runner. Prints per target: runs ended, lost, duplicate
// commits (Ouro-Run trailers over every repository), runs per minute, p50/p95
// from start to result, and the CPU seconds each part used (what saturates).
// Run: npm run bench:load [-- --runs 200 --repos 10 --target both|dev|cluster]
import { Client, Connection } from '@temporalio/client';
import { execa, type ResultPromise } from 'execa';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../adapters/project-root.js';
import { startRun } from '../cli/commands/run.js';
import { buildRunInput } from '../core/run/input.js';
import { queueNames } from '../core/run/queues.js';
import type { RunResult } from '../core/run/types.js';
import { freeClusterBase, startCluster, stopCluster } from '../dev/cluster.js';
import { startDevServer } from '../dev/dev-server.js';
import { startFakeOpenAI } from '../dev/fake-openai.js';
import { freePort } from '../dev/ports.js';

const argv = process.argv;
const arg = (name: string, dflt: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : dflt);
const runs = Number(arg('runs', '200'));
const repoCount = Number(arg('repos', '10'));
const targets = arg('target', 'both') === 'both' ? ['dev', 'cluster'] : [arg('target', 'both')];

// TAP-style totals, which Ouro's test parser reads (a bare exit code is not a test suite).
const CHECK = 'if grep -qx fixed flag.txt; then printf "# pass 1\\n# fail 0\\n"; else printf "flag.txt is not fixed\\n# pass 0\\n# fail 1\\n"; exit 1; fi\n';

async function tinyRepo(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'flag.txt'), 'broken\n');
  await writeFile(join(dir, 'check.sh'), CHECK);
  const git = (...a: string[]) => execa('git', a, { cwd: dir });
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-qm', 'broken flag');
  return dir;
}

/** utime+stime (and, with children, the waited-for children's) of a process, in seconds. */
async function cpuSeconds(pid: number | undefined, children = false): Promise<number> {
  if (!pid) return 0;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
  return Number.isFinite(ticks) ? ticks / 100 : 0;
}

/** PostgreSQL's CPU: the postmaster and every backend it forked (pids under the data folder's postmaster). */
async function postgresSeconds(pgData: string): Promise<number> {
  const pid = Number((await readFile(join(pgData, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
  if (!pid) return 0;
  const kids = (await execa('pgrep', ['-P', String(pid)], { reject: false })).stdout.split('\n').filter(Boolean).map(Number);
  const all = await Promise.all([cpuSeconds(pid, true), ...kids.map((k) => cpuSeconds(k))]);
  return all.reduce((a, b) => a + b, 0);
}

async function serverPidOf(target: string, scratch: string, devPid?: number): Promise<number | undefined> {
  if (target === 'dev') return devPid;
  return Number(await readFile(join(scratch, 'cluster', 'temporal.pid'), 'utf8'));
}

async function loadOn(target: string): Promise<Record<string, unknown>> {
  const scratch = await mkdtemp(join(tmpdir(), `ouro-load-${target}-`));
  await chmod(scratch, 0o755);
  let address: string;
  let stopServer: () => Promise<void>;
  let devPid: number | undefined;
  if (target === 'dev') {
    const dev = await startDevServer({ port: await freePort(), headless: true, dbFile: join(scratch, 'temporal.sqlite') });
    address = dev.address;
    devPid = dev.process.pid;
    stopServer = () => dev.stop();
  } else {
    const cluster = await startCluster({ root: join(scratch, 'cluster'), basePort: await freeClusterBase() });
    address = cluster.address;
    stopServer = () => stopCluster({ root: join(scratch, 'cluster') });
  }
  const fake = await startFakeOpenAI();
  fake.setDefault(() => ({ content: 'flag.txt\n```\nfixed\n```\n' }));
  const prefix = `load${process.pid}-`;
  const q = queueNames(prefix);
  const env = { OURO_QUEUE_PREFIX: prefix, TEMPORAL_ADDRESS: address, OURO_LOG_LEVEL: 'ERROR' };
  const worker = (queues: string[]): ResultPromise =>
    execa('node', ['--import', 'tsx', join(PROJECT_ROOT, 'worker', 'main.ts'), queues.join(',')], { cwd: PROJECT_ROOT, env, reject: false });
  const first = worker([q.workflow, q.git]);
  let second = worker([q.sandbox, q.draft.gpu]);
  const repos = await Promise.all(Array.from({ length: repoCount }, (_, i) => tinyRepo(join(scratch, 'repos', String(i)))));
  const client = new Client({ connection: await Connection.connect({ address }) });

  const serverPid = await serverPidOf(target, scratch, devPid);
  const before = {
    server: await cpuSeconds(serverPid),
    postgres: target === 'cluster' ? await postgresSeconds(join(scratch, 'cluster', 'pg')) : 0,
  };
  let killedSecondCpu = 0;
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(loadavg()[0]!), 2000);
  const started = Date.now();
  const durations: number[] = [];
  const failures: string[] = [];
  let ended = 0;
  let killed = false;
  const ids = Array.from({ length: runs }, (_, i) => `load-${target}-${process.pid}-${i}`);
  await Promise.all(
    ids.map(async (id, i) => {
      const input = buildRunInput(
        {
          repo: repos[i % repos.length],
          drafts: 'gpu:1',
          baseUrl: fake.url,
          model: 'fake-model',
          rounds: 1,
          heartbeat: 10,
          queuePrefix: prefix,
          editFormat: 'whole-file',
        },
        { goal: 'Fix flag.txt: it must read "fixed".', files: ['flag.txt'], test: 'sh check.sh', fix: true },
        {},
      );
      const t0 = Date.now();
      const handle = await startRun(client, input, id);
      const result = (await handle.result()) as RunResult;
      durations.push((Date.now() - t0) / 1000);
      if (result.outcome !== 'committed') failures.push(`${id}: ${result.outcome} ${(result.baselineReason ?? result.unservedReason ?? '').slice(0, 300)}`);
      ended++;
      if (!killed && ended >= runs / 2) {
        killed = true;
        killedSecondCpu = await cpuSeconds(second.pid, true);
        second.kill('SIGKILL');
        process.stderr.write(`  [${target}] ${ended}/${runs} ended: SIGKILLed the sandbox/draft worker, starting another\n`);
        second = worker([q.sandbox, q.draft.gpu]);
      }
      if (ended % 25 === 0) process.stderr.write(`  [${target}] ${ended}/${runs} ended\n`);
    }),
  );
  const minutes = (Date.now() - started) / 60_000;
  clearInterval(sampler);
  const cpu = {
    server: (await cpuSeconds(serverPid)) - before.server,
    postgres: target === 'cluster' ? (await postgresSeconds(join(scratch, 'cluster', 'pg'))) - before.postgres : 0,
    workflowAndGitWorker: await cpuSeconds(first.pid, true),
    sandboxAndDraftWorkers: killedSecondCpu + (await cpuSeconds(second.pid, true)),
  };

  let commits = 0;
  const perRun = new Map<string, number>();
  for (const repo of repos) {
    const log = await execa('git', ['log', '--all', '--format=%(trailers:key=Ouro-Run,valueonly)'], { cwd: repo });
    for (const id of log.stdout.split('\n').filter(Boolean)) {
      commits++;
      perRun.set(id, (perRun.get(id) ?? 0) + 1);
    }
  }
  durations.sort((a, b) => a - b);
  const at = (f: number) => durations[Math.min(durations.length - 1, Math.floor(f * durations.length))] ?? 0;
  const wallCpu = minutes * 60 * 2;
  const figures = {
    target,
    runs,
    ended,
    lost: runs - ended,
    committed: runs - failures.length,
    failures: failures.slice(0, 5),
    commits,
    duplicateCommits: [...perRun.values()].filter((n) => n > 1).length,
    runsWithoutCommit: ids.filter((id) => !perRun.has(id)).length,
    workerKilled: killed,
    minutes: Number(minutes.toFixed(2)),
    runsPerMinute: Number((ended / minutes).toFixed(1)),
    p50Seconds: Number(at(0.5).toFixed(1)),
    p95Seconds: Number(at(0.95).toFixed(1)),
    meanLoad1: Number((loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length)).toFixed(2)),
    // Shares of the machine's two cores over the wall time; the largest is what saturates first.
    cpuShare: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Number((v / wallCpu).toFixed(2))])),
  };
  second.kill('SIGTERM');
  first.kill('SIGTERM');
  await Promise.all([first, second]);
  await fake.close();
  await client.connection.close();
  await stopServer();
  await rm(scratch, { recursive: true, force: true });
  return figures;
}

for (const target of targets) console.log(JSON.stringify(await loadOn(target)));
