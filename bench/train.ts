// How long does a release train take, and how much of it is the train's own
// work? A train of N tasks (default 20) on the bundled example, scripted
// model, real dev server, in-process workers, real git and sandboxed tests.
// Prints the wall time and the share spent outside the child runs
// (planning, integration with a test per change, the release suite,
// tagging, orchestration). Run: npm run bench:train [-- --tasks 20 --parallel 2]
import { Client, Connection } from '@temporalio/client';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { updateBacklog } from '../adapters/stores/backlog-store.js';
import { addTask } from '../core/train/backlog.js';
import { buildTrainInput } from '../core/train/input.js';
import type { TrainResult } from '../core/train/types.js';
import { createExampleRepo } from '../dev/example-repo.js';
import { startDevServer } from '../dev/dev-server.js';
import { startFakeOpenAI } from '../dev/fake-openai.js';
import { FIXED_SUM } from '../dev/scripted-replies.js';
import { freePort } from '../dev/ports.js';
import { createWorkers } from '../worker/workers.js';
import { installRuntime } from '../worker/runtime.js';
import { queueNames } from '../core/run/queues.js';

const { values: o } = parseArgs({ options: { tasks: { type: 'string', default: '20' }, parallel: { type: 'string', default: '2' } } });
const N = Number(o.tasks);
const id = (i: number) => String(i + 1).padStart(2, '0');
const fileOf = (i: number) => `export function f${id(i)}(x: number): number {\n  return x + ${i + 1};\n}\n`;

/** Total length of the union of [start, end] intervals. */
function unionMs(intervals: Array<[number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let cur: [number, number] | undefined;
  for (const [s, e] of sorted) {
    if (!cur || s > cur[1]) {
      if (cur) total += cur[1] - cur[0];
      cur = [s, e];
    } else cur[1] = Math.max(cur[1], e);
  }
  return total + (cur ? cur[1] - cur[0] : 0);
}

installRuntime();
const scratch = await mkdtemp(join(tmpdir(), 'ouro-bench-train-'));
const server = await startDevServer({ port: await freePort(), headless: true, dbFile: join(scratch, 'db.sqlite') });
process.env.TEMPORAL_ADDRESS = server.address;
const fake = await startFakeOpenAI();
// Task i rewrites its own file src/fNN.ts with a doc comment: N changes that integrate cleanly.
fake.setDefault(({ body }) => {
  const m = /\[T(\d+)\]/.exec(JSON.stringify(body.messages));
  const i = Number(m?.[1] ?? 1) - 1;
  return { content: `src/f${id(i)}.ts\n\`\`\`ts\n/** Adds ${i + 1}. */\n${fileOf(i)}\`\`\`\n` };
});
const prefix = 'bench-train-';
const q = queueNames(prefix);
const workers = await createWorkers([q.workflow, q.git, q.sandbox, q.draft.gpu], q);
const running = workers.run();
const client = new Client({ connection: await Connection.connect({ address: server.address }) });

const files: Record<string, string> = {
  'src/sum.ts': FIXED_SUM,
  'ouro.config.json': JSON.stringify({ test: './node_modules/.bin/vitest run', files: ['src/**/*.ts'] }),
};
for (let i = 0; i < N; i++) files[`src/f${id(i)}.ts`] = fileOf(i);
const repo = await createExampleRepo({ parent: scratch, files });
await updateBacklog(repo, (b) => {
  let out = b;
  for (let i = 0; i < N; i++)
    out = addTask(
      out,
      { goal: `[T${i + 1}] Document f${id(i)}`, files: [`src/f${id(i)}.ts`], priority: 0 },
      { id: `doc-f${id(i)}`, now: new Date(Date.now() + i), source: 'cli' },
    );
  return { backlog: out, value: undefined };
});
const input = buildTrainInput({
  name: 'bench',
  repo,
  queuePrefix: prefix,
  parallel: o.parallel,
  maxTasks: N,
  run: { drafts: 'gpu:1', baseUrl: fake.url, model: 'fake-model', rounds: 1 },
});

const t0 = Date.now();
const handle = await client.workflow.start('ReleaseTrainWorkflow', { taskQueue: q.workflow, workflowId: `bench-train-${process.pid}`, args: [input] });
const result = (await handle.result()) as TrainResult;
const wall = Date.now() - t0;
const children: Array<[number, number]> = [];
for (const r of result.rides) {
  if (!r.childId) continue;
  const d = await client.workflow.getHandle(r.childId).describe();
  children.push([d.startTime.getTime(), (d.closeTime ?? d.startTime).getTime()]);
}
const inChildren = unionMs(children);
const released = result.rides.filter((r) => r.result === 'released').length;
console.log(
  JSON.stringify({
    tasks: N,
    parallel: Number(o.parallel),
    outcome: result.outcome,
    tag: result.tag,
    released,
    wallSeconds: +(wall / 1000).toFixed(1),
    childRunSeconds: +(inChildren / 1000).toFixed(1),
    outsideChildRunsShare: +((wall - inChildren) / wall).toFixed(3),
  }),
);
console.log(
  `${N}-task train: ${(wall / 1000).toFixed(1)} s wall, ${released} released in ${result.tag}; ${((100 * (wall - inChildren)) / wall).toFixed(1)}% of it outside the child runs (integration, verification, orchestration)`,
);
await workers.shutdown();
await running;
await fake.close();
await server.stop();
await rm(scratch, { recursive: true, force: true });
