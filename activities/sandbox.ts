import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
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
// it, the worker's home hidden, an unprivileged uid when Ouro runs as root,
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
}

async function topLevelLinks(dir: string): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if ((await lstat(path)).isSymbolicLink()) links.set(name, await readlink(path));
  }
  return links;
}

export async function guardWorkspace(dir: string, protectedGlobs: string[]): Promise<WorkspaceGuard> {
  const isProtected = picomatch(protectedGlobs, { dot: true });
  const tracked = (await git(dir, ['ls-files', '-z'])).split('\0').filter(Boolean);
  return { links: await topLevelLinks(dir), protectedFiles: tracked.filter((p) => isProtected(p)) };
}

/** After a run: protected files byte-identical to the commit, dependency links untouched, no link out of the workspace. */
export async function verifyWorkspace(dir: string, guard: WorkspaceGuard, protectedGlobs: string[]): Promise<string[]> {
  const problems: string[] = [];
  const isProtected = picomatch(protectedGlobs, { dot: true });
  const after = await topLevelLinks(dir).catch(() => new Map<string, string>());
  for (const [name, target] of guard.links) {
    if (after.get(name) !== target) problems.push(`replaced ${name} (a shared dependency link) during its run`);
  }
  const status = (await git(dir, ['status', '--porcelain', '--untracked-files=all', '--ignored=no', '-z'])).split('\0').filter(Boolean);
  for (const entry of status) {
    const path = entry.slice(3);
    if (isProtected(path)) problems.push(`changed the protected file ${path} during its run`);
    const full = join(dir, path);
    const st = await lstat(full).catch(() => undefined);
    if (st?.isSymbolicLink()) {
      const target = await realpath(full).catch(() => undefined);
      if (!target || !`${target}${sep}`.startsWith(`${dir}${sep}`)) problems.push(`created ${path}, a link leading out of the workspace`);
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
  const masked = [homedir(), workspaceRoot()].filter((m) => m !== '/' && !`${dir}${sep}`.startsWith(`${m}${sep}`) && existsSync(m));
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

export function describeSandbox(mode: SandboxMode): string {
  return mode === 'bwrap' ? 'bubblewrap (no network, read-only system, private /tmp and PIDs)' : 'degraded (limits and a scrubbed environment only)';
}

