// Real repositories, as a user meets them: each one's own test command timed
// in its checkout, against a one-candidate `ouro run --wait` (the CLI as a
// child process, a dev server of the bench's own, the real workers in this
// process, the scripted provider answering with a trivial correct edit: a
// comment above one line of one source file), interleaved, several times
// each. Prints the table (docs/figures.md, README) and, per repository, what
// went wrong. The goal: a one-candidate run ≤ 2× the repository's own tests + 10 s.
// Run: npm run bench:real-repos [-- --runs 3 --config bench/real-repos.json --root /tmp/six
//      --only dtolnay/itoa,defu --dir unjs/defu=/elsewhere/defu --warmup 0]
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from '../dev/dev-server.js';
import { startFakeOpenAI } from '../dev/fake-openai.js';
import { freePort } from '../dev/ports.js';
import { queueNames } from '../core/run/queues.js';
import { createWorkers } from '../worker/workers.js';
import { installRuntime } from '../worker/runtime.js';
import { PROJECT_ROOT } from '../adapters/project-root.js';
import { commentReply, loadRealRepos, type RealRepo } from './real-repos/config.js';
import { renderStages, renderTable, type RepoTimes } from './real-repos/table.js';
import { activityDurations } from './overhead/history-requests.js';
import { scriptedRunArgs } from '../dev/scripted-run.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const runs = Number(arg('--runs')) || 3;
/** Unmeasured runs of each first (a first import, a build cache filled); 0 where every run is cold anyway. */
const warmUps = arg('--warmup') === undefined ? 1 : Number(arg('--warmup'));
const configFile = arg('--config') ?? join(PROJECT_ROOT, 'bench', 'real-repos.json');
const dirs = new Map(
  process.argv.flatMap((a, i) =>
    process.argv[i - 1] === '--dir' && a.includes('=') ? [[a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] as [string, string]] : [],
  ),
);
const only = arg('--only')?.split(',').filter(Boolean);

const TEST_LIMIT_MS = 15 * 60_000;
const tail = (text: string, lines = 6) => text.trimEnd().split('\n').slice(-lines).join('\n');

async function time(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** A run's time by stage: the base's tests (traced), the candidate's, git's steps, the draft, and the rest (the CLI, Temporal). */
function stagesOf(activities: Array<{ type: string; summary: string; ms: number }>, wholeMs: number): Record<string, number> {
  const sum = (pick: (a: { type: string; summary: string }) => boolean) => activities.filter(pick).reduce((t, a) => t + a.ms, 0);
  const base = sum((a) => a.type === 'runTests' && a.summary.includes('baseline'));
  const candidate = sum((a) => a.type === 'runTests' && !a.summary.includes('baseline'));
  const draft = sum((a) => a.type === 'draft');
  const git = sum((a) => a.type !== 'runTests' && a.type !== 'draft');
  return { base, candidate, git, draft, rest: wholeMs - base - candidate - git - draft };
}

async function main(): Promise<void> {
  installRuntime();
  const repos = await loadRealRepos(configFile, { root: arg('--root'), dirs, only });
  const scratch = await mkdtemp(join(tmpdir(), 'ouro-bench-real-'));
  const server = await startDevServer({ port: await freePort(), headless: true, dbFile: join(scratch, 'db.sqlite') });
  const fake = await startFakeOpenAI();
  let reply = '';
  fake.setDefault(() => ({ content: reply }));
  const prefix = `real-${process.pid}-`;
  const q = queueNames(prefix);
  const workers = await createWorkers([q.workflow, q.git, q.sandbox, q.draft.gpu], q, {
    connection: await NativeConnection.connect({ address: server.address }),
  });
  const running = workers.run();
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });

  const ownTests = async (repo: RealRepo): Promise<string | undefined> => {
    const r = await execa(repo.test, { shell: true, cwd: repo.dir, reject: false, all: true, timeout: TEST_LIMIT_MS });
    return r.exitCode === 0 ? undefined : `its own tests fail in the checkout (exit ${r.exitCode}):\n${tail(r.all ?? '')}`;
  };
  const ouroRun = async (repo: RealRepo, id: string): Promise<string | undefined> => {
    reply = commentReply(repo);
    const cli = await execa(
      'node',
      [
        join(PROJECT_ROOT, 'bin', 'ouro.js'),
        'run',
        repo.dir,
        '--goal',
        `Add a comment above "${repo.anchor}" in ${repo.edit}`,
        '--files',
        repo.edit,
        '--test',
        repo.test,
        ...scriptedRunArgs(fake.url, ['--id', id, '--wait']),
      ],
      { reject: false, all: true, env: { TEMPORAL_ADDRESS: server.address, OURO_QUEUE_PREFIX: prefix, OPENAI_API_KEY: '', CEREBRAS_API_KEY: '' } },
    );
    // The run's branch goes again, so the checkout is as it was for the next run.
    await execa('git', ['-C', repo.dir, 'branch', '-D', `ouro/${id}`], { reject: false });
    return cli.exitCode === 0 ? undefined : `ouro run exited ${cli.exitCode}:\n${tail(cli.all ?? '', 12)}`;
  };

  const rows: RepoTimes[] = [];
  for (const repo of repos) {
    const row: RepoTimes = { name: repo.name, language: repo.language, ownMs: [], ouroMs: [], stages: [], problems: [] };
    rows.push(row);
    // Unmeasured runs of each first, then interleaved.
    for (let i = -warmUps; i < runs && row.problems.length === 0; i++) {
      let problem: string | undefined;
      const own = await time(async () => void (problem = await ownTests(repo)));
      if (problem) {
        row.problems.push(problem);
        break;
      }
      const id = `real-${repo.dir.split('/').pop()}-${process.pid}-${i + 1}`;
      const ouro = await time(async () => void (problem = await ouroRun(repo, id)));
      if (problem) row.problems.push(problem);
      else if (i >= 0) {
        row.ownMs.push(own);
        row.ouroMs.push(ouro);
        row.stages.push(stagesOf(activityDurations(await client.workflow.getHandle(id).fetchHistory()), ouro));
      }
      process.stderr.write(
        `${repo.name} ${i < 0 ? 'warm-up' : `run ${i + 1}/${runs}`}: own tests ${(own / 1000).toFixed(1)} s, ouro run ${(ouro / 1000).toFixed(1)} s, load ${loadavg()[0]!.toFixed(1)}${problem ? ` (${problem.split('\n')[0]})` : ''}\n`,
      );
    }
  }
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')} on ${cpus().length} cores`,
  );
  console.log(renderTable(rows));
  console.log(`\nWhere a run's time goes (medians):\n${renderStages(rows)}`);
  for (const r of rows) if (r.problems.length) console.log(`\n${r.name}: ${r.problems.join('\n')}`);
  console.log(JSON.stringify(rows));

  await workers.shutdown();
  await running;
  await client.connection.close();
  await fake.close();
  await server.stop();
  await rm(scratch, { recursive: true, force: true });
}

await main();
