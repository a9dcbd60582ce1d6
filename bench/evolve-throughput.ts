// Throughput of `ouro evolve`: evaluations per minute with --parallel 1 and 2
// on the bundled example (green base, its benchmark), the scripted model
// answering every draft with the same faster countPrimesBelow, and the share
// of the search's wall time in which no evaluation activity was running (the
// orchestration: sampling, scheduling, workflow tasks). Both in one run.
// Run: npm run bench:evolve-throughput [-- --drafts 6]
import { Client, Connection } from '@temporalio/client';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvolveInput } from '../core/evolve/input.js';
import type { EvolveResult } from '../core/evolve/types.js';
import { queueNames } from '../core/run/queues.js';
import { startDevServer } from '../dev/dev-server.js';
import { createExampleRepo } from '../dev/example-repo.js';
import { startFakeOpenAI } from '../dev/fake-openai.js';
import { freePort } from '../dev/ports.js';
import { FIXED_SUM, SQRT_PRIMES } from '../dev/scripted-replies.js';
import { installRuntime } from '../worker/runtime.js';
import { createWorkers } from '../worker/workers.js';

const drafts = Number(process.argv[process.argv.indexOf('--drafts') + 1]) || 6;

installRuntime();
const scratch = await mkdtemp(join(tmpdir(), 'ouro-evolve-tput-'));
const server = await startDevServer({ port: await freePort(), headless: true, dbFile: join(scratch, 'db.sqlite') });
process.env.TEMPORAL_ADDRESS = server.address;
const fake = await startFakeOpenAI();
fake.setDefault({ content: `src/primes.ts\n\`\`\`ts\n${SQRT_PRIMES}\`\`\`\n` });
const prefix = 'evtput-';
const q = queueNames(prefix);
const workers = await createWorkers([q.workflow, q.git, q.sandbox, q.draft.gpu], q);
const running = workers.run();
const client = new Client({ connection: await Connection.connect({ address: server.address }) });

interface Span {
  start: number;
  end: number;
}

/** The union of the activities' [scheduled, closed] spans after the base's, against the search's wall time. */
function outsideShare(events: Array<Record<string, any>>): { wallMs: number; outside: number } {
  const at = (e: Record<string, any>) => new Date(e.eventTime).getTime();
  const scheduled = new Map<string, { t: number; name: string }>();
  const spans: Span[] = [];
  for (const e of events) {
    if (e.activityTaskScheduledEventAttributes) scheduled.set(String(e.eventId), { t: at(e), name: e.activityTaskScheduledEventAttributes.activityType.name });
    const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes;
    if (closed) {
      const s = scheduled.get(String(closed.scheduledEventId));
      if (s) spans.push({ start: s.t, end: at(e) });
    }
  }
  // The search starts when the first draft's program is read (after the base's test and benchmark).
  const firstRead = [...scheduled.values()].find((s) => s.name === 'readProgram')?.t ?? at(events[0]!);
  const end = at(events.at(-1)!);
  const inside = spans
    .filter((s) => s.end > firstRead)
    .map((s) => ({ start: Math.max(s.start, firstRead), end: s.end }))
    .sort((a, b) => a.start - b.start);
  let covered = 0;
  let cursor = firstRead;
  for (const s of inside) {
    if (s.end <= cursor) continue;
    covered += s.end - Math.max(s.start, cursor);
    cursor = s.end;
  }
  return { wallMs: end - firstRead, outside: 1 - covered / Math.max(1, end - firstRead) };
}

const figures: Record<string, unknown> = { drafts };
for (const parallel of [1, 2]) {
  const repo = await createExampleRepo({ parent: scratch, files: { 'src/sum.ts': FIXED_SUM } });
  const input = buildEvolveInput(
    {
      repo,
      goal: 'Make countPrimesBelow faster.',
      files: 'src/primes.ts',
      test: './node_modules/.bin/vitest run',
      bench: './node_modules/.bin/tsx bench/bench.ts',
      benchMode: 'metrics',
      benchRuns: 10,
      drafts: 'gpu:1',
      baseUrl: fake.url,
      model: 'fake-model',
      queuePrefix: prefix,
    },
    { parallel, maxDrafts: drafts, islands: 1 },
    {},
    {},
  );
  const id = `evtput-${process.pid}-${parallel}`;
  const handle = await client.workflow.start('EvolveWorkflow', { taskQueue: q.workflow, workflowId: id, args: [input] });
  const result = (await handle.result()) as EvolveResult;
  const history = (await handle.fetchHistory()).events as unknown as Array<Record<string, any>>;
  // Event times come as protobuf timestamps: normalise them to ISO strings.
  const events = history.map((e) => ({
    ...e,
    eventTime: new Date(Number(e.eventTime.seconds) * 1000 + Math.floor((e.eventTime.nanos ?? 0) / 1e6)).toISOString(),
  }));
  const { wallMs, outside } = outsideShare(events);
  figures[`parallel${parallel}`] = {
    evaluations: result.evaluations,
    minutes: Number((wallMs / 60_000).toFixed(2)),
    evaluationsPerMinute: Number((result.evaluations / (wallMs / 60_000)).toFixed(2)),
    outsideEvaluationsShare: Number(outside.toFixed(3)),
  };
  process.stderr.write(`--parallel ${parallel}: ${JSON.stringify(figures[`parallel${parallel}`])}\n`);
}
console.log(JSON.stringify(figures));
await workers.shutdown();
await running;
await fake.close();
await client.connection.close();
await server.stop();
await rm(scratch, { recursive: true, force: true });
