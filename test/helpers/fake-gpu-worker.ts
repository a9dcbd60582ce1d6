import { hostname } from 'node:os';
import { afterAll, beforeAll } from 'vitest';
import type { QueueNames } from '../../core/run/queues.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../dev/fake-openai.js';
import { queueNames, startWorkers, uniquePrefix, useSuiteServer } from './harness.js';

export interface FakeGpuWorker {
  readonly fake: FakeOpenAI;
  readonly prefix: string;
  readonly address: string;
  /** How the worker names itself in what it answers (this process). */
  readonly worker: string;
}

/**
 * For the whole file: this process is the worker of `queuesOf(q)` on the suite's dev server, and
 * its environment is the worker's: the GPU server (a fake) is set here only, and no OpenAI key
 * here. A CLI started as a child has an environment of its own; both variables come back after.
 */
export function useFakeGpuWorker(queuesOf: (q: QueueNames) => string[]): FakeGpuWorker {
  const saved = { OURO_GPU_BASE_URL: process.env.OURO_GPU_BASE_URL, OPENAI_API_KEY: process.env.OPENAI_API_KEY };
  // Filled in before the file's first test, which is when a test reads it.
  const own: { -readonly [K in keyof FakeGpuWorker]?: FakeGpuWorker[K] } = { worker: `${process.pid}@${hostname()}` };
  let stopWorkers: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    own.address = useSuiteServer().address;
    own.fake = await startFakeOpenAI();
    process.env.OURO_GPU_BASE_URL = own.fake.url;
    delete process.env.OPENAI_API_KEY;
    own.prefix = uniquePrefix();
    const q = queueNames(own.prefix);
    ({ stop: stopWorkers } = await startWorkers(q, queuesOf(q)));
  });
  afterAll(async () => {
    await stopWorkers?.();
    await own.fake?.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  return own as FakeGpuWorker;
}
