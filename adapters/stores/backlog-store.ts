// The backlog on disk: <repo's git dir>/ouro/backlog.json, next to the
// repository it belongs to but outside its history and working tree. The
// CLI (`ouro train add`) and the train's activities both change it, so
// every change is read-modify-write under a lock directory, written whole
// through a rename.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BacklogSchema, emptyBacklog, type Backlog } from '../../core/train/backlog.js';
import { git } from '../git/git.js';
import { describeIssues } from '../../core/run/validation.js';

export async function backlogPath(repo: string): Promise<string> {
  const common = await git(repo, ['rev-parse', '--git-common-dir']);
  return join(isAbsolute(common) ? common : join(repo, common), 'ouro', 'backlog.json');
}

export async function readBacklog(repo: string): Promise<Backlog> {
  return readBacklogAt(await backlogPath(repo));
}

async function readBacklogAt(path: string): Promise<Backlog> {
  if (!existsSync(path)) return emptyBacklog();
  const parsed = BacklogSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a backlog Ouro can read: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** Applies `change` to the backlog under the lock; returns what `change` returned. */
export async function updateBacklog<T>(repo: string, change: (b: Backlog) => { backlog: Backlog; value: T }): Promise<T> {
  const path = await backlogPath(repo);
  await mkdir(join(path, '..'), { recursive: true });
  const lock = `${path}.lock`;
  for (let waited = 0; ; waited += 50) {
    try {
      await mkdir(lock);
      break;
    } catch {
      // A lock older than a minute belongs to a process that died holding it.
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > 60_000) await rm(lock, { recursive: true, force: true });
      if (waited > 30_000) throw new Error(`the backlog is locked (${lock}); remove it if no Ouro process is running`);
      await sleep(50);
    }
  }
  try {
    const { backlog, value } = change(await readBacklogAt(path));
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(backlog, null, 2)}\n`);
    await rename(tmp, path);
    return value;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
