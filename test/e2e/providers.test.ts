import { describe, expect, it } from 'vitest';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  eventTimeMs,
  exampleRepo,
  historyOf,
  queueNames,
  resultOf,
  scheduledActivities,
  startedActivities,
  startTestRun,
  startWorkerProcess,
  startWorkers,
  testInput,
  uniquePrefix,
  useFakeProvider,
  useSharedWorkers,
} from '../helpers/harness.js';
import { GOOD_REPLY } from '../../dev/scripted-replies.js';
import type { DraftResult } from '../../core/contracts/draft.js';

// Where drafts come from: the embedded model on its own queue, each provider
// routed to its own queue, a server-side rate limit shared by a queue, and
// roles split across worker processes.

/** Not an edit at all: the candidate ends as 'malformed' and never reaches a sandbox. */
const MALFORMED = 'I would rather not change anything.';

const prefix = uniquePrefix();
useSharedWorkers(prefix);
const fake = useFakeProvider();

/** Runs `fn` with an environment variable of this process (where the in-process workers read it) set, then restores it. */
async function withEnv<T>(name: string, value: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

/** The failure a run ended with (the test fails if it did not fail). */
async function failureOf(handle: WorkflowHandle): Promise<string> {
  const err = await handle.result().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  return (err as WorkflowFailedError).cause?.message ?? '';
}

describe('draft providers and their queues', () => {
  it('drafts with the embedded model through the real activity on the local queue', async () => {
    const repo = await exampleRepo();
    const handle = await startTestRun(testInput(repo, prefix, fake.url, { drafts: 'local:1' }));
    // Any outcome: whatever the tiny model writes is fine, but the run must not fail.
    const result = await resultOf(handle);
    expect(['committed', 'no-candidate-passed']).toContain(result.outcome);
    const [row] = result.candidates;
    expect(row?.status).not.toBe('draft-failed');
    expect(row?.model).toMatch(/^embedded/);
    expect(row?.tokens?.completion).toBeGreaterThan(0);
    expect(result.tokens.completion).toBe(row?.tokens?.completion);
    // The activity's own result names the model and the runtime it generated on, e.g. "embedded smollm2-135m (cpu)".
    const events = await historyOf(handle);
    const scheduledId = String(startedActivities(events, 'draft')[0]?.scheduled.eventId);
    const completed = events.find((e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId) === scheduledId);
    const draft = defaultPayloadConverter.fromPayload(completed!.activityTaskCompletedEventAttributes!.result!.payloads![0]!) as DraftResult;
    expect(draft.model).toMatch(/^embedded smollm2-135m \(\w+\)$/);
    expect(draft.completionTokens).toBe(row?.tokens?.completion);
    const drafts = (await scheduledActivities(handle)).filter((a) => a.type === 'draft');
    expect(drafts).toEqual([{ type: 'draft', queue: `${prefix}ouro-draft-local`, summary: 'draft 1 · local · embedded' }]);
    // No provider was asked over HTTP.
    expect(fake.requests).toHaveLength(0);
  });

  it('routes each provider to its own draft queue, with the key from the draft worker environment', async () => {
    const repo = await exampleRepo();
    fake.setDefault({ content: MALFORMED });
    // The openai preset requires a key; only its variable's name travels through Temporal.
    const handle = await withEnv('OPENAI_API_KEY', 'test-key', async () => {
      const h = await startTestRun(testInput(repo, prefix, fake.url, { drafts: 'gpu:2,openai:1' }));
      await h.result();
      return h;
    });
    const result = await resultOf(handle);
    expect(result.outcome).toBe('no-candidate-passed');
    expect(result.candidates.map((c) => [c.id, c.provider, c.status])).toEqual([
      ['r1c1', 'gpu', 'malformed'],
      ['r1c2', 'gpu', 'malformed'],
      ['r1c3', 'openai', 'malformed'],
    ]);
    const drafts = (await scheduledActivities(handle)).filter((a) => a.type === 'draft');
    expect(drafts.map((a) => [a.summary, a.queue]).sort()).toEqual([
      ['draft 1 · gpu · fake-model', `${prefix}ouro-draft-gpu`],
      ['draft 2 · gpu · fake-model', `${prefix}ouro-draft-gpu`],
      ['draft 3 · openai · fake-model', `${prefix}ouro-draft-openai`],
    ]);
    const auth = (key: string) => fake.requests.filter((r) => r.key === key).map((r) => r.headers.authorization);
    expect(auth('r1c3')).toEqual(['Bearer test-key']);
    // The gpu preset's key variable (OURO_GPU_API_KEY) is unset: its requests never carry the openai key.
    expect([...auth('r1c1'), ...auth('r1c2')]).toEqual(['Bearer not-needed', 'Bearer not-needed']);
  });

  it("spreads one queue's drafts over time under its server-side rate limit", async () => {
    const own = uniquePrefix();
    const workers = await startWorkers(queueNames(own), undefined, { gpu: { perSecond: 2 } });
    try {
      const repo = await exampleRepo();
      fake.setDefault({ content: MALFORMED });
      const handle = await startTestRun(testInput(repo, own, fake.url, { drafts: 'gpu:14' }));
      const result = await resultOf(handle);
      expect(result.candidates.map((c) => c.status)).toEqual(Array(14).fill('malformed'));
      // ActivityTaskStarted of an activity with a retry policy is written only when the attempt
      // closes, but stamped with the time the attempt really started: these times agree with the
      // fake's arrival times to within ~20 ms, so they are the real start times.
      const starts = startedActivities(await historyOf(handle), 'draft')
        .map((s) => eventTimeMs(s.event))
        .sort((a, b) => a - b);
      expect(starts).toHaveLength(14);
      // The server divides the rate over the queue's partitions (4 on the dev server), each
      // allowing a burst of one: about 4 drafts start at once, the other 10 at ≤ 2/s (≥ 5 s).
      // Unlimited (gpu concurrency 16), all 14 start within a fraction of a second.
      expect(starts[13]! - starts[0]!).toBeGreaterThanOrEqual(4000);
    } finally {
      await workers.stop();
    }
  });

  it('fails fast when OURO_LOCAL_MODEL names a missing file', async () => {
    const repo = await exampleRepo();
    const missing = join(tmpdir(), `ouro-no-such-model-${randomBytes(4).toString('hex')}.gguf`);
    const handle = await withEnv('OURO_LOCAL_MODEL', missing, async () => {
      const h = await startTestRun(testInput(repo, prefix, fake.url, { drafts: 'local:1' }));
      expect(await failureOf(h)).toContain(`OURO_LOCAL_MODEL points to ${missing}`);
      return h;
    });
    // A configuration error is not retried.
    expect(startedActivities(await historyOf(handle), 'draft').map((s) => s.attempt)).toEqual([1]);
  });

  it('fails with a clear message when the model file is not a GGUF', async () => {
    const repo = await exampleRepo();
    const corrupt = join(await mkdtemp(join(tmpdir(), 'ouro-model-')), 'corrupt.gguf');
    await writeFile(corrupt, randomBytes(1024));
    const handle = await withEnv('OURO_LOCAL_MODEL', corrupt, async () => {
      const h = await startTestRun(testInput(repo, prefix, fake.url, { drafts: 'local:1' }));
      expect(await failureOf(h)).toContain(`cannot load the GGUF model at ${corrupt}`);
      return h;
    });
    expect(startedActivities(await historyOf(handle), 'draft').map((s) => s.attempt)).toEqual([1]);
  });

  it('lets two worker processes share one run: drafts on one host, git and sandbox on another', async () => {
    const own = uniquePrefix();
    const drafter = startWorkerProcess(own, ['ouro-draft-gpu']);
    const runner = startWorkerProcess(own, ['ouro', 'ouro-git', 'ouro-sandbox']);
    try {
      const repo = await exampleRepo();
      fake.script('r1c1', [{ content: GOOD_REPLY }]);
      const handle = await startTestRun(testInput(repo, own, fake.url, { drafts: 'gpu:1' }));
      expect((await resultOf(handle)).outcome).toBe('committed');
      const events = await historyOf(handle);
      const [draft, ...others] = startedActivities(events, 'draft').map((s) => s.identity);
      const tests = startedActivities(events, 'runTests').map((s) => s.identity);
      expect(others).toEqual([]);
      expect(tests).toHaveLength(2); // baseline and r1c1
      // Worker identities are pid@host: each activity ran in the process serving its queue.
      expect(draft).toBe(`${drafter.pid}@${hostname()}`);
      expect(tests).not.toContain(draft);
      expect(new Set(tests)).toEqual(new Set([`${runner.pid}@${hostname()}`]));
    } finally {
      drafter.kill('SIGTERM');
      runner.kill('SIGTERM');
      await Promise.all([drafter, runner]);
    }
  });
});
