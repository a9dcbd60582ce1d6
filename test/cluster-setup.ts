import type { TestProject } from 'vitest/node';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeClusterBase, startCluster, stopCluster } from '../dev/cluster.js';
import { workflowBundlePath } from '../worker/bundle.js';

// The cluster suite's server (npm run test:cluster): a PostgreSQL-backed
// Temporal cluster in a temp folder on free ports, in place of the dev server.
// The same end-to-end files run against it unchanged (they ask for
// `temporalAddress`); the restart test also gets the cluster's folder.
let root: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  root = await mkdtemp(join(tmpdir(), 'ouro-cluster-'));
  // PostgreSQL runs as its own user, which must reach its data folder inside.
  await chmod(root, 0o755);
  const started = Date.now();
  const cluster = await startCluster({ root, basePort: await freeClusterBase(), log: (m) => process.stderr.write(`[cluster] ${m}\n`) });
  process.stderr.write(`[cluster] ready on ${cluster.address} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  await workflowBundlePath();
  project.provide('temporalAddress', cluster.address);
  project.provide('clusterRoot', root);
}

export async function teardown(): Promise<void> {
  if (root) await stopCluster({ root, purge: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    clusterRoot: string;
  }
}
