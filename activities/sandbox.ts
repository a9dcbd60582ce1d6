import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, readlink, realpath, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { bwrapArgs, DEFAULT_LIMITS, prlimitArgs, type SandboxLimits } from '../lib/sandbox-args.js';
import { workspaceRoot } from './workspace.js';
import { git } from './git.js';
import { scrubbedEnv } from './process.js';
import type { SandboxMode } from '../lib/run-types.js';

// Where candidate code runs. With bubblewrap (Linux): no network, a private
// /tmp and PID namespace, the whole filesystem read-only except the
// workspace, protected files and shared dependencies read-only even inside
// it, the worker's home and the usual host socket folders (/run, /var/tmp)
// hidden, an unprivileged uid when Ouro runs as root,
// and rlimits. Without it (macOS, locked-down containers): rlimits and the
// scrubbed environment only, reported as `degraded`.


let detected: Promise<SandboxMode> | undefined;

/** Decided once per worker: OURO_SANDBOX=off forces degraded, =required refuses to run without bubblewrap. */
export function sandboxMode(): Promise<SandboxMode> {
  detected ??= (async () => {
    const wanted = (process.env.OURO_SANDBOX ?? 'auto').toLowerCase();
    if (wanted === 'off') return 'degraded';
    const probe = await execa('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--unshare-net', '--die-with-parent', '--', 'true'], { reject: false });
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

/** A uid per concurrent run, so RLIMIT_NPROC counts only that run's processes. */
let nextUid = 0;
function sandboxUid(): number | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return 61_000 + (nextUid++ % 1000);
}

/** What a run must leave as it found it: symlinked dependencies and protected files. */
export interface WorkspaceGuard {
  links: Map<string, string>;
  protectedFiles: string[];
  /** Tampering found before this run (left by an earlier run in the same workspace, e.g. an attempt that crashed). */
  before: string[];
}

async function topLevelLinks(dir: string): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if ((await lstat(path)).isSymbolicLink()) links.set(name, await readlink(path));
  }
  return links;
}

/**
 * The dependency links a workspace had when first guarded, kept in its private
 * git dir (which the sandbox can neither see under /tmp nor write anywhere):
 * a later run in the same workspace (an activity retry, the benchmark after
 * the tests) must compare against that, not against what an earlier run left.
 */
async function recordedLinks(dir: string): Promise<Map<string, string>> {
  const gitDir = await git(dir, ['rev-parse', '--absolute-git-dir']);
  const record = join(gitDir, 'ouro-guard.json');
  const saved = await readFile(record, 'utf8').then((t) => JSON.parse(t) as Record<string, string>, () => undefined);
  if (saved) return new Map(Object.entries(saved));
  const links = await topLevelLinks(dir);
  // Best effort: without the record, a later run compares against the state it finds, as before.
  await writeFile(record, JSON.stringify(Object.fromEntries(links))).catch(() => undefined);
  return links;
}

export async function guardWorkspace(dir: string, protectedGlobs: string[]): Promise<WorkspaceGuard> {
  // A worker killed mid-run leaves the workspace owned by the sandbox uid: take it back first.
  if (process.getuid?.() === 0 && (await lstat(dir)).uid !== 0) await execa('chown', ['-R', '-h', '0:0', dir], { reject: false });
  const isProtected = picomatch(protectedGlobs, { dot: true });
  const tracked = (await git(dir, ['ls-files', '-z'])).split('\0').filter(Boolean);
  const guard: WorkspaceGuard = { links: await recordedLinks(dir), protectedFiles: tracked.filter((p) => isProtected(p)), before: [] };
  // Checked before the run as well: a run could otherwise undo, at its end, what an earlier run planted.
  guard.before = await verifyWorkspace(dir, guard, protectedGlobs, 'before its run (left by an earlier run in this workspace)');
  return guard;
}

/** After a run: protected files byte-identical to the commit, dependency links untouched, no link out of the workspace. */
export async function verifyWorkspace(dir: string, guard: WorkspaceGuard, protectedGlobs: string[], when = 'during its run'): Promise<string[]> {
  const problems: string[] = [...guard.before];
  // What was already wrong before the run is reported once, as such.
  const add = (what: string) => {
    if (!guard.before.some((b) => b.startsWith(`${what} `))) problems.push(`${what} ${when}`);
  };
  const isProtected = picomatch(protectedGlobs, { dot: true });
  const after = await topLevelLinks(dir).catch(() => new Map<string, string>());
  for (const [name, target] of guard.links) {
    if (after.get(name) !== target) add(`replaced ${name} (a shared dependency link)`);
  }
  const status = (await git(dir, ['status', '--porcelain', '--untracked-files=all', '--ignored=no', '-z'])).split('\0').filter(Boolean);
  for (const entry of status) {
    const path = entry.slice(3);
    if (isProtected(path)) add(`changed the protected file ${path}`);
    const full = join(dir, path);
    const st = await lstat(full).catch(() => undefined);
    if (st?.isSymbolicLink()) {
      const target = await realpath(full).catch(() => undefined);
      if (!target || !`${target}${sep}`.startsWith(`${dir}${sep}`)) add(`created ${path}, a link leading out of the workspace`);
    }
  }
  return [...new Set(problems)].slice(0, 10);
}

export interface SandboxedCommand {
  file: string;
  args: string[];
  mode: SandboxMode;
  /** Undo what preparing did (ownership) once the command has ended. */
  release(): Promise<void>;
}

/** Builds the command line that runs `command` in `dir` under the sandbox. */
export async function sandboxed(dir: string, command: string, guard: WorkspaceGuard, limits: SandboxLimits = DEFAULT_LIMITS): Promise<SandboxedCommand> {
  const mode = await sandboxMode();
  if (mode === 'degraded') {
    const hasPrlimit = existsSync('/usr/bin/prlimit') || existsSync('/bin/prlimit');
    return { file: hasPrlimit ? 'prlimit' : 'sh', args: hasPrlimit ? prlimitArgs(command, limits) : ['-c', command], mode, release: async () => {} };
  }
  const readOnly: string[] = [join(dir, '.git')];
  const readOnlyAt: Array<{ src: string; dest: string }> = [];
  for (const target of guard.links.values()) {
    // The link may lead through other links (e.g. under /tmp, which the sandbox masks): mount the real folder where the link points.
    const dest = resolve(dir, target);
    const src = await realpath(dest).catch(() => undefined);
    if (src) readOnlyAt.push({ src, dest });
  }
  for (const p of guard.protectedFiles) readOnly.push(join(dir, p));
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
  if (uid !== undefined) await execa('chown', ['-R', '-h', `${uid}:${uid}`, dir]);
  return {
    file: 'bwrap',
    args: bwrapArgs({ workspace: dir, command, env: scrubbedEnv('/tmp'), readOnly: readOnly.filter((p) => existsSync(p)), readOnlyAt, masked, uid, limits }),
    mode,
    release: async () => {
      // Back to the worker's uid: git refuses repositories owned by someone else.
      if (uid !== undefined) await execa('chown', ['-R', '-h', `${process.getuid!()}:${process.getgid!()}`, dir], { reject: false });
    },
  };
}


