// What the base's test run looked at, read from an strace log (`strace -f -y
// -e trace=%file`). A runner finds its configuration, setup files, snapshots
// and module shadows by *looking for* paths: `vitest.config.mts`, `.npmrc`,
// `src/tsconfig.json`, `conftest.py` in every folder, `test/__snapshots__/x.snap`,
// `src/node_modules/`. A path the base's run looked for and did not find is
// one a candidate could add to change how the tests run, whatever its name;
// so a candidate may not add it (core/run/file-rules.ts's protected globs stay as a second line).
// Pure: parses text, touches no file.

import { posix } from '../paths/posix.js';

/** Workspace-relative paths the base's test run looked for and did not find, and the names it looked for in many folders. */
export interface ProbeSet {
  /** Relative POSIX paths probed and found absent (ENOENT/ENOTDIR). */
  absent: string[];
  /** Base names probed absent in at least two folders (package.json, tsconfig.json, conftest.py…): refused in new folders too. */
  perFolder: string[];
  /** Tracked files the run tried to write and could not (frozen): a base suite that writes its own inputs. */
  deniedWrites: string[];
  /** True when the log was cut at `MAX_ABSENT` paths. */
  truncated: boolean;
  /** What the base's own run created (Cargo.lock, .pytest_cache/…): a candidate's run may create it too. */
  created?: string[];
}

export const MAX_ABSENT = 5000;

const LINE = /^(\d+)\s+(.*)$/;
// The first path argument, with the folder it is relative to when -y decoded one: `AT_FDCWD</cwd>, "rel"` or `"abs"`.
const CALL = /^([a-z0-9_]+)\((?:(?:AT_FDCWD|-?\d+)<([^>]*)>,\s*)?"((?:[^"\\]|\\.)*)"(.*)\)\s+=\s+(-?\d+|\?)\s*([A-Z]+)?/;
const WRITE_FLAGS = /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC/;
const ABSENT_ERRORS = new Set(['ENOENT', 'ENOTDIR']);
const DENIED_ERRORS = new Set(['EACCES', 'EPERM', 'EROFS']);
/** Syscalls that change a path; a denial of any of them on a tracked file is a write the freeze stopped. */
const MUTATING = new Set([
  'unlink',
  'unlinkat',
  'rename',
  'renameat',
  'renameat2',
  'truncate',
  'chmod',
  'fchmodat',
  'utimensat',
  'link',
  'linkat',
  'symlink',
  'symlinkat',
]);

