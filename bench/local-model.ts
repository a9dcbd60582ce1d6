// Each embedded model on this machine, in a process of its own: load time, the
// worker's resident memory after a draft, prompt and generation tokens/s of
// the demo's draft; then the same draft through Temporal (the draft activity's
// scheduled→completed span in a real run's history) against the same function
// called directly in this process, interleaved, at temperature 0 so that both
// produce the same tokens.
// Run: npm run bench:local-model [-- --runs 5 --models qwen2.5-coder-1.5b,smollm2-135m]
import { MockActivityEnvironment } from '@temporalio/testing';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from '../dev/dev-server.js';
import { execa } from 'execa';
import { ensureEmbeddedModel } from '../adapters/model/model-file.js';
import { EMBEDDED_MODEL_IDS, EMBEDDED_MODELS, embeddedModelId } from '../core/models/catalog.js';
import { createExampleRepo } from '../dev/example-repo.js';
import { freePort } from '../dev/ports.js';
import { buildRunInput } from '../core/run/input.js';
import { median } from '../core/stats/bench-stats.js';
import { queueNames } from '../core/run/queues.js';
import type { RunInput } from '../core/run/types.js';
import type { DraftRequest, DraftResult } from '../core/contracts/draft.js';
import { draft } from '../activities/draft/draft.js';
import { loadLocalModel } from '../adapters/model/local-model.js';
import { createWorkers } from '../worker/workers.js';
import { installRuntime } from '../worker/runtime.js';
import { startRun } from '../cli/commands/run.js';

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const runs = Number(arg('--runs')) || 5;

function ms(t: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
}

/** One model, measured in this process (the parent runs one process per model so memory figures do not add up). */
async function measure(id: string): Promise<void> {
  const spec = EMBEDDED_MODELS[embeddedModelId.parse(id)];
  process.env.OURO_LOCAL_MODEL = spec.id;
  installRuntime();
  await ensureEmbeddedModel(spec);
  const t0 = performance.now();
  await loadLocalModel();
  const loadMs = performance.now() - t0;

  const scratch = await mkdtemp(join(tmpdir(), 'ouro-bench-llm-'));
  const server = await startDevServer({ port: await freePort(), headless: true, dbFile: join(scratch, 'db.sqlite') });
  process.env.TEMPORAL_ADDRESS = server.address;
  const prefix = 'benchllm-';
  const q = queueNames(prefix);
  const workers = await createWorkers([q.workflow, q.git, q.sandbox, q.draft.local], q);
  const running = workers.run();
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const input = async (): Promise<RunInput> =>
    buildRunInput(
      { repo: await createExampleRepo({ parent: scratch, example: 'largest' }), drafts: 'local:1', rounds: 1, temperature: 0, queuePrefix: prefix },
      {
        goal: 'Fix the bug in largest (src/largest.ts): it must return the largest number in xs.',
        files: ['src/largest.ts'],
        test: './node_modules/.bin/vitest run',
        fix: true,
      },
      {},
    );

  const viaTemporal: number[] = [];
  const direct: number[] = [];
  const samples: DraftResult[] = [];
  for (let i = -1; i < runs; i++) {
    const run = await input();
    const handle = await startRun(client, run, `bench-llm-${process.pid}-${i}`);
    await handle.result();
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'draft');
    const completed = events.find(
      (e) => e.activityTaskCompletedEventAttributes && Number(e.activityTaskCompletedEventAttributes.scheduledEventId) === Number(scheduled?.eventId),
    );
    const span = ms(completed?.eventTime) - ms(scheduled?.eventTime);

    // The very request the run's draft activity was given (its feedback holds the base's failure): like for like.
    const req = defaultPayloadConverter.fromPayload(scheduled!.activityTaskScheduledEventAttributes!.input!.payloads![0]!) as DraftRequest;
    const d0 = performance.now();
    const result = (await new MockActivityEnvironment({ heartbeatTimeoutMs: 30_000 }).run(draft, req)) as DraftResult;
    const d1 = performance.now();
    if (i >= 0) {
      viaTemporal.push(span);
      direct.push(d1 - d0);
      samples.push(result);
    }
    process.stderr.write(
      `run ${i + 1}/${runs}: through Temporal ${span.toFixed(0)} ms, direct ${(d1 - d0).toFixed(0)} ms (${result.completionTokens} tokens)\n`,
    );
  }
  const tokensPerSecond = samples.map((s) => s.completionTokens / ((s.latencyMs - (s.firstTokenMs ?? 0)) / 1000));
  // Time to the first token is the prompt's evaluation (plus a context's set-up).
  const promptPerSecond = samples.map((s) => s.promptTokens / ((s.firstTokenMs ?? s.latencyMs) / 1000));
  const mt = median(viaTemporal);
  const md = median(direct);
  const out = {
    model: spec.id,
    loadMs: Math.round(loadMs),
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    medianPromptTokensPerSecond: Number(median(promptPerSecond).toFixed(1)),
    medianFirstTokenMs: median(samples.map((s) => s.firstTokenMs ?? 0)),
    medianTokensPerSecond: Number(median(tokensPerSecond).toFixed(1)),
    completionTokens: samples[0]?.completionTokens,
    promptTokens: samples[0]?.promptTokens,
    draftThroughTemporalMs: Math.round(mt),
    draftDirectMs: Math.round(md),
    overhead: Number(((mt - md) / md).toFixed(3)),
  };
  console.log(JSON.stringify(out));
  console.log(
    `${spec.id}: load ${out.loadMs} ms, worker RSS ${out.rssMiB} MiB, first token ${out.medianFirstTokenMs} ms, prompt ${out.medianPromptTokensPerSecond} tokens/s, generation ${out.medianTokensPerSecond} tokens/s; a draft takes ${out.draftThroughTemporalMs} ms through Temporal vs ${out.draftDirectMs} ms direct (${(out.overhead * 100).toFixed(1)}% overhead)`,
  );
  await workers.shutdown();
  await running;
  await server.stop();
  await rm(scratch, { recursive: true, force: true });
}

const one = arg('--model');
if (one) {
  await measure(one);
} else {
  for (const id of (arg('--models') ?? EMBEDDED_MODEL_IDS.join(',')).split(',')) {
    const child = await execa('node', ['--import', 'tsx', process.argv[1]!, '--model', id, '--runs', String(runs)], { stderr: 'inherit', reject: false });
    process.stdout.write(`${child.stdout}\n`);
    if (child.exitCode !== 0) process.stderr.write(`${id}: the measurement failed (exit ${child.exitCode})\n`);
  }
}
