import { execa } from 'execa';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dataPath } from '../adapters/state-dirs.js';

// What a PostgreSQL-backed Temporal cluster is made of, installed from what this
// machine's registries serve: the Temporal server and its SQL schema tool built
// from the Go module go.temporal.io/server (cached under .ouro/tools; the first
// build takes minutes), and PostgreSQL from Debian's package. v1.32.1 is the
// newest 1.32 that builds on Go 1.26.8 (v1.32.2 asks for Go 1.26.10).
export const TEMPORAL_SERVER_VERSION = 'v1.32.1';
const TOOLS_DIR = dataPath('tools', 'temporal-server', TEMPORAL_SERVER_VERSION);

export interface ClusterTools {
  /** The Temporal server (`server start`). */
  server: string;
  /** temporal-sql-tool: creates the databases and sets up their schemas (embedded in it). */
  sqlTool: string;
  /** PostgreSQL's bin folder (initdb, pg_ctl, postgres, psql). */
  pgBin: string;
}

async function onPath(cmd: string): Promise<string | undefined> {
  const r = await execa('sh', ['-c', `command -v ${cmd}`], { reject: false });
  return r.exitCode === 0 ? String(r.stdout).trim() : undefined;
}

async function goBinary(): Promise<string> {
  const go = (await onPath('go')) ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) throw new Error('building the Temporal server needs Go (1.26.8 or newer): install it and put `go` on PATH');
  return go;
}

async function ensureServerBinaries(log: (m: string) => void): Promise<{ server: string; sqlTool: string }> {
  const server = join(TOOLS_DIR, 'server');
  const sqlTool = join(TOOLS_DIR, 'sql');
  if (existsSync(server) && existsSync(sqlTool)) return { server, sqlTool };
  log(`building the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool from the Go module (once; several minutes) into ${TOOLS_DIR}`);
  const started = Date.now();
  const r = await execa(
    await goBinary(),
    [
      'install',
      '-ldflags=-s -w',
      `go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`,
      `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
    ],
    { env: { ...process.env, GOBIN: TOOLS_DIR, GOTOOLCHAIN: 'local' }, reject: false, all: true },
  );
  if (r.exitCode !== 0 || !existsSync(server) || !existsSync(sqlTool)) {
    throw new Error(
      `could not build the Temporal server (go install go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}):\n${String(r.all).slice(-3000)}`,
    );
  }
  log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
  return { server, sqlTool };
}

/** The newest PostgreSQL Debian installed (/usr/lib/postgresql/<major>/bin). */
function installedPostgres(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const majors = readdirSync(base)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(base, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? join(base, majors[0], 'bin') : undefined;
}

async function ensurePostgres(log: (m: string) => void): Promise<string> {
  const found = process.env.OURO_PG_BIN ?? installedPostgres();
  if (found) return found;
  if (process.getuid?.() !== 0 || !(await onPath('apt-get'))) {
    throw new Error("PostgreSQL is not installed: install Debian's `postgresql` package (or set OURO_PG_BIN to the folder holding initdb and pg_ctl)");
  }
  log('installing PostgreSQL (apt-get install postgresql)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await execa('apt-get', ['update', '-qq'], { reject: false, env });
  const r = await execa('apt-get', ['install', '-y', '-qq', 'postgresql'], { reject: false, env, all: true });
  const bin = installedPostgres();
  if (r.exitCode !== 0 || !bin) throw new Error(`could not install PostgreSQL:\n${String(r.all).slice(-2000)}`);
  return bin;
}

export async function ensureClusterTools(log: (m: string) => void = () => {}): Promise<ClusterTools> {
  const pgBin = await ensurePostgres(log);
  return { ...(await ensureServerBinaries(log)), pgBin };
}
