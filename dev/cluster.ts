import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { execa } from 'execa';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, closeSync } from 'node:fs';
import { chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dataPath } from '../adapters/state-dirs.js';
import { ensureClusterTools, type ClusterTools } from '../scripts/temporal-cluster-tools.js';
import { ensureSearchAttributes } from '../worker/search-attributes.js';
import {
  CLUSTER_PORT_SPAN,
  clusterPorts,
  DEFAULT_CLUSTER_BASE_PORT,
  MAX_CLUSTER_BASE_PORT,
  HISTORY_DB,
  renderClusterConfig,
  renderDynamicConfig,
  VISIBILITY_DB,
  type ClusterPorts,
} from './cluster-config.js';
import { portOpen } from './dev-server.js';

// A PostgreSQL-backed Temporal cluster on loopback, the way a team runs one
// (`ouro cluster up`, `npm run cluster`, and the cluster suite's set-up):
// PostgreSQL in a private data folder, its two databases given their schemas
// by temporal-sql-tool, the Temporal server from its Go module with every
// service in one process, the `default` namespace and Ouro's search attributes.
// Both processes outlive the command that started them; their pids are in
// the cluster's folder, so `down` (or a test) can stop or kill them.

export const DEFAULT_CLUSTER_ROOT = dataPath('cluster');
export { DEFAULT_CLUSTER_BASE_PORT };
const DB_USER = 'ouro';

export interface ClusterLayout {
  root: string;
  ports: ClusterPorts;
}

export interface RunningCluster {
  address: string;
  namespace: string;
  ports: ClusterPorts;
  root: string;
}

const paths = (root: string) => ({
  pgData: join(root, 'pg'),
  pgLog: join(root, 'pg', 'ouro-postgres.log'),
  password: join(root, 'pg-password'),
  schemaDone: join(root, 'schema-ready'),
  config: join(root, 'temporal.yaml'),
  dynamicConfig: join(root, 'dynamic-config.yaml'),
  serverLog: join(root, 'temporal.log'),
  serverPid: join(root, 'temporal.pid'),
  layout: join(root, 'layout.json'),
});

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user Debian's package made. */
async function asPostgres(bin: string, args: string[], opts: { reject?: boolean } = {}) {
  if (process.getuid?.() === 0) return execa('runuser', ['-u', 'postgres', '--', bin, ...args], { reject: opts.reject ?? true, all: true });
  return execa(bin, args, { reject: opts.reject ?? true, all: true });
}

async function ownedByPostgres(path: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const uid = Number((await execa('id', ['-u', 'postgres'])).stdout);
  const gid = Number((await execa('id', ['-g', 'postgres'])).stdout);
  await chown(path, uid, gid);
}

async function startPostgres(tools: ClusterTools, root: string, port: number, log: (m: string) => void): Promise<string> {
  const p = paths(root);
  if (!existsSync(join(p.pgData, 'PG_VERSION'))) {
    log(`initialising PostgreSQL in ${p.pgData}`);
    await mkdir(p.pgData, { recursive: true });
    await ownedByPostgres(p.pgData);
    await writeFile(p.password, randomBytes(12).toString('hex'), { mode: 0o600 });
    await ownedByPostgres(p.password);
    const init = await asPostgres(
      join(tools.pgBin, 'initdb'),
      ['-D', p.pgData, '-U', DB_USER, '--auth=scram-sha-256', `--pwfile=${p.password}`, '-E', 'UTF8', '--no-instructions'],
      { reject: false },
    );
    if (init.exitCode !== 0) throw new Error(`initdb failed:\n${String(init.all).slice(-2000)}`);
  }
  const password = (await readFile(p.password, 'utf8')).trim();
  const status = await asPostgres(join(tools.pgBin, 'pg_ctl'), ['-D', p.pgData, 'status'], { reject: false });
  if (status.exitCode !== 0) {
    const options = `-p ${port} -k ${p.pgData} -c listen_addresses=127.0.0.1 -c max_connections=200`;
    const started = await asPostgres(join(tools.pgBin, 'pg_ctl'), ['-D', p.pgData, '-l', p.pgLog, '-o', options, '-w', '-t', '60', 'start'], {
      reject: false,
    });
    if (started.exitCode !== 0) {
      const tail = await readFile(p.pgLog, 'utf8').catch(() => '');
      throw new Error(`PostgreSQL did not start on port ${port}:\n${String(started.all).slice(-1000)}\n${tail.slice(-2000)}`);
    }
  }
  return password;
}

