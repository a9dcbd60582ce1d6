import type { TestProject } from 'vitest/node';
import { startDevServer, type DevServer } from '../dev/dev-server.js';
import { workflowBundlePath } from '../worker/bundle.js';
import { freePort } from '../dev/ports.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// One real Temporal dev server (the Temporal CLI, SQLite in a temp dir) for
// the whole suite, on free ports, with Ouro's search attributes registered.
let server: DevServer | undefined;
let dir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  dir = await mkdtemp(join(tmpdir(), 'ouro-test-server-'));
  server = await startDevServer({ port: await freePort(), headless: true, dbFile: join(dir, 'temporal.sqlite') });
  // Bundle the workflow code once; every worker of the suite reuses the cached file.
  await workflowBundlePath();
  project.provide('temporalAddress', server.address);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}
