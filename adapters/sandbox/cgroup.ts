import { existsSync, rmdirSync } from 'node:fs';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// Memory in aggregate. RLIMIT_DATA bounds each process; a run that forks ten
// processes (or fills a tmpfs) could still pin the host's RAM. Each candidate
// run therefore gets a memory cgroup of its own (cgroup v2, or v1's memory
// controller), created under the worker's own cgroup: when the run's
// processes together pass the limit, the kernel kills them, and the result
// says so. Where no cgroup can be made (no root, a read-only /sys/fs/cgroup),
// Ouro says so once and runs with the per-process limits only.

export interface RunCgroup {
  /** The file a process writes its pid to, to join. */
  procs: string;
  /** How many of the run's processes the kernel killed for memory. */
  oomKills(): Promise<number>;
  remove(): Promise<void>;
}

interface Hierarchy {
  version: 1 | 2;
  /** Where this worker's run cgroups are made. */
  parent: string;
}

let hierarchy: Promise<Hierarchy | undefined> | undefined;
let next = 0;

async function ownPath(controller: string | undefined): Promise<string> {
  const lines = (await readFile('/proc/self/cgroup', 'utf8').catch(() => '')).split('\n');
  const line = lines.find((l) => (controller ? l.split(':')[1]?.split(',').includes(controller) : l.startsWith('0::')));
  return line?.split(':').slice(2).join(':') ?? '/';
}

/** The worker's parent cgroup goes with it (an empty cgroup can be removed; a busy one is left to the kernel). */
function removeOnExit(parent: string): void {
  process.once('exit', () => {
    try {
      rmdirSync(parent);
    } catch {
      /* still in use, or gone */
    }
  });
}

async function findHierarchy(): Promise<Hierarchy | undefined> {
  if (process.getuid?.() !== 0 || process.env.OURO_SANDBOX_CGROUP === 'off') return undefined;
  // cgroup v1's memory controller (its own mount), under this process's memory cgroup.
  if (existsSync('/sys/fs/cgroup/memory/cgroup.procs')) {
    const parent = join('/sys/fs/cgroup/memory', await ownPath('memory'), `ouro-${process.pid}`);
    if (
      await mkdir(parent, { recursive: true }).then(
        () => true,
        () => false,
      )
    ) {
      removeOnExit(parent);
      return { version: 1, parent };
    }
  }
  // cgroup v2: children of the root (exempt from the no-internal-process rule) with memory enabled.
  if (existsSync('/sys/fs/cgroup/cgroup.controllers')) {
    const controllers = await readFile('/sys/fs/cgroup/cgroup.controllers', 'utf8').catch(() => '');
    if (controllers.split(/\s+/).includes('memory')) {
      await writeFile('/sys/fs/cgroup/cgroup.subtree_control', '+memory').catch(() => {});
      const parent = `/sys/fs/cgroup/ouro-${process.pid}`;
      if (
        await mkdir(parent, { recursive: true }).then(
          () => true,
          () => false,
        )
      ) {
        await writeFile(join(parent, 'cgroup.subtree_control'), '+memory').catch(() => {});
        removeOnExit(parent);
        return { version: 2, parent };
      }
    }
  }
  return undefined;
}

/** The memory limit of one run: OURO_SANDBOX_MEMORY_MB, else 4 GiB. */
export function runMemoryBytes(): number {
  const mb = Number(process.env.OURO_SANDBOX_MEMORY_MB);
  return Number.isFinite(mb) && mb > 0 ? mb * 1024 ** 2 : 4 * 1024 ** 3;
}

let warned = false;

/** A fresh memory cgroup for one run, or undefined where none can be made. */
export async function runCgroup(bytes = runMemoryBytes()): Promise<RunCgroup | undefined> {
  hierarchy ??= findHierarchy();
  const h = await hierarchy;
  const fail = (why: string) => {
    if (!warned) process.stderr.write(`ouro: no memory cgroup for candidate runs (${why}): memory is limited per process only\n`);
    warned = true;
    return undefined;
  };
  if (!h)
    return fail(
      process.env.OURO_SANDBOX_CGROUP === 'off'
        ? 'OURO_SANDBOX_CGROUP=off'
        : process.getuid?.() === 0
          ? 'no writable cgroup hierarchy with a memory controller'
          : 'not running as root',
    );
  const dir = join(h.parent, `run-${next++}`);
  try {
    await mkdir(dir);
    if (h.version === 1) {
      await writeFile(join(dir, 'memory.limit_in_bytes'), String(bytes));
      // Swap counts too where the kernel accounts it, or the limit could be dodged by swapping.
      await writeFile(join(dir, 'memory.memsw.limit_in_bytes'), String(bytes)).catch(() => {});
    } else {
      await writeFile(join(dir, 'memory.max'), String(bytes));
      await writeFile(join(dir, 'memory.swap.max'), '0').catch(() => {});
    }
  } catch (err) {
    await rmdir(dir).catch(() => {});
    return fail((err as Error).message);
  }
  return {
    procs: join(dir, 'cgroup.procs'),
    async oomKills() {
      const text = await readFile(join(dir, h.version === 1 ? 'memory.oom_control' : 'memory.events'), 'utf8').catch(() => '');
      return Number(/^oom_kill (\d+)/m.exec(text)?.[1] ?? 0);
    },
    async remove() {
      // Its processes are being killed: give the kernel a moment to let the cgroup go.
      for (let i = 0; i < 200; i++) {
        if (
          await rmdir(dir).then(
            () => true,
            () => false,
          )
        )
          return;
        const left = (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
        for (const pid of left) {
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {
            /* already gone */
          }
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

/** The command line that joins `cgroup` and then runs `file args`. */
export function inCgroup(cgroup: RunCgroup, file: string, args: string[]): { file: string; args: string[] } {
  return { file: 'sh', args: ['-c', 'echo $$ > "$0" && exec "$@"', cgroup.procs, file, ...args] };
}