/** Creates the history and visibility databases and brings their schemas to this server version (idempotent). */
async function setUpSchemas(tools: ClusterTools, root: string, port: number, password: string, log: (m: string) => void): Promise<void> {
  const p = paths(root);
  const sql = (db: string, ...args: string[]) =>
    execa(tools.sqlTool, ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(port), '-u', DB_USER, '--pw', password, '--db', db, ...args], {
      reject: false,
      all: true,
    });
  const ready = existsSync(p.schemaDone);
  for (const [db, schema] of [
    [HISTORY_DB, 'postgresql/v12/temporal'],
    [VISIBILITY_DB, 'postgresql/v12/visibility'],
  ] as const) {
    if (!ready) {
      log(`creating ${db} and its schema (temporal-sql-tool)`);
      const created = await sql(db, 'create-database');
      if (created.exitCode !== 0 && !/already exists/.test(String(created.all))) throw new Error(`create-database ${db} failed:\n${created.all}`);
      const setup = await sql(db, 'setup-schema', '-v', '0.0');
      if (setup.exitCode !== 0 && !/already exists/.test(String(setup.all))) throw new Error(`setup-schema ${db} failed:\n${setup.all}`);
    }
    const update = await sql(db, 'update-schema', '--schema-name', schema);
    if (update.exitCode !== 0) throw new Error(`update-schema ${db} failed:\n${update.all}`);
  }
  await writeFile(p.schemaDone, new Date().toISOString());
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function serverPid(root: string): Promise<number | undefined> {
  const pid = Number(await readFile(paths(root).serverPid, 'utf8').catch(() => ''));
  return pid > 0 && pidAlive(pid) ? pid : undefined;
}

