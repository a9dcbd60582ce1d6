import { execa } from 'execa';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, rmdir, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { bwrapArgs, DEFAULT_LIMITS, prlimitArgs, type SandboxLimits } from '../../core/sandbox/sandbox-args.js';
import { planToolchains, type ToolchainPlan } from '../../core/sandbox/toolchains.js';
import { planCommandTools, type ToolBind } from '../../core/sandbox/command-tools.js';
import { inCgroup, runCgroup, type RunCgroup } from './cgroup.js';
import { workspaceRoot } from '../git/worktrees.js';
import { PROJECT_ROOT } from '../project-root.js';
import { STATE_DIRS } from '../state-dirs.js';
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
// This file only builds and releases the command line. Keeping the workspace
// as it was given around a run (freezing it, judging and removing what a run
// left, a dead worker's leftovers) is the workspace guard's
// (adapters/workspace-guard/guard.ts): the activity calls it before and
// after the run, and hands the sandbox what to mount (WorkspaceMounts).

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

/** The venv or toolchain a command or its PATH names under a hidden folder (core/sandbox/command-tools.ts), to bind read-only. */
export function commandTools(command: string, dir: string, hidden: string[], path = process.env.PATH ?? ''): ToolBind[] {
  const kind = (p: string) => statSync(p, { throwIfNoEntry: false });
  return planCommandTools({
    command,
    path,
    home: homedir(),
    hidden,
    // Ouro's own checkout too: npm puts its node_modules/.bin on the worker's PATH, and nothing of it is the tests' to see.
    keepOut: [dir, workspaceRoot(), PROJECT_ROOT, STATE_DIRS.data],
    isFile: (p) => kind(p)?.isFile() ?? false,
    isDir: (p) => kind(p)?.isDirectory() ?? false,
    realpath: (p) => {
      try {
        return realpathSync(p);
      } catch {
        return undefined;
      }
    },
    readText: (p) => {
      try {
        return readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
  });
}

/** A uid per concurrent run, so RLIMIT_NPROC counts only that run's processes. */
let nextUid = 0;
function sandboxUid(): number | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return 61_000 + (nextUid++ % 1000);
}

/** What a run is shown of its workspace beyond the folder itself: the workspace guard's links, protected files and writable files. */
export interface WorkspaceMounts {
  /** Top-level dependency links and where they point: the real folders are mounted read-only where the links lead. */
  links: ReadonlyMap<string, string>;
  /** Files of the workspace kept read-only even inside it. */
  protectedFiles: readonly string[];
  /** Files of the workspace the run's uid owns while it runs (as root); everything else stays root's. */
  writable: ReadonlySet<string>;
}

export interface SandboxedCommand {
  file: string;
  args: string[];
  mode: SandboxMode;
  /**
   * Undo what preparing did (ownership, the capped /tmp, the memory cgroup) once the command has ended; says whether
   * memory ran out, and (bubblewrap only) what bwrap wrote to its status fd: core/sandbox/setup-failure.ts reads it.
   */
  release(): Promise<{ outOfMemory: boolean; bwrapStatus?: string }>;
}

export interface SandboxExtras {
  /** Added to the scrubbed environment (a reporter's variables). */
  env?: Record<string, string>;
  /** Host folders the command may write, at the same path (a report folder). */
  writableDirs?: string[];
  /** Host folders bound writable at another path (adapters/sandbox/build-cache.ts: a run's view of the build caches). */
  writableAt?: Array<{ src: string; dest: string }>;
  /** Record every file lookup of the run (strace) into this file. */
  traceTo?: string;
  /** Host folders hidden behind an empty tmpfs besides the usual ones (the judge hides Ouro's own copies of the hidden tests). */
  hide?: string[];
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

/** Every file lookup of every process, with decoded folders (core/gate/file-probes.ts reads this). */
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
  mounts: WorkspaceMounts,
  limits: SandboxLimits = DEFAULT_LIMITS,
  extras: SandboxExtras = {},
): Promise<SandboxedCommand> {
  const mode = await sandboxMode();
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
  for (const [name, target] of mounts.links) {
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
  for (const p of mounts.protectedFiles) readOnly.push(join(dir, p));
  // The user's interpreters and compilers, read-only, inside the otherwise hidden home.
  readOnly.push(...tools.bind);
  // Besides the worker's home and the other runs: the folders where host services listen on
  // Unix sockets (docker, databases, D-Bus). A network namespace does not cover sockets named
  // by a path, and read-only mounts do not stop a connect(), so they are hidden.
  const realDir = await realpath(dir);
  const socketDirs = await Promise.all(SOCKET_DIRS.map((d) => realpath(d).catch(() => d)));
  const masked: string[] = [];
  for (const m of [homedir(), workspaceRoot(), ...socketDirs, ...(extras.hide ?? [])]) {
    if (m === '/' || masked.includes(m) || [dir, realDir].some((d) => `${d}${sep}`.startsWith(`${m}${sep}`))) continue;
    if ((await stat(m).catch(() => undefined))?.isDirectory()) masked.push(m);
  }
  // The venv or toolchain the command names (`/tmp/venv/bin/python -m pytest`) or its PATH leads into, read-only.
  readOnlyAt.push(...commandTools(command, dir, ['/tmp', ...masked], env.PATH));
  const uid = sandboxUid();
  const tmp = uid !== undefined ? await cappedTmp(dir, limits) : undefined;
  // Only the files the user said the tests may write are the run's; everything else stays root's (frozen).
  if (uid !== undefined) for (const p of mounts.writable.keys()) await execa('chown', ['-h', `${uid}:${uid}`, join(dir, p)], { reject: false });
  const args = bwrapArgs({
    workspace: dir,
    command,
    env,
    readOnly: readOnly.filter((p) => existsSync(p)),
    readOnlyAt,
    scratch,
    hidden: tools.hide.filter((h) => existsSync(h)),
    writable: extras.writableDirs,
    writableAt: extras.writableAt,
    masked,
    uid,
    limits,
    tmpFrom: tmp,
  });
  const cg = await runCgroup();
  // bwrap says on fd 3 whether it started the command: its own failures (a bind it could not make) are told from the tests' by that.
  const statusDir = await mkdtemp(join(tmpdir(), 'ouro-bwrap-status-'));
  const statusFile = join(statusDir, 'status');
  const t = traced('bwrap', ['--json-status-fd', '3', ...args], extras.traceTo);
  const withStatus = { file: 'sh', args: ['-c', 'exec 3>"$0" && exec "$@"', statusFile, t.file, ...t.args] };
  return {
    ...(cg ? inCgroup(cg, withStatus.file, withStatus.args) : withStatus),
    mode,
    release: async () => {
      if (uid !== undefined) for (const p of mounts.writable.keys()) await execa('chown', ['-h', '0:0', join(dir, p)], { reject: false });
      if (tmp) await releaseTmp(tmp);
      const bwrapStatus = await readFile(statusFile, 'utf8').catch(() => undefined);
      await rm(statusDir, { recursive: true, force: true });
      return { ...(await releaseCgroup(cg)), bwrapStatus };
    },
  };
}
