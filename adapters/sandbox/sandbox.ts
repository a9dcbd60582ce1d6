import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, readlink, realpath, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { bwrapArgs, DEFAULT_LIMITS, prlimitArgs, type SandboxLimits } from '../../core/sandbox/sandbox-args.js';
import { foldersOf, probedAdditions, type ProbeSet } from '../../core/gate/file-probes.js';
import { planToolchains, type ToolchainPlan } from '../../core/sandbox/toolchains.js';
import { inCgroup, runCgroup, type RunCgroup } from './cgroup.js';
import { workspaceRoot } from '../git/worktrees.js';
import { git } from '../git/git.js';
import { scrubbedEnv } from '../process/process.js';
import type { SandboxMode } from '../../core/contracts/sandbox.js';

// Where candidate code runs. With bubblewrap (Linux): no network, a private
// /tmp and PID namespace, the whole filesystem read-only except the
// workspace, protected files and shared dependencies read-only even inside
// it, the worker's home and the usual host socket folders (/run, /var/tmp)
// hidden, an unprivileged uid when Ouro runs as root,
// and rlimits. Without it (macOS, locked-down containers): rlimits and the
// scrubbed environment only, reported as `degraded`.
//
// The evaluator's inputs are frozen: when Ouro runs as root, every file in
// the workspace (the base's tracked files and the candidate's patch) stays
// owned by root while the command runs as the sandbox uid, and every folder
// is root's with mode 1777 (sticky): the run may create new files (caches,
// build output), but may not write, delete or rename any existing one, so a
// golden file, fixture, snapshot or benchmark input cannot change under the
// tests. What a run creates is removed after it, and the workspace must then
// hash to the very tree it was given. Without root the same checks run after
// the fact (a file rewritten and restored within one run is not seen).

let detected: Promise<SandboxMode> | undefined;

/** Decided once per worker: OURO_SANDBOX=off forces degraded, =required refuses to run without bubblewrap. */
export function sandboxMode(): Promise<SandboxMode> {
  detected ??= (async () => {
    const wanted = (process.env.OURO_SANDBOX ?? 'auto').toLowerCase();
    if (wanted === 'off') return 'degraded';
    const probe = await execa(
      'bwrap',
      ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--unshare-net', '--die-with-parent', '--', 'true'],
      { reject: false },
    );
    if (probe.exitCode === 0) return 'bwrap';
    const why = `bubblewrap is not usable here (${String(probe.stderr || (probe as { shortMessage?: string }).shortMessage || 'not installed').trim()})`;
    if (wanted === 'required') throw new Error(`${why}; OURO_SANDBOX=required`);
    process.stderr.write(`ouro: ${why}: candidate code runs with resource limits and a scrubbed environment only (sandbox: degraded)\n`);
    return 'degraded';
  })();
  return detected;
}

/** Where host services usually put their sockets; /var/run is a link to /run on most systems. */
const SOCKET_DIRS = ['/run', '/var/run', '/var/tmp'];

/** Cache folders tools write inside node_modules; each run gets them empty and private. */
const NODE_MODULES_SCRATCH = ['.vite-temp', '.vite', '.cache'];

let toolchainPlan: ToolchainPlan | undefined;
/** The worker's toolchains (pyenv, rustup/Cargo, nvm, conda, Go's module cache), found once from its PATH. */
export function toolchains(): ToolchainPlan {
  toolchainPlan ??= planToolchains({ home: homedir(), path: process.env.PATH ?? '', env: process.env, exists: existsSync });
  return toolchainPlan;
}

/** A uid per concurrent run, so RLIMIT_NPROC counts only that run's processes. */
let nextUid = 0;
function sandboxUid(): number | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return 61_000 + (nextUid++ % 1000);
}

const isRoot = () => process.getuid?.() === 0;

