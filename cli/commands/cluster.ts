import { clusterStatus, DEFAULT_CLUSTER_BASE_PORT, startCluster, stopCluster } from '../../dev/cluster.js';
import { printJson } from '../render.js';
import { MAX_CLUSTER_BASE_PORT } from '../../dev/cluster-config.js';
import { CliError } from '../client.js';

const log = (m: string) => process.stderr.write(`${m}\n`);

/** `ouro cluster up`: PostgreSQL + the Temporal server from its Go module, left running. */
export async function clusterUpCommand(o: { port?: string; json?: boolean }): Promise<number> {
  const basePort = o.port === undefined ? undefined : Number(o.port);
  if (basePort !== undefined && !(Number.isInteger(basePort) && basePort > 1024 && basePort <= MAX_CLUSTER_BASE_PORT)) {
    throw new CliError(`--port must be from 1025 to ${MAX_CLUSTER_BASE_PORT} (Temporal keeps membership ports as SQL smallint), got ${o.port}`, 2);
  }
  const started = Date.now();
  const cluster = await startCluster({ basePort, log });
  if (o.json) printJson(cluster);
  else {
    process.stdout.write(
      [
        `Temporal cluster (PostgreSQL-backed) on ${cluster.address}, namespace default (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
        `use it:  export TEMPORAL_ADDRESS=${cluster.address}`,
        `         ouro worker &   ouro run <repo> --goal … --wait`,
        `stop it: ouro cluster down   (data stays in ${cluster.root}; --purge deletes it)`,
        '',
      ].join('\n'),
    );
  }
  return 0;
}

export async function clusterDownCommand(o: { purge?: boolean }): Promise<number> {
  await stopCluster({ purge: o.purge });
  process.stdout.write(`cluster stopped${o.purge ? ' and its data deleted' : ''}\n`);
  return 0;
}

export async function clusterStatusCommand(o: { json?: boolean }): Promise<number> {
  const s = await clusterStatus();
  if (o.json) printJson(s);
  else if (!s.address) process.stdout.write(`no cluster in ${s.root} (ouro cluster up, default port ${DEFAULT_CLUSTER_BASE_PORT})\n`);
  else process.stdout.write(`cluster server ${s.server ? `running on ${s.address}` : 'stopped'} (${s.root})\n`);
  return s.server ? 0 : 1;
}
