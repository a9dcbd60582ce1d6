// How a candidate's command is wrapped on Linux: bubblewrap for namespaces
// and mounts, setpriv to drop to an unprivileged uid when Ouro runs as root,
// prlimit for resource limits. Pure: builds the argv, runs nothing.

export interface SandboxLimits {
  /** CPU seconds per process (RLIMIT_CPU). */
  cpuSeconds: number;
  /** Private data segment bytes per process (RLIMIT_DATA; V8 reserves too much address space for RLIMIT_AS). */
  dataBytes: number;
  /** Largest file a process may write (RLIMIT_FSIZE). */
  fileBytes: number;
  openFiles: number;
  /** Processes of the sandbox uid (RLIMIT_NPROC): stops fork bombs. */
  processes: number;
  /** The private /tmp's size (a tmpfs holds RAM): where the host lets Ouro mount one. */
  tmpBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  cpuSeconds: 600,
  dataBytes: 4 * 1024 ** 3,
  fileBytes: 1024 ** 3,
  openFiles: 1024,
  processes: 256,
  tmpBytes: 512 * 1024 ** 2,
};

export interface SandboxSpec {
  workspace: string;
  command: string;
  env: Record<string, string>;
  /** Paths visible read-only even when they lie under a masked folder or inside the workspace. */
  readOnly: string[];
  /** Read-only mounts of `src` at another path `dest` (a dependency link's target under a masked /tmp). */
  readOnlyAt?: Array<{ src: string; dest: string }>;
  /** Host folders bound writable at the same path (a runner's report folder under the masked /tmp). */
  writable?: string[];
  /** Host folders bound writable at another path (a run's private build cache at the path its tool is told). */
  writableAt?: Array<{ src: string; dest: string }>;
  /** Files hidden behind an empty read-only file (secrets inside a bound toolchain folder). */
  hidden?: string[];
  /** A host folder (a size-capped tmpfs mounted for this run) to serve as /tmp; absent: an uncapped private tmpfs. */
  tmpFrom?: string;
  /** Scratch folders inside read-only mounts (a dependency folder's caches), each an empty writable tmpfs for the run. */
  scratch?: string[];
  /** Folders replaced by an empty tmpfs (the worker's home, the workspaces of other runs). */
  masked: string[];
  /** Drop to this uid/gid inside the sandbox (only when Ouro runs as root). */
  uid?: number;
  limits: SandboxLimits;
}

/** Folders strictly between a tmpfs root and each destination, shallowest first. */
export function parentsUnder(dests: string[], roots: string[]): string[] {
  const out = new Set<string>();
  for (const dest of dests) {
    const root = roots.filter((r) => dest.startsWith(`${r}/`)).sort((a, b) => b.length - a.length)[0];
    if (!root) continue;
    const parts = dest.slice(root.length + 1).split('/');
    for (let i = 1; i < parts.length; i++) out.add(`${root}/${parts.slice(0, i).join('/')}`);
  }
  return [...out].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

export function bwrapArgs(s: SandboxSpec): string[] {
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'];
  // A private, world-writable /tmp (the unprivileged uid must write there too), size-capped when the host could mount one.
  if (s.tmpFrom) args.push('--bind', s.tmpFrom, '/tmp');
  else args.push('--perms', '1777', '--tmpfs', '/tmp');
  for (const m of s.masked) args.push('--tmpfs', m);
  // Mount points under a tmpfs need their parent folders; bwrap would create
  // them 0700 (root only), which the unprivileged uid could not traverse.
  const tmpfsRoots = ['/tmp', ...s.masked];
  const dests = [s.workspace, ...(s.writable ?? []), ...(s.writableAt ?? []).map((b) => b.dest), ...s.readOnly, ...(s.readOnlyAt ?? []).map((b) => b.dest)];
  for (const dir of parentsUnder(dests, tmpfsRoots)) args.push('--perms', '0755', '--dir', dir);
  // Order matters: later mounts sit on top of earlier ones.
  args.push('--bind', s.workspace, s.workspace);
  for (const w of s.writable ?? []) args.push('--bind', w, w);
  for (const b of s.writableAt ?? []) args.push('--bind', b.src, b.dest);
  for (const p of s.readOnly) args.push('--ro-bind', p, p);
  for (const b of s.readOnlyAt ?? []) args.push('--ro-bind', b.src, b.dest);
  for (const d of s.scratch ?? []) args.push('--perms', '1777', '--tmpfs', d);
  for (const h of s.hidden ?? []) args.push('--ro-bind', '/dev/null', h);
  args.push(
    // No network, no view of the host's processes, its own hostname and IPC.
    '--unshare-pid',
    '--unshare-net',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--die-with-parent',
    '--new-session',
    '--chdir',
    s.workspace,
    '--clearenv',
  );
  for (const [k, v] of Object.entries(s.env)) args.push('--setenv', k, v);
  args.push('--');
  if (s.uid !== undefined) {
    args.push('setpriv', `--reuid=${s.uid}`, `--regid=${s.uid}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--');
  }
  const l = s.limits;
  args.push(
    'prlimit',
    `--cpu=${l.cpuSeconds}`,
    `--data=${l.dataBytes}`,
    `--fsize=${l.fileBytes}`,
    `--nofile=${l.openFiles}`,
    `--nproc=${l.processes}`,
    '--',
    'sh',
    '-c',
    s.command,
  );
  return args;
}

/** The degraded fallback (no bubblewrap): limits only, the command otherwise as is. */
export function prlimitArgs(command: string, l: SandboxLimits): string[] {
  return [`--cpu=${l.cpuSeconds}`, `--data=${l.dataBytes}`, `--fsize=${l.fileBytes}`, `--nofile=${l.openFiles}`, '--', 'sh', '-c', command];
}
