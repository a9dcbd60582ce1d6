// The interpreter or toolchain a test command names, visible in the sandbox.
// The sandbox hides the worker's home and gives each run a private /tmp, so a
// venv made with `python3 -m venv /tmp/venv` (or one under ~/projects) would
// be missing there: the run would end `sh: /tmp/venv/bin/python: not found`
// and look like a broken base. So every absolute program the command names,
// and every PATH entry, that lies under a hidden folder has its root (the
// venv, the conda env, the Go or Rust toolchain, the prefix of its bin/)
// bound back read-only at the same path; a venv's pyvenv.cfg names its base
// interpreter, which is bound too. The home itself, the folders the runs live
// in and known secret folders are never bound. Pure: the caller answers what
// exists on the host.

import { posix } from '../paths/posix.js';

export interface CommandToolFacts {
  command: string;
  /** The PATH the sandboxed command gets. */
  path: string;
  home: string;
  /** Folders the sandbox hides (the home, /tmp, /var/tmp…): only what lies strictly under one needs binding. */
  hidden: string[];
  /** Folders a bind may neither be nor contain (the workspace, the folder of all runs). */
  keepOut: string[];
  isFile: (path: string) => boolean;
  isDir: (path: string) => boolean;
  /** The path with every link resolved, or undefined where it does not exist. */
  realpath: (path: string) => string | undefined;
  readText: (path: string) => string | undefined;
}

export interface ToolBind {
  src: string;
  dest: string;
}

/** Folders under the home that hold credentials: never bound, whatever a command names. */
const SECRET_DIRS = [
  '.ssh',
  '.gnupg',
  '.aws',
  '.azure',
  '.config',
  '.docker',
  '.kube',
  '.netrc',
  '.git-credentials',
  '.npmrc',
  '.pypirc',
  '.local/share/keyrings',
];

const under = (p: string, dir: string) => p === dir || p.startsWith(dir === '/' ? '/' : `${dir}/`);

/** Absolute paths among a shell command's words (quotes stripped, operators split off). */
export function absoluteWords(command: string): string[] {
  const words = command.split(/[\s;&|()<>`]+/).map((w) => w.replace(/^["']+|["']+$/g, '').replace(/^[A-Za-z_][A-Za-z0-9_]*=/, ''));
  return [...new Set(words.filter((w) => w.startsWith('/') && !w.includes('$') && !w.includes('*')))];
}

/** Marks of a folder that is an environment or a toolchain as a whole. */
function isToolRoot(dir: string, f: CommandToolFacts): boolean {
  return (
    f.isFile(posix.join(dir, 'pyvenv.cfg')) ||
    f.isDir(posix.join(dir, 'conda-meta')) ||
    (f.isFile(posix.join(dir, 'VERSION')) && f.isDir(posix.join(dir, 'pkg/tool'))) ||
    f.isDir(posix.join(dir, 'lib/rustlib'))
  );
}

export function planCommandTools(f: CommandToolFacts): ToolBind[] {
  const home = posix.normalize(f.home).replace(/\/+$/, '');
  const hidden = f.hidden.map((h) => posix.normalize(h).replace(/\/+$/, '') || '/');
  const isHidden = (p: string) => hidden.some((h) => p !== h && under(p, h));
  const secret = (p: string) => SECRET_DIRS.some((s) => under(p, posix.join(home, s)));
  const keepOut = f.keepOut.map((k) => posix.normalize(k).replace(/\/+$/, ''));
  // Strictly under a hidden folder, never the home or a run's folder nor anything holding them, never a secret.
  const secretsAndOurs = [home, ...keepOut, ...SECRET_DIRS.map((s) => posix.join(home, s))];
  const allowed = (root: string) => isHidden(root) && !secret(root) && !secretsAndOurs.some((k) => under(k, root)) && !keepOut.some((k) => under(root, k));
  const binds = new Map<string, string>();
  const bindRoot = (root: string) => {
    if (!allowed(root)) return;
    const real = f.realpath(root);
    if (!real) return;
    if (!binds.has(root)) binds.set(root, real);
    if (real !== root && allowed(real)) binds.set(real, real);
  };

  /** The root of the environment or toolchain a folder of programs belongs to. */
  const rootOf = (dir: string, isPrefix: boolean): string => {
    for (let d = dir, i = 0; i < 4 && d !== '/' && isHidden(d); d = posix.dirname(d), i++) if (isToolRoot(d, f)) return d;
    // A plain prefix (/tmp/node-v20/bin): its lib/ and share/ come with it. Not in the home, where
    // a prefix may be a folder of other things (~/.local holds keyrings): there the folder alone.
    const parent = posix.dirname(dir);
    return posix.basename(dir) === 'bin' && (isPrefix || !under(parent, home)) && allowed(parent) ? parent : dir;
  };

  /** `isPrefix`: the folder is known to be an installation's bin/ (a venv's base interpreter). */
  const visit = (dir: string, depth: number, isPrefix = false) => {
    const root = rootOf(dir, isPrefix);
    if (!isHidden(root) || binds.has(root)) return;
    bindRoot(root);
    if (depth > 2) return;
    // A venv names its base interpreter's folder; a conda env or venv may link its python elsewhere.
    const cfg = f.readText(posix.join(root, 'pyvenv.cfg'));
    const base = cfg && /^\s*home\s*=\s*(\S.*?)\s*$/m.exec(cfg)?.[1];
    if (base?.startsWith('/')) visit(posix.normalize(base), depth + 1, true);
  };

  for (const word of absoluteWords(f.command)) {
    const p = posix.normalize(word);
    if (!isHidden(p) || !f.isFile(p)) continue;
    visit(posix.dirname(p), 0);
    const real = f.realpath(p);
    if (real && real !== p && isHidden(real)) visit(posix.dirname(real), 0);
  }
  for (const entry of f.path.split(':').filter((e) => e.startsWith('/'))) {
    const p = posix.normalize(entry);
    if (isHidden(p) && f.isDir(p)) visit(p, 0);
  }
  return [...binds].map(([dest, src]) => ({ src, dest })).sort((a, b) => a.dest.localeCompare(b.dest));
}