/** Starts the Temporal server process of a cluster whose database is up (again, after a kill: what the restart tests do). */
export async function startTemporalServer(root: string, log: (m: string) => void = () => {}): Promise<RunningCluster> {
  const p = paths(root);
  const { ports } = JSON.parse(await readFile(p.layout, 'utf8')) as ClusterLayout;
  const address = `127.0.0.1:${ports.frontend}`;
  if (!(await serverPid(root))) {
    const tools = await ensureClusterTools(log);
    const out = openSync(p.serverLog, 'a');
    const child = spawn(tools.server, ['--config-file', p.config, '--allow-no-auth', 'start'], { detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    child.unref();
    await writeFile(p.serverPid, String(child.pid));
  }
  await waitReady(address, root, Date.now() + 120_000);
  return { address, namespace: 'default', ports, root };
}

async function waitReady(address: string, root: string, deadline: number): Promise<void> {
  let last: string | undefined;
  for (;;) {
    if (!(await serverPid(root))) {
      const tail = await readFile(paths(root).serverLog, 'utf8').catch(() => '');
      throw new Error(`the Temporal server exited while starting:\n${tail.slice(-3000)}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: '2 seconds' });
      try {
        await connection.workflowService.getSystemInfo({});
        await ensureNamespace(connection);
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`the Temporal server at ${address} did not become ready: ${last ?? 'no answer'}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The `default` namespace, registered once; ready when the frontend's namespace cache serves it. */
async function ensureNamespace(connection: Connection): Promise<void> {
  const ws = connection.workflowService;
  try {
    await ws.describeNamespace({ namespace: 'default' });
  } catch {
    await ws.registerNamespace({ namespace: 'default', workflowExecutionRetentionPeriod: msToTs('3 days') });
  }
  // Throws until the namespace reaches the cache (up to a refresh interval after registering).
  await ws.countWorkflowExecutions({ namespace: 'default', query: '' });
}

/** Brings the whole cluster up (PostgreSQL, schemas, server, namespace, search attributes); quick when it already runs. */
export async function startCluster(opts: { root?: string; basePort?: number; log?: (m: string) => void } = {}): Promise<RunningCluster> {
  const root = opts.root ?? DEFAULT_CLUSTER_ROOT;
  const log = opts.log ?? (() => {});
  const p = paths(root);
  await mkdir(root, { recursive: true });
  const previous = existsSync(p.layout) ? (JSON.parse(await readFile(p.layout, 'utf8')) as ClusterLayout) : undefined;
  const ports = previous?.ports ?? clusterPorts(opts.basePort ?? DEFAULT_CLUSTER_BASE_PORT);
  if (opts.basePort !== undefined && previous && previous.ports.frontend !== opts.basePort) {
    throw new Error(`the cluster in ${root} uses ports from ${previous.ports.frontend}: \`ouro cluster down --purge\` it first to move it`);
  }
  if (!(await serverPid(root)) && (await portOpen(ports.frontend))) {
    throw new Error(`port ${ports.frontend} is in use by something else (a dev server?): pick another with --port`);
  }
  const tools = await ensureClusterTools(log);
  const password = await startPostgres(tools, root, ports.postgres, log);
  await setUpSchemas(tools, root, ports.postgres, password, log);
  await writeFile(p.dynamicConfig, renderDynamicConfig());
  await writeFile(p.config, renderClusterConfig(ports, { user: DB_USER, password, port: ports.postgres }, p.dynamicConfig), { mode: 0o600 });
  await writeFile(p.layout, JSON.stringify({ root, ports } satisfies ClusterLayout));
  log(`starting the Temporal server ${ports.frontend} (log: ${p.serverLog})`);
  const cluster = await startTemporalServer(root, log);
  const missing = await ensureSearchAttributes(cluster.address, 'default');
  if (missing.length) throw new Error(`could not register the search attributes ${missing.join(', ')}`);
  return cluster;
}

/** SIGKILLs (or stops) the Temporal server process only; the database stays. */
export async function stopTemporalServer(root: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const pid = await serverPid(root);
  if (!pid) return;
  process.kill(pid, signal);
  const deadline = Date.now() + 15_000;
  while (pidAlive(pid)) {
    if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops the server and PostgreSQL; `purge` also deletes the cluster's data. */
export async function stopCluster(opts: { root?: string; purge?: boolean } = {}): Promise<void> {
  const root = opts.root ?? DEFAULT_CLUSTER_ROOT;
  await stopTemporalServer(root);
  const p = paths(root);
  if (existsSync(join(p.pgData, 'PG_VERSION'))) {
    const tools = await ensureClusterTools();
    await asPostgres(join(tools.pgBin, 'pg_ctl'), ['-D', p.pgData, '-m', 'fast', '-w', 'stop'], { reject: false });
  }
  if (opts.purge) await rm(root, { recursive: true, force: true });
}

/** The cluster's state for `ouro cluster status`. */
export async function clusterStatus(root = DEFAULT_CLUSTER_ROOT): Promise<{ server: boolean; address?: string; root: string }> {
  if (!existsSync(paths(root).layout)) return { server: false, root };
  const { ports } = JSON.parse(await readFile(paths(root).layout, 'utf8')) as ClusterLayout;
  return { server: Boolean(await serverPid(root)), address: `127.0.0.1:${ports.frontend}`, root };
}

/** A base port whose whole span is free (the cluster suite's, on a busy machine). */
export async function freeClusterBase(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const base = 20_000 + Math.floor(Math.random() * (MAX_CLUSTER_BASE_PORT - 20_000));
    const taken = await Promise.all(Array.from({ length: CLUSTER_PORT_SPAN }, (_, i) => portOpen(base + i)));
    if (!taken.some(Boolean)) return base;
  }
  throw new Error('found no free span of ports for a cluster');
}