function unescape(s: string): string {
  return s.replace(/\\(x[0-9a-f]{2}|[0-7]{1,3}|.)/gi, (_, e: string) => {
    if (e[0] === 'x' || e[0] === 'X') return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(Number.parseInt(e, 8));
    return ({ n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' } as Record<string, string>)[e] ?? e;
  });
}

/** Joins `<unfinished ...>` / `<... resumed>` halves, so each call is one line. */
function wholeCalls(log: string): string[] {
  const pending = new Map<string, string>();
  const out: string[] = [];
  for (const raw of log.split('\n')) {
    const m = LINE.exec(raw);
    if (!m) continue;
    const [, pid, rest] = m as unknown as [string, string, string];
    if (rest.endsWith('<unfinished ...>')) {
      pending.set(pid, rest.slice(0, -'<unfinished ...>'.length).trimEnd());
      continue;
    }
    const resumed = /^<\.\.\. [a-z0-9_]+ resumed>\s?(.*)$/.exec(rest);
    if (resumed) {
      const head = pending.get(pid);
      pending.delete(pid);
      if (head !== undefined) out.push(`${head}${resumed[1]}`);
      continue;
    }
    out.push(rest);
  }
  return out;
}

export interface ProbeOptions {
  /** The workspace as the run saw it, and its real path if different. */
  roots: string[];
  /** Paths (relative) that are not the workspace's own: dependency links, Ouro's report folder. */
  ignore: string[];
  /** Files tracked in the workspace (to tell a denied write to a frozen file from one to a new path). */
  tracked?: ReadonlySet<string>;
}

function relativeTo(path: string, roots: string[]): string | undefined {
  const norm = posix.normalize(path);
  for (const root of roots) {
    if (norm === root) return '';
    if (norm.startsWith(`${root}/`)) return norm.slice(root.length + 1);
  }
  return undefined;
}

/** Parses an strace log of the base's run into the paths it looked for and did not find. */
export function probesFromTrace(log: string, opts: ProbeOptions): ProbeSet {
  const roots = [...new Set(opts.roots.map((r) => posix.normalize(r).replace(/\/+$/, '')))];
  const ignored = (rel: string) => rel.split('/')[0] === '.git' || opts.ignore.some((i) => rel === i || rel.startsWith(`${i}/`));
  const absent = new Set<string>();
  const denied = new Set<string>();
  for (const line of wholeCalls(log)) {
    const m = CALL.exec(line);
    if (!m) continue;
    const [, syscall, base, rawPath, args, , errno] = m as unknown as [string, string, string | undefined, string, string, string, string | undefined];
    const path = unescape(rawPath);
    if (!path) continue;
    const full = path.startsWith('/') ? path : base ? posix.join(base, path) : undefined;
    if (!full) continue;
    const rel = relativeTo(full, roots);
    if (rel === undefined || rel === '' || ignored(rel)) continue;
    if (errno && ABSENT_ERRORS.has(errno)) {
      if (absent.size < MAX_ABSENT) absent.add(rel);
    } else if (errno && DENIED_ERRORS.has(errno)) {
      const isWrite = MUTATING.has(syscall) || (syscall.startsWith('open') && WRITE_FLAGS.test(args));
      if (isWrite && (!opts.tracked || opts.tracked.has(rel))) denied.add(rel);
    }
  }
  return { absent: [...absent].sort(), perFolder: perFolderNames(absent), deniedWrites: [...denied].sort(), truncated: absent.size >= MAX_ABSENT };
}

/** Base names looked for in two or more folders: what a runner looks for in every folder it visits. */
function perFolderNames(absent: Set<string>): string[] {
  const folders = new Map<string, Set<string>>();
  for (const rel of absent) {
    const name = posix.basename(rel);
    const set = folders.get(name) ?? new Set<string>();
    set.add(posix.dirname(rel));
    folders.set(name, set);
  }
  return [...folders.entries()]
    .filter(([, dirs]) => dirs.size >= 2)
    .map(([name]) => name)
    .sort();
}

/**
 * The added files a candidate may not have: any at or under a path the base's run looked
 * for and did not find, and, in a folder the base did not have, any whose name the base's
 * run looked for in several folders (a runner would look for it there too) unless the base
 * has files of that name among those the model may change (`__init__.py` in a package the
 * user handed over is code, not configuration).
 */
export function probedAdditions(
  added: string[],
  probes: ProbeSet,
  baseFolders: ReadonlySet<string>,
  codeNames: ReadonlySet<string> = new Set(),
): Array<{ path: string; reason: string }> {
  const absent = new Set(probes.absent);
  const perFolder = new Set(probes.perFolder);
  const out: Array<{ path: string; reason: string }> = [];
  for (const path of added) {
    const parts = path.split('/');
    const hit = parts.map((_, i) => parts.slice(0, i + 1).join('/')).find((p) => absent.has(p));
    if (hit) {
      out.push({
        path,
        reason: `the base's test run looked for ${hit === path ? 'this path' : `"${hit}"`} and did not find it: adding it would change how the tests run (runner configuration, setup, snapshots or module resolution are the base's)`,
      });
      continue;
    }
    const folder = posix.dirname(path);
    const name = posix.basename(path);
    if (perFolder.has(name) && !codeNames.has(name) && !baseFolders.has(folder)) {
      out.push({ path, reason: `the base's test run looked for "${name}" in several folders: one added in a new folder would change how the tests run` });
    }
  }
  return out;
}

/**
 * Drops what the run itself made from what it looked for: a cache it created (.pytest_cache,
 * __pycache__, a temp file) is not configuration. `baseFolders` tells folders that were
 * there from folders the run made.
 */
export function withoutCreated(probes: ProbeSet, created: string[], baseFolders: ReadonlySet<string>): ProbeSet {
  if (!created.length) return probes;
  const made = new Set<string>();
  for (const c of created) {
    const parts = c.replace(/\/$/, '').split('/');
    made.add(parts.join('/'));
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (!baseFolders.has(folder)) made.add(folder);
    }
  }
  const kept = probes.absent.filter((p) => !p.split('/').some((_, i, all) => made.has(all.slice(0, i + 1).join('/'))));
  return { ...probes, absent: kept, perFolder: perFolderNames(new Set(kept)), created: created.slice(0, MAX_ABSENT) };
}

/** Every folder of a list of tracked files ('.' for the root). */
export function foldersOf(files: Iterable<string>): Set<string> {
  const out = new Set<string>(['.']);
  for (const f of files) {
    let d = posix.dirname(f);
    while (d !== '.' && !out.has(d)) {
      out.add(d);
      d = posix.dirname(d);
    }
  }
  return out;
}
