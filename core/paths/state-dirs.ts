// Where Ouro keeps what it installs and records (the Temporal CLI, models, data, the dev server's
// SQLite, evals, the cluster) and what it can rebuild (workflow bundles, the baseline cache).
// A clone of Ouro's repository keeps them in <clone>/.ouro, as it always has; an installed
// package has no folder of its own to write in, so it uses the user's XDG folders.
import { posix } from './posix.js';

export interface StateDirsInput {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  /** Ouro's own folder: a clone of its repository, or the installed package. */
  projectRoot: string;
  /** projectRoot is a clone of Ouro's repository, not an installed package. */
  clone: boolean;
  /** The current folder, which a relative OURO_HOME is read against. */
  cwd: string;
}

export interface StateDirs {
  /** Tools, models, data sets, the dev server's SQLite and records, evals, the cluster's data. */
  data: string;
  /** What is rebuilt when missing: workflow bundles, the baseline cache. */
  cache: string;
  /** Which rule chose them, for messages that name the folder. */
  source: 'OURO_HOME' | 'clone' | 'XDG';
}

/** OURO_HOME, else a clone's own .ouro, else $XDG_DATA_HOME/ouro and $XDG_CACHE_HOME/ouro (~/.local/share, ~/.cache). */
export function chooseStateDirs({ env, home, projectRoot, clone, cwd }: StateDirsInput): StateDirs {
  const own = env.OURO_HOME?.trim();
  if (own) {
    const root = own.startsWith('/') ? posix.normalize(own) : posix.join(cwd, own);
    return { data: stripSlash(root), cache: posix.join(root, 'cache'), source: 'OURO_HOME' };
  }
  if (clone) {
    const root = posix.join(projectRoot, '.ouro');
    return { data: root, cache: posix.join(root, 'cache'), source: 'clone' };
  }
  return {
    data: posix.join(xdgBase(env.XDG_DATA_HOME) ?? posix.join(home, '.local', 'share'), 'ouro'),
    cache: posix.join(xdgBase(env.XDG_CACHE_HOME) ?? posix.join(home, '.cache'), 'ouro'),
    source: 'XDG',
  };
}

/** The XDG base directory spec: a relative or empty value is invalid and ignored. */
function xdgBase(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v && v.startsWith('/') ? v : undefined;
}

function stripSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
