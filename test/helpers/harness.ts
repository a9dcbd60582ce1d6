import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { execa, type ResultPromise } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../dev/fake-openai.js';
import type { temporal } from '@temporalio/proto';
import { buildRunInput } from '../../core/run/input.js';
import type { RunInput, RunResult } from '../../core/run/types.js';
import { allQueues, queueNames, type QueueNames } from '../../core/run/queues.js';
import { createWorkers, type QueueLimits, type WorkerSet } from '../../worker/workers.js';
import { installRuntime } from '../../worker/runtime.js';
import { PROJECT_ROOT } from '../../adapters/project-root.js';
import { startRun } from '../../cli/commands/run.js';
import { ensureTemporalCli } from '../../scripts/temporal-cli.js';
import { createExampleRepo } from './example-repos.js';
import { FIXED_SUM } from '../../dev/scripted-replies.js';

export { PROJECT_ROOT };

/** Points this test file at the suite's dev server and isolates it with its own queue prefix. */
export function useSuiteServer(): { address: string } {
  const address = inject('temporalAddress');
  process.env.TEMPORAL_ADDRESS = address;
  process.env.TEMPORAL_NAMESPACE = 'default';
  installRuntime();
  return { address };
}

export function uniquePrefix(): string {
  return `t${randomBytes(3).toString('hex')}-`;
}

let clientPromise: Promise<Client> | undefined;
export function testClient(): Promise<Client> {
  clientPromise ??= Connection.connect({ address: inject('temporalAddress') }).then((connection) => new Client({ connection, namespace: 'default' }));
  return clientPromise;
}

export { FIXED_SUM };

/**
 * A fresh scripted provider for each test of the calling file (no reply or
 * request left over from another test), behind one stable object.
 */
export function useFakeProvider(): FakeOpenAI {
  let current: FakeOpenAI | undefined;
  beforeEach(async () => {
    current = await startFakeOpenAI();
  });
  afterEach(async () => {
    await current?.close();
  });
  const now = (): FakeOpenAI => {
    if (!current) throw new Error('the fake provider is only there inside a test');
    return current;
  };
  return {
    get url() {
      return now().url;
    },
    get requests() {
      return now().requests;
    },
    script: (key, replies) => now().script(key, replies),
    setDefault: (reply) => now().setDefault(reply),
    close: () => now().close(),
  };
}

/** The suite's dev server plus in-process workers for every queue of `prefix`, for the whole file. */
export function useSharedWorkers(prefix: string): void {
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    useSuiteServer();
    ({ stop } = await startWorkers(queueNames(prefix)));
  });
  afterAll(async () => {
    await stop?.();
  });
}

/** A fresh git repository holding the bundled example (optionally with the sum bug already fixed). */
export function exampleRepo(opts: { fixed?: boolean } = {}): Promise<string> {
  return createExampleRepo({ files: opts.fixed ? { 'src/sum.ts': FIXED_SUM } : {} });
}

/** Polls `probe` until it yields a value (a throw counts as not yet); fails naming `what` after `ms`. */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, ms = 90_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await Promise.resolve()
      .then(probe)
      .catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** For a yes/no probe: `waitFor(when(() => done))`. */
export const when = (check: () => boolean | Promise<boolean>) => async (): Promise<true | undefined> => ((await check()) ? true : undefined);

export async function gitLines(repo: string, ...args: string[]): Promise<string[]> {
  const r = await execa('git', args, { cwd: repo, reject: false });
  return String(r.stdout).split('\n').filter(Boolean);
}

/** In-process workers for every queue of `q` (or the named ones). */
export async function startWorkers(
  q: QueueNames,
  only?: string[],
  limits?: QueueLimits,
): Promise<{ set: WorkerSet; running: Promise<void>; stop: () => Promise<void> }> {
  const set = await createWorkers(only ?? allQueues(q), q, { shutdownGraceTime: '1 second', limits });
  const running = set.run();
  return {
    set,
    running,
    stop: async () => {
      await set.shutdown();
      await running.catch(() => {});
      await set.connection.close();
    },
  };
}

