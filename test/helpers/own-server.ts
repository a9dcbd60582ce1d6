import { join } from 'node:path';
import { queueNames, type QueueNames } from '../../core/run/queues.js';
import { startDevServer, type DevServer } from '../../dev/dev-server.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../dev/fake-openai.js';
import { freePort } from '../../dev/ports.js';
import { installRuntime } from '../../worker/runtime.js';
import { startWorkers, uniquePrefix } from './harness.js';

/** A dev server of the test's own (one it may take down), with in-process workers and the fake provider. */
export interface OwnServer {
  /** The server's address: the same across restarts (same port, same SQLite file). */
  readonly address: string;
  readonly prefix: string;
  readonly queues: QueueNames;
  readonly fake: FakeOpenAI;
  /**
   * Takes the server down, SIGKILLed (a crash) or stopped cleanly, leaves it down `downMs`,
   * and starts it again on the same port and SQLite file; the workers reconnect by themselves.
   */
  restart(how: { kill: boolean; downMs?: number }): Promise<void>;
}

/**
 * Runs `body` against a dev server of its own in `scratch` (not the suite's, so stopping it
 * disturbs no other test) with workers for the workflow, git, sandbox and GPU draft queues of a
 * fresh prefix; stops all of it after, whatever `body` did.
 */
export async function withDevServerAndWorkers<T>(scratch: string, body: (own: OwnServer) => Promise<T>, opts: { webUi?: boolean } = {}): Promise<T> {
  installRuntime();
  const port = await freePort();
  const dbFile = join(scratch, `temporal-${port}.sqlite`);
  const start = async (): Promise<DevServer> => startDevServer({ port, headless: true, dbFile, ...(opts.webUi ? { uiPort: await freePort() } : {}) });
  // What has started, stopped in reverse after the body or as soon as a later start throws (a
  // dev server left running holds its port and SQLite file past the test).
  const started: Array<() => Promise<void>> = [];
  try {
    let server = await start();
    started.push(() => server.stop());
    process.env.TEMPORAL_ADDRESS = server.address;
    const prefix = uniquePrefix();
    const queues = queueNames(prefix);
    const fake = await startFakeOpenAI();
    started.push(() => fake.close());
    const workers = await startWorkers(queues, [queues.workflow, queues.git, queues.sandbox, queues.draft.gpu]);
    started.push(() => workers.stop());
    return await body({
      address: server.address,
      prefix,
      queues,
      fake,
      restart: async ({ kill, downMs = 0 }) => {
        if (kill) {
          server.process.kill('SIGKILL');
          await server.process.catch(() => {});
        } else await server.stop();
        if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
        server = await start();
      },
    });
  } finally {
    for (const stop of started.reverse()) await stop();
  }
}