export interface GuardOptions {
  protectedGlobs: string[];
  /** Tracked files (globs) the tests may write: handed to the sandbox uid for a run, restored after it. */
  writable?: string[];
  /** What the base's test run looked for and did not find: a run that creates one of these is refused. */
  probes?: ProbeSet;
  /** The base's own run: what it creates is the reference (a Cargo.lock it writes is no violation), not judged. */
  reference?: boolean;
}

/** What a run must leave as it found it, and how the workspace is frozen while it runs. */
export interface WorkspaceGuard {
  dir: string;
  /** The workspace's private git dir, where its record lives. */
  gitDir: string;
  record: GuardRecord;
  /** Top-level symbolic links (shared dependencies) and where they point. */
  links: Map<string, string>;
  protectedFiles: string[];
  /** Every file of the workspace as applied (the base's tracked files plus the candidate's patch). */
  files: Set<string>;
  /** Files the patch added (untracked in git's eyes, but part of the candidate). */
  added: string[];
  /** The tree id of the workspace as applied; after every run it must hash to it again. */
  tree: string;
  /** Tracked files the tests may write (put back from the tree after each run). */
  writable: Set<string>;
  /** Tampering found before this run (left by an earlier run in the same workspace, e.g. an attempt that crashed). */
  before: string[];
  /** What the last run created (before it was removed): the base's own caches are not what it looked for. */
  created: string[];
  /** Set when runs in this workspace died POISON_DEATHS times in a row: the caller drops the candidate instead of running it. */
  poison?: string;
  opts: GuardOptions;
}

async function topLevelLinks(dir: string): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if ((await lstat(path)).isSymbolicLink()) links.set(name, await readlink(path));
  }
  return links;
}

