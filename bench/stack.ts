// What a bench that runs the real loop with the embedded model stands on: a scratch folder, a dev
// server of its own (its history in that folder) and every worker in-process, the model chosen
// by OURO_LOCAL_MODEL. One place to start it and one to take all of it down.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from '../dev/dev-server.js';
import { freePort } from '../dev/ports.js';
import { runWorkers } from '../worker/main.js';
import { installRuntime } from '../worker/runtime.js';

export interface BenchStack {
  /** A folder of the bench's own, removed by stop(). */
  scratch: string;
  address: string;
  /** Stops the workers (after their current task), then the server, then removes the scratch folder. */
  stop(): Promise<void>;
  /** For a signal handler: the server and the scratch folder only, without waiting on the workers. */
  stopServer(): Promise<void>;
}

export async function startBenchStack(prefix: string, model: string): Promise<BenchStack> {
  process.env.OURO_LOCAL_MODEL = model;
  installRuntime();
  const scratch = await mkdtemp(join(tmpdir(), prefix));
  const server = await startDevServer({ port: await freePort(), headless: true, dbFile: join(scratch, 'temporal.sqlite') });
  process.env.TEMPORAL_ADDRESS = server.address;
  const workers = await runWorkers([], () => {});
  const running = workers.run();
  const stopServer = async () => {
    await server.stop();
    await rm(scratch, { recursive: true, force: true });
  };
  return {
    scratch,
    address: server.address,
    stopServer,
    stop: async () => {
      await workers.shutdown();
      await running;
      await stopServer();
    },
  };
}
