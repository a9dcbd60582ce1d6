// Throughput of `ouro eval` at scale: HumanEval's 164 tasks × 2 samples in
// flight through one dev server, workers in two processes, the scripted
// provider answering each task with its reference solution, and one worker
// SIGKILLed (and restarted) a third of the way through. Prints tasks per
// minute, p50/p95 per task run, lost rows and duplicate commits (counted from
// the Ouro-Run trailers in the generated repositories), and the host's load.
// Run: npm run bench:eval-throughput [-- --limit 164 --samples 2 --parallel 8]
import { Client, Connection } from '@temporalio/client';
import { execa, type ResultPromise } from 'execa';
import { readdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHumanEval } from '../adapters/eval/humaneval-data.js';
import { PROJECT_ROOT } from '../adapters/project-root.js';
import { canonicalSolution } from '../core/eval/humaneval.js';
import type { EvalInput, EvalResult, EvalStatus } from '../core/eval/types.js';
import { buildRunInput } from '../core/run/input.js';
import { queueNames } from '../core/run/queues.js';
import { startDevServer } from '../dev/dev-server.js';
import { startFakeOpenAI } from '../dev/fake-openai.js';
import { freePort } from '../dev/ports.js';
import { evalStatusQuery } from '../workflows/definitions.js';

const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || dflt;
const limit = arg('limit', 164);
const samples = arg('samples', 2);
const parallel = arg('parallel', 8);

const scratch = await mkdtemp(join(tmpdir(), 'ouro-eval-tput-'));
const server = await startDevServer({ port: await freePort(), headless: true, dbFile: join(scratch, 'temporal.sqlite') });
const client = new Client({ connection: await Connection.connect({ address: server.address }) });
const fake = await startFakeOpenAI();
const problems = (await loadHumanEval()).slice(0, limit);
fake.setDefault(({ body }) => {
  // By the docstring: several problems share a function name (add, sort_array, triangle_area…).
  const contents = (body.messages as Array<{ content: string }>).map((m) => m.content).join('\n');
  const p = problems.find((x) => contents.includes(x.prompt.trim().slice(-160)));
  return p ? { content: `solution.py\n\`\`\`python\n${canonicalSolution(p)}\`\`\`\n` } : { status: 500 };
});
const prefix = `tput${process.pid}-`;
const env = { OURO_QUEUE_PREFIX: prefix, TEMPORAL_ADDRESS: server.address, OURO_LOG_LEVEL: 'ERROR', OURO_EVAL_ROOT: join(scratch, 'eval') };
const worker = (queues: string[]): ResultPromise =>
  execa('node', ['--import', 'tsx', join(PROJECT_ROOT, 'worker', 'main.ts'), queues.join(',')], { cwd: PROJECT_ROOT, env, reject: false });
const q = queueNames(prefix);
// Two processes: one for the workflows and git, one for the sandbox and drafts (the one killed).
const first = worker([q.workflow, q.git]);
let second = worker([q.sandbox, q.draft.gpu]);

const template = buildRunInput(
  { repo: '/', drafts: 'gpu:1', baseUrl: fake.url, model: 'fake-model', rounds: 1, heartbeat: 10, queuePrefix: prefix, editFormat: 'whole-file' },
  { goal: 'eval', files: ['solution.py'], test: 'true', fix: true },
  {},
);
const { repo: _r, baseRef: _b, goal: _g, files: _f, testCommand: _t, baselineMayFail: _m, ...run } = template;
const input: EvalInput = { suite: 'humaneval', tasks: problems.map((p) => p.task_id), samples, parallel, oracle: false, run };
const started = Date.now();
const handle = await client.workflow.start('EvalWorkflow', { taskQueue: q.workflow, workflowId: `tput-${process.pid}`, args: [input] });
let killed = false;
const loads: number[] = [];
const sampler = setInterval(() => loads.push(loadavg()[0]!), 5000);
const watch = setInterval(() => {
  void handle.query(evalStatusQuery).then(
    (s: EvalStatus) => {
      process.stderr.write(`  ${s.done}/${s.total} done, ${s.running} running\n`);
      if (!killed && s.done >= s.total / 3) {
        killed = true;
        second.kill('SIGKILL');
        process.stderr.write('  SIGKILLed the sandbox/draft worker; starting a new one\n');
        second = worker([q.sandbox, q.draft.gpu]);
      }
    },
    () => {},
  );
}, 5000);
const result = (await handle.result()) as EvalResult;
const minutes = (Date.now() - started) / 60_000;
clearInterval(watch);
clearInterval(sampler);

// Duplicate commits: every generated repository, every Ouro-Run trailer.
const tasksDir = join(scratch, 'eval', handle.workflowId, 'tasks');
let commits = 0;
const runs = new Map<string, number>();
for (const name of await readdir(tasksDir)) {
  const log = await execa('git', ['log', '--all', '--format=%(trailers:key=Ouro-Run,valueonly)'], { cwd: join(tasksDir, name) });
  for (const id of log.stdout.split('\n').filter(Boolean)) {
    commits++;
    runs.set(id, (runs.get(id) ?? 0) + 1);
  }
}
const duplicates = [...runs.values()].filter((n) => n > 1).length;
const seconds = result.rows.map((r) => r.wallMs / 1000).sort((a, b) => a - b);
const at = (f: number) => seconds[Math.min(seconds.length - 1, Math.floor(f * seconds.length))] ?? 0;
const expected = limit * samples;
console.log(
  JSON.stringify({
    taskRuns: expected,
    rows: result.rows.length,
    lost: expected - result.rows.length,
    passed: result.status.passed,
    failedTasks: result.rows.filter((r) => r.verdict === 'failed').map((r) => `${r.task}#${r.sample}: ${(r.reason ?? '').slice(0, 100)}`),
    commits,
    duplicateCommits: duplicates,
    workerKilled: killed,
    minutes: Number(minutes.toFixed(1)),
    taskRunsPerMinute: Number((result.rows.length / minutes).toFixed(1)),
    p50Seconds: Number(at(0.5).toFixed(1)),
    p95Seconds: Number(at(0.95).toFixed(1)),
    meanLoad1: Number((loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length)).toFixed(2)),
    parallel,
  }),
);
second.kill('SIGTERM');
first.kill('SIGTERM');
await Promise.all([first, second]);
await fake.close();
await client.connection.close();
await server.stop();
await rm(scratch, { recursive: true, force: true });