/** A worker in its own process: the one a test can SIGKILL. */
export function startWorkerProcess(prefix: string, queues: string[] = []): ResultPromise {
  return execa('node', ['--import', 'tsx', join(PROJECT_ROOT, 'worker', 'main.ts'), queues.join(',')], {
    cwd: PROJECT_ROOT,
    env: { OURO_QUEUE_PREFIX: prefix, TEMPORAL_ADDRESS: inject('temporalAddress'), OURO_LOG_LEVEL: 'ERROR' },
    reject: false,
    all: true,
  });
}

export function testInput(repo: string, prefix: string, fakeUrl: string, flags: Record<string, unknown> = {}): RunInput {
  return buildRunInput(
    { repo, drafts: 'gpu:2', baseUrl: fakeUrl, model: 'fake-model', rounds: 1, heartbeat: 5, benchRuns: 12, queuePrefix: prefix, ...flags },
    { test: './node_modules/.bin/vitest run', files: ['src/**/*.ts'], goal: 'Fix the bug in sumTo (src/sum.ts) so that every test passes.', fix: true },
    {},
  );
}

export async function startTestRun(input: RunInput, id = `test-${randomBytes(4).toString('hex')}`): Promise<WorkflowHandle> {
  return startRun(await testClient(), input, id);
}

export async function resultOf(handle: WorkflowHandle): Promise<RunResult> {
  return (await handle.result()) as RunResult;
}

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export async function historyOf(handle: WorkflowHandle): Promise<HistoryEvent[]> {
  const h = await handle.fetchHistory();
  return h.events ?? [];
}

/** An event's time in epoch milliseconds (protobuf Timestamp: `seconds` is a Long or a number). */
export function eventTimeMs(event: HistoryEvent): number {
  const t = event.eventTime;
  return Number(String(t?.seconds ?? 0)) * 1000 + (t?.nanos ?? 0) / 1e6;
}

/** The ActivityTaskStarted events of one activity type (identity, attempt, and the event that scheduled it). */
export function startedActivities(
  events: HistoryEvent[],
  type: string,
): Array<{ event: HistoryEvent; identity: string; attempt: number; scheduled: HistoryEvent }> {
  const scheduled = new Map(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === type).map((e) => [String(e.eventId), e]));
  return events.flatMap((event) => {
    const a = event.activityTaskStartedEventAttributes;
    const s = a && scheduled.get(String(a.scheduledEventId));
    return a && s ? [{ event, identity: a.identity ?? '', attempt: a.attempt ?? 0, scheduled: s }] : [];
  });
}

/** Activity summaries (the Web UI's timeline labels) with their task queues. */
export async function scheduledActivities(handle: WorkflowHandle): Promise<Array<{ type: string; queue: string; summary: string }>> {
  const { defaultPayloadConverter } = await import('@temporalio/common');
  return (await historyOf(handle))
    .filter((e) => e.activityTaskScheduledEventAttributes)
    .map((e) => {
      const a = e.activityTaskScheduledEventAttributes!;
      const payload = e.userMetadata?.summary;
      return {
        type: a.activityType?.name ?? '',
        queue: a.taskQueue?.name ?? '',
        summary: payload ? String(defaultPayloadConverter.fromPayload(payload)) : '',
      };
    });
}

/**
 * Saves a closed run's history so the replay test can check determinism
 * against it later. Exported with the Temporal CLI: the same JSON the Web UI
 * downloads, so a history from production can be dropped in as well.
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (!process.env.OURO_RECORD_HISTORIES) return;
  const dir = join(PROJECT_ROOT, 'test', 'histories');
  await mkdir(dir, { recursive: true });
  const bin = await ensureTemporalCli();
  const r = await execa(bin, ['workflow', 'show', '--workflow-id', handle.workflowId, '--address', inject('temporalAddress'), '--output', 'json']);
  // The workflow id is part of what replays: a train derives its task runs' ids from it.
  const history = JSON.parse(String(r.stdout)) as { events: unknown[] };
  await writeFile(join(dir, `${name}.json`), JSON.stringify({ workflowId: handle.workflowId, events: history.events }, null, 2));
}

export { queueNames };

/** The host pid of a process whose command line is exactly `cmd`, or 0 (the sandbox's PID namespace hides nothing from the host). */
export async function pidOf(cmd: string): Promise<number> {
  const r = await execa('pgrep', ['-x', '-f', cmd], { reject: false });
  return Number(String(r.stdout).split('\n')[0] || 0);
}
