import { Connection } from '@temporalio/client';
import { execa, type ResultPromise } from 'execa';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import { SEARCH_ATTRIBUTES } from '../core/run/search-attributes.js';
import { dataPath, devServerRecord } from '../adapters/state-dirs.js';
import { ensureTemporalCli } from '../scripts/temporal-cli.js';
import { ensureSearchAttributes } from '../worker/search-attributes.js';

export interface DevServerOptions {
  port?: number;
  uiPort?: number;
  /** SQLite file; the default keeps history across restarts. */
  dbFile?: string;
  headless?: boolean;
  log?: (m: string) => void;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  process: ResultPromise;
  stop(): Promise<void>;
}

export const DEFAULT_DB = dataPath('temporal.sqlite');

/** Where a dev server started by Ouro on `port` records its Web UI address. */
export function uiPortsFile(port: number): string {
  return devServerRecord(port);
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function waitHealthy(address: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: '2 seconds' });
      await connection.close();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`the Temporal dev server at ${address} did not become healthy: ${(err as Error).message}`, { cause: err });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Starts `temporal server start-dev` with Ouro's search attributes registered and waits until it answers. */
export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const bin = await ensureTemporalCli(opts.log);
  const port = opts.port ?? 7233;
  const uiPort = opts.uiPort ?? 8233;
  const dbFile = opts.dbFile ?? DEFAULT_DB;
  await mkdir(dirname(dbFile), { recursive: true });
  if (await portOpen(port)) throw new Error(`port ${port} is already in use: is a Temporal server already running? (ouro dev --port <other>)`);
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', dbFile, '--log-level', 'warn'];
  // WAL with synchronous=NORMAL survives a crash of the server process (what a
  // dev box sees) without an fsync per history event, which dominated the
  // per-activity latency in bench/temporal-overhead.ts.
  args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  // One partition per task queue: a single dev server gains nothing from
  // four, and with one a task never waits to be forwarded to a partition
  // that has a poller; the per-queue rate limit is then exact too.
  args.push('--dynamic-config-value', 'matching.numTaskqueueReadPartitions=1', '--dynamic-config-value', 'matching.numTaskqueueWritePartitions=1');
  args.push(...(opts.headless ? ['--headless'] : ['--ui-port', String(uiPort)]));
  for (const a of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${a.name}=${a.type}`);
  const child = execa(bin, args, { reject: false, stdin: 'ignore', all: true, buffer: { all: true } });
  const deadline = Date.now() + 30_000;
  while (!(await portOpen(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      const r = await child;
      throw new Error(`the Temporal dev server did not start on port ${port}:\n${String(r.all ?? '').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // The port opens before the frontend is healthy: wait until it answers.
  await waitHealthy(`127.0.0.1:${port}`, deadline);
  // --search-attribute registers only when the database is new: add what an older database lacks.
  await ensureSearchAttributes(`127.0.0.1:${port}`, 'default');
  // `ouro run` prints the Web UI link of the server it talks to: tell it which port the UI has, or
  // that there is none (a headless server leaves no record, nor one an earlier server left there).
  const uiRecord = uiPortsFile(port);
  if (opts.headless) await rm(uiRecord, { force: true }).catch(() => {});
  else await writeFile(uiRecord, JSON.stringify({ uiUrl: `http://localhost:${uiPort}` })).catch(() => {});
  return {
    address: `127.0.0.1:${port}`,
    uiUrl: opts.headless ? undefined : `http://localhost:${uiPort}`,
    process: child,
    stop: async () => {
      // The port may serve something else next (a cluster, say): its links must not point here.
      if (!opts.headless) await rm(uiRecord, { force: true }).catch(() => {});
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await child;
      clearTimeout(killer);
    },
  };
}
