// The one module that names Ouro's per-user (or per-clone) folders; core/paths/state-dirs.ts decides.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { chooseStateDirs, type StateDirs } from '../core/paths/state-dirs.js';
import { PROJECT_ROOT } from './project-root.js';

/** A clone of Ouro's repository (its .git and a package.json named ouro), not an installed package. */
export function isOuroClone(root: string): boolean {
  if (!existsSync(join(root, '.git'))) return false;
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: unknown }).name === 'ouro';
  } catch {
    return false;
  }
}

export function stateDirsFor(env: NodeJS.ProcessEnv = process.env, root = PROJECT_ROOT): StateDirs {
  return chooseStateDirs({ env, home: homedir(), projectRoot: root, clone: isOuroClone(root), cwd: process.cwd() });
}

/** Read once at start: every module of one process agrees on the folders. */
export const STATE_DIRS: StateDirs = stateDirsFor();

/** A path under the data folder (tools, models, data, temporal.sqlite, eval, cluster). */
export const dataPath = (...parts: string[]): string => join(STATE_DIRS.data, ...parts);
/** Where a dev server started by Ouro on `port` records its Web UI address (read by every client, written by `ouro dev`). */
export const devServerRecord = (port: number): string => dataPath(`dev-server-${port}.json`);

/** A path under the cache folder (workflow bundles, baseline). */
export const cachePath = (...parts: string[]): string => join(STATE_DIRS.cache, ...parts);