/** A gitignore pattern matching exactly one path from the top (for `git clean -e`). */
const exactPattern = (path: string) => `/${path.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`).replace(/ $/, '\\ ')}`;

/** Removes everything a run created: any file that is neither the workspace's own nor a dependency link. */
async function removeCreated(dir: string, keep: string[], anyUntracked = true): Promise<void> {
  // A `.git` below the top is never tracked (git refuses it): a run planted a repository, which
  // would hide its folder from git (and so from the clean) and carry hooks for anyone poking at it.
  const prune = keep.flatMap((p) => ['-path', join(dir, p), '-o']);
  await execa(
    'find',
    [dir, '-mindepth', '2', '(', ...prune, '-path', join(dir, '.git'), ')', '-prune', '-o', '-name', '.git', '-prune', '-exec', 'rm', '-rf', '{}', '+'],
    { reject: false },
  );
  if (anyUntracked) await git(dir, ['clean', '-ffdqx', ...keep.flatMap((p) => ['-e', exactPattern(p)])], { allowFail: true });
}

/** Every path under the workspace (`.git` and the top-level dependency links not entered), in find's order: a folder before what it holds. */
async function listTree(dir: string, linkNames: string[]): Promise<string[]> {
  const prune = ['-path', join(dir, '.git'), ...linkNames.flatMap((n) => ['-o', '-path', join(dir, n)])];
  const listed = await execa('find', [dir, '-mindepth', '1', '(', ...prune, ')', '-prune', '-o', '-print0'], { reject: false, stripFinalNewline: false });
  return String(listed.stdout)
    .split('\0')
    .filter(Boolean)
    .map((full) => relative(dir, full));
}

/** What stands in the workspace beyond its files and their folders (a nested dependency link, say). */
function beyond(paths: string[], files: Set<string>): string[] {
  const folders = foldersOf(files);
  return paths.filter((rel) => !files.has(rel) && !folders.has(rel));
}

/**
 * What git never lists (an empty folder, a FIFO, a socket) is removed too: a run could otherwise
 * leave the next one an answer in a folder's name. Anything that is neither a file of the workspace
 * as applied, nor a folder holding one, nor there before the first run (`before`: a nested
 * dependency link) goes; `.git` and the top-level dependency links are left alone.
 */
async function removeStrays(dir: string, files: Set<string>, linkNames: string[], before: Set<string>): Promise<void> {
  // find lists a folder before what it holds: a stray folder goes whole, and what lay under it is skipped.
  let removed: string | undefined;
  for (const rel of beyond(await listTree(dir, linkNames), files)) {
    if ((removed !== undefined && rel.startsWith(`${removed}/`)) || before.has(rel)) continue;
    await rm(join(dir, rel), { recursive: true, force: true });
    removed = rel;
  }
}

/** Files present but not part of the workspace as applied (created by a run), links excluded. */
async function createdFiles(dir: string, guard: WorkspaceGuard): Promise<string[]> {
  const out = (await git(dir, ['ls-files', '--others', '-z'], { allowFail: true })).split('\0').filter(Boolean);
  const own = new Set(guard.added);
  return out.filter((p) => !own.has(p) && !guard.links.has(p.split('/')[0]!));
}

/** The tree id of everything in the workspace (ignored files included), through a private index kept in its git dir. */
async function workspaceTree(dir: string, gitDir: string): Promise<string> {
  const env = { GIT_INDEX_FILE: join(gitDir, 'ouro-guard.index') };
  await git(dir, ['add', '--all', '--force', '--', '.'], { env });
  return git(dir, ['write-tree'], { env });
}

/** Owner root, folders 1777 (create, but not delete others' files), files readable by all. */
async function freeze(dir: string, linkNames: string[]): Promise<void> {
  const prune = ['-path', join(dir, '.git'), ...linkNames.flatMap((n) => ['-o', '-path', join(dir, n)])];
  await execa('chown', ['-R', '-h', '0:0', dir], { reject: false });
  await execa(
    'find',
    [
      dir,
      '(',
      ...prune,
      ')',
      '-prune',
      '-o',
      '-type',
      'd',
      '-exec',
      'chmod',
      '1777',
      '{}',
      '+',
      '-o',
      '-type',
      'f',
      '!',
      '-perm',
      '-o+r',
      '-exec',
      'chmod',
      'o+r',
      '{}',
      '+',
    ],
    { reject: false },
  );
}

interface GuardRecord {
  /** The commit checked out when recorded: a workspace moved on purpose (a train's integration) is recorded anew. */
  head: string;
  links: Record<string, string>;
  tree: string;
  added: string[];
  tracked: string[];
  /** True once a run's verify put the workspace back as applied; false while a run may be under way (or died). */
  settled: boolean;
  /** Runs in a row that never reached their verify: the worker (or server) died under them. */
  deaths?: number;
  /** Paths beyond the files and their folders when first guarded (nested dependency links): kept, not strays. */
  extras?: string[];
}

/**
 * Runs in a row of one workspace after which its candidate is taken to be what kills the
 * worker (a poison pill) and is dropped. Above the 5 deaths in one run that Ouro is shown
 * to survive; below the sandbox activities' 10 attempts.
 */
export const POISON_DEATHS = 6;

async function saveRecord(gitDir: string, record: GuardRecord): Promise<void> {
  await writeFile(join(gitDir, 'ouro-guard.json'), JSON.stringify(record));
}

/**
 * Prepares a workspace for a run. The first guard of a workspace records its links, its
 * files (tracked and added by the patch) and its tree id in its private git dir (which the
 * sandbox can neither see under /tmp nor write anywhere), and freezes it. A later guard (an
 * activity retry, the benchmark after the tests) finds it settled by the last run's verify,
 * or, after a run that never finished (a dead worker), removes what it created, freezes it
 * again and compares against the record.
 */
export async function guardWorkspace(dir: string, optsOrGlobs: GuardOptions | string[]): Promise<WorkspaceGuard> {
  const opts: GuardOptions = Array.isArray(optsOrGlobs) ? { protectedGlobs: optsOrGlobs } : optsOrGlobs;
  const [gitDir = '', head = ''] = (await git(dir, ['rev-parse', '--absolute-git-dir', 'HEAD'])).split('\n');
  // The sandbox can neither move HEAD nor write the git dir: a different HEAD is Ouro's own doing.
  const saved = await readFile(join(gitDir, 'ouro-guard.json'), 'utf8')
    .then(
      (t) => JSON.parse(t) as GuardRecord,
      () => undefined,
    )
    .then((r) => (r?.head === head && r.tracked ? r : undefined));
  const unsettled = saved !== undefined && !saved.settled;
  const isWritable = opts.writable?.length ? picomatch(opts.writable, { dot: true }) : () => false;
  // A worker killed mid-run (or an older Ouro) may leave files owned by the sandbox uid: take them back first.
  if (isRoot() && (unsettled || (await lstat(dir)).uid !== 0)) await execa('chown', ['-R', '-h', '0:0', dir], { reject: false });
  let record: GuardRecord;
  if (saved) {
    record = saved;
    if (unsettled) {
      // Files the tests may write are put back from the record, not taken as a dead run left them.
      const back = saved.tracked.filter((t) => isWritable(t));
      if (back.length) await git(dir, ['restore', `--source=${saved.tree}`, '--worktree', '--', ...back], { allowFail: true });
    }
  } else {
    const links = await topLevelLinks(dir);
    const added = (await git(dir, ['ls-files', '--others', '-z'])).split('\0').filter((p) => p && !links.has(p.split('/')[0]!));
    const tracked = (await git(dir, ['ls-files', '-z'])).split('\0').filter(Boolean);
    const extras = beyond(await listTree(dir, [...links.keys()]), new Set([...tracked, ...added]));
    record = { head, links: Object.fromEntries(links), added, tracked, tree: await workspaceTree(dir, gitDir), settled: false, extras };
  }
  const links = new Map(Object.entries(record.links));
  const isProtected = picomatch(opts.protectedGlobs, { dot: true });
  const writable = new Set(record.tracked.filter((t) => isWritable(t) && !isProtected(t)));
  const guard: WorkspaceGuard = {
    dir,
    gitDir,
    links,
    protectedFiles: record.tracked.filter((p) => isProtected(p)),
    files: new Set([...record.tracked, ...record.added]),
    added: record.added,
    tree: record.tree,
    writable,
    before: [],
    created: [],
    opts,
    record,
  };
  if (unsettled) {
    // A run that never reached its verify (a dead worker): judge and remove what it left, as its verify would have.
    guard.before = await settle(guard, 'before its run (left by an earlier run in this workspace)');
    record.deaths = (saved.deaths ?? 0) + 1;
    if (record.deaths >= POISON_DEATHS) {
      guard.poison = `its runs ended with the worker gone ${record.deaths} times in a row (it kills or starves its worker): dropped so that the run goes on`;
    }
  }
  if (isRoot() && (!saved || unsettled)) await freeze(dir, [...links.keys()]);
  await saveRecord(gitDir, { ...record, settled: false });
  return guard;
}

async function compareTree(guard: WorkspaceGuard, when: string): Promise<string[]> {
  const now = await workspaceTree(guard.dir, guard.gitDir);
  if (now === guard.tree) return [];
  const changed = (await git(guard.dir, ['diff-tree', '-r', '--name-only', '-z', guard.tree, now], { allowFail: true })).split('\0').filter(Boolean);
  const named = changed.filter((p) => !guard.writable.has(p));
  if (!named.length && changed.length) return [];
  return [
    `changed ${named.length ? named.slice(0, 5).join(', ') : 'the workspace'}${named.length > 5 ? ` and ${named.length - 5} more` : ''} ${when} (every file of the workspace is an input of the evaluation and stays as applied)`,
  ];
}

/**
 * After a run: what it created is checked (no protected path, no path the base's test run
 * looks for, no link leading out) and removed; the dependency links must be untouched; the
 * workspace must hash to the tree it was given.
 */
export async function verifyWorkspace(dir: string, guard: WorkspaceGuard, when = 'during its run'): Promise<string[]> {
  // What was already wrong before the run is reported once, as such.
  const fresh = (await settle(guard, when)).filter((p) => !guard.before.some((b) => b.startsWith(p.slice(0, p.length - when.length))));
  // Put back as applied: the next guard of this workspace need not check it again.
  await saveRecord(guard.gitDir, { ...guard.record, settled: true, deaths: 0 });
  return [...new Set([...guard.before, ...fresh])].slice(0, 10);
}

/** Judges what a run created (and changed), removes it, and puts the files the tests may write back. */
async function settle(guard: WorkspaceGuard, when: string): Promise<string[]> {
  const dir = guard.dir;
  const problems: string[] = [];
  const add = (what: string) => problems.push(`${what} ${when}`);
  const after = await topLevelLinks(dir).catch(() => new Map<string, string>());
  for (const [name, target] of guard.links) {
    if (after.get(name) !== target) add(`replaced ${name} (a shared dependency link)`);
  }
  const protectedGlob = picomatch(guard.opts.protectedGlobs, { dot: true });
  const created = await createdFiles(dir, guard);
  guard.created = created;
  // What the base's own run creates (a lockfile, a cache) is no violation, neither there nor in a candidate's run.
  const byBase = new Set(guard.opts.probes?.created ?? []);
  const isProtected = (p: string) => !guard.opts.reference && !byBase.has(p) && protectedGlob(p);
  // At run time only the exact paths count: a new folder's runner configuration would have been read before its code ran.
  const probed = guard.opts.probes ? probedAdditions(created, { ...guard.opts.probes, perFolder: [] }, foldersOf(guard.files)) : [];
  const probedPaths = new Set(probed.map((p) => p.path));
  // Every name is judged (thousands of junk files sorted first must not hide a planted config); links among the first 20,000.
  for (const path of created) {
    if (problems.length >= 50) break;
    if (isProtected(path)) add(`created the protected path ${path}`);
    else if (probedPaths.has(path))
      add(`created ${path}, a path the base's test run looks for (runner configuration, setup, snapshots and module resolution are the base's)`);
  }
  for (const path of created.slice(0, 20_000)) {
    const full = join(dir, path);
    const st = await lstat(full).catch(() => undefined);
    if (st?.isSymbolicLink()) {
      const target = await realpath(full).catch(() => undefined);
      if (!target || !`${target}${sep}`.startsWith(`${dir}${sep}`)) add(`created ${path}, a link leading out of the workspace`);
    }
  }
  // A file the tests may write is the run's during the run: it may have swapped it for a link (out of the workspace) or a folder.
  const writable = [...guard.writable];
  for (const p of writable) {
    const st = await lstat(join(dir, p)).catch(() => undefined);
    if (st && !st.isFile()) add(`replaced ${p}, a file the tests may write, with a ${st.isSymbolicLink() ? 'link' : 'folder or special file'}`);
  }
  await removeCreated(dir, [...guard.links.keys(), ...guard.added], created.length > 0);
  await removeStrays(dir, guard.files, [...guard.links.keys()], new Set(guard.record.extras ?? []));
  // Put back from the tree as applied by git, which replaces whatever stands at the path instead of writing through it.
  if (writable.length) await git(dir, ['restore', `--source=${guard.tree}`, '--worktree', '--', ...writable], { allowFail: true });
  problems.push(...(await compareTree(guard, when)));
  return problems;
}

export interface SandboxedCommand {
  file: string;
  args: string[];
  mode: SandboxMode;
  /** Undo what preparing did (ownership, the capped /tmp, the memory cgroup) once the command has ended; says whether memory ran out. */
  release(): Promise<{ outOfMemory: boolean }>;
}

export interface SandboxExtras {
  /** Added to the scrubbed environment (a reporter's variables). */
  env?: Record<string, string>;
  /** Host folders the command may write, at the same path (a report folder). */
  writableDirs?: string[];
  /** Record every file lookup of the run (strace) into this file. */
  traceTo?: string;
}

/** The private /tmp's size: OURO_SANDBOX_TMP_MB, else the limits' (512 MiB). */
function tmpBytes(limits: SandboxLimits): number {
  const mb = Number(process.env.OURO_SANDBOX_TMP_MB);
  return Number.isFinite(mb) && mb > 0 ? mb * 1024 ** 2 : limits.tmpBytes;
}

let tmpCapUnavailable = false;
/**
 * A size-capped tmpfs for one run's /tmp, mounted beside its workspace (bubblewrap 0.8 cannot size
 * its own tmpfs): a candidate that fills /tmp meets ENOSPC instead of pinning the host's RAM.
 * Where mounting is not allowed (no CAP_SYS_ADMIN), /tmp stays uncapped and Ouro says so once.
 */
async function cappedTmp(dir: string, limits: SandboxLimits): Promise<string | undefined> {
  if (tmpCapUnavailable) return undefined;
  const at = join(dirname(dir), `.tmp-${basename(dir)}-${process.pid}-${Date.now().toString(36)}`);
  await mkdir(at, { recursive: true });
  const r = await execa('mount', ['-t', 'tmpfs', '-o', `size=${tmpBytes(limits)},mode=1777,nosuid,nodev`, 'ouro-tmp', at], { reject: false });
  if (r.exitCode === 0) return at;
  await rmdir(at).catch(() => {});
  tmpCapUnavailable = true;
  process.stderr.write(`ouro: cannot mount a size-capped /tmp for candidate runs (${String(r.stderr).trim() || 'mount failed'}): /tmp is uncapped\n`);
  return undefined;
}

async function releaseTmp(at: string): Promise<void> {
  await execa('umount', ['-l', at], { reject: false });
  await rmdir(at).catch(() => {});
}

/** Unmounts capped /tmp folders a dead worker left under a run's folder (before it is removed). */
export async function releaseLeftoverTmps(root: string): Promise<void> {
  const mounts = await readFile('/proc/self/mounts', 'utf8').catch(() => '');
  for (const line of mounts.split('\n')) {
    const target = line.split(' ')[1]?.replace(/\\040/g, ' ');
    if (target && target.startsWith(`${root}/`) && /\/\.tmp-[^/]+$/.test(target)) await execa('umount', ['-l', target], { reject: false });
  }
}

async function releaseCgroup(cg: RunCgroup | undefined): Promise<{ outOfMemory: boolean }> {
  if (!cg) return { outOfMemory: false };
  const outOfMemory = (await cg.oomKills()) > 0;
  // The cgroup goes once the kernel has let its last process go; the run's result need not wait for that.
  void cg.remove();
  return { outOfMemory };
}

/** Every file lookup of every process, with decoded folders (lib/file-probes.ts reads this). */
const STRACE_OPTIONS = ['-f', '-qq', '--seccomp-bpf', '-y', '-e', 'trace=%file'];

let straceFound: Promise<boolean> | undefined;
/** strace records what the base's run looks for; without it, only the protected globs keep runner configuration the base's. */
export function hasStrace(): Promise<boolean> {
  // The very options the base's run is traced with (an older strace lacks --seccomp-bpf).
  straceFound ??= execa('strace', [...STRACE_OPTIONS, '-o', '/dev/null', '--', 'true'], { reject: false }).then(
    (r) => r.exitCode === 0,
    () => false,
  );
  return straceFound;
}

function traced(file: string, args: string[], traceTo: string | undefined): { file: string; args: string[] } {
  if (!traceTo) return { file, args };
  return { file: 'strace', args: [...STRACE_OPTIONS, '-e', 'signal=none', '-o', traceTo, '--', file, ...args] };
}

/** Builds the command line that runs `command` in `dir` under the sandbox. */
export async function sandboxed(
  dir: string,
  command: string,
  guard: WorkspaceGuard,
  limits: SandboxLimits = DEFAULT_LIMITS,
  extras: SandboxExtras = {},
): Promise<SandboxedCommand> {
  const mode = await sandboxMode();
  // From here until its verify, this workspace may hold a run's leftovers: a guard after a dead worker checks it whole.
  await saveRecord(guard.gitDir, { ...guard.record, settled: false });
  const tools = toolchains();
  const env = { ...scrubbedEnv('/tmp'), ...tools.env, ...extras.env };
  if (mode === 'degraded') {
    const hasPrlimit = existsSync('/usr/bin/prlimit') || existsSync('/bin/prlimit');
    const envArgs = Object.entries({ ...tools.env, ...extras.env }).map(([k, v]) => `${k}=${v}`);
    const inner = hasPrlimit
      ? { file: 'env', args: [...envArgs, 'prlimit', ...prlimitArgs(command, limits)] }
      : { file: 'env', args: [...envArgs, 'sh', '-c', command] };
    const cg = await runCgroup();
    const t = traced(inner.file, inner.args, extras.traceTo);
    return { ...(cg ? inCgroup(cg, t.file, t.args) : t), mode, release: () => releaseCgroup(cg) };
  }
  const readOnly: string[] = [join(dir, '.git')];
  const readOnlyAt: Array<{ src: string; dest: string }> = [];
  const scratch: string[] = [];
  for (const [name, target] of guard.links) {
    // The link may lead through other links (e.g. under /tmp, which the sandbox masks): mount the real folder where the link points.
    const dest = resolve(dir, target);
    const src = await realpath(dest).catch(() => undefined);
    if (!src) continue;
    readOnlyAt.push({ src, dest });
    // Tools write caches inside the dependency folder (vite bundles a vitest.config.ts into
    // node_modules/.vite-temp before it can load it): those get a private, empty tmpfs each run.
    if (name === 'node_modules') {
      for (const cache of NODE_MODULES_SCRATCH) {
        const at = join(src, cache);
        if (
          await mkdir(at, { recursive: true }).then(
            () => true,
            () => false,
          )
        )
          scratch.push(join(dest, cache));
      }
    }
  }
  for (const p of guard.protectedFiles) readOnly.push(join(dir, p));
  // The user's interpreters and compilers, read-only, inside the otherwise hidden home.
  readOnly.push(...tools.bind);
  // Besides the worker's home and the other runs: the folders where host services listen on
  // Unix sockets (docker, databases, D-Bus). A network namespace does not cover sockets named
  // by a path, and read-only mounts do not stop a connect(), so they are hidden.
  const realDir = await realpath(dir);
  const socketDirs = await Promise.all(SOCKET_DIRS.map((d) => realpath(d).catch(() => d)));
  const masked: string[] = [];
  for (const m of [homedir(), workspaceRoot(), ...socketDirs]) {
    if (m === '/' || masked.includes(m) || [dir, realDir].some((d) => `${d}${sep}`.startsWith(`${m}${sep}`))) continue;
    if ((await stat(m).catch(() => undefined))?.isDirectory()) masked.push(m);
  }
  const uid = sandboxUid();
  const tmp = uid !== undefined ? await cappedTmp(dir, limits) : undefined;
  // Only the files the user said the tests may write are the run's; everything else stays root's (frozen).
  if (uid !== undefined) for (const p of guard.writable.keys()) await execa('chown', ['-h', `${uid}:${uid}`, join(dir, p)], { reject: false });
  const args = bwrapArgs({
    workspace: dir,
    command,
    env,
    readOnly: readOnly.filter((p) => existsSync(p)),
    readOnlyAt,
    scratch,
    hidden: tools.hide.filter((h) => existsSync(h)),
    writable: extras.writableDirs,
    masked,
    uid,
    limits,
    tmpFrom: tmp,
  });
  const cg = await runCgroup();
  const t = traced('bwrap', args, extras.traceTo);
  return {
    ...(cg ? inCgroup(cg, t.file, t.args) : t),
    mode,
    release: async () => {
      if (uid !== undefined) for (const p of guard.writable.keys()) await execa('chown', ['-h', '0:0', join(dir, p)], { reject: false });
      if (tmp) await releaseTmp(tmp);
      return releaseCgroup(cg);
    },
  };
}
