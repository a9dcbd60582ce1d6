import { execa } from 'execa';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanUntrackedExcept } from './workspace-git.js';
import { beyond, listTree } from './workspace-listing.js';

// Removing what a run left, so that every run starts from the workspace as
// applied and nothing one run wrote can feed the next (or the benchmark after
// the tests). Judging it comes first (settle.ts); this only takes it away.

/** Removes everything a run created: any file that is neither the workspace's own nor a dependency link. */
export async function removeCreated(dir: string, keep: string[], anyUntracked = true): Promise<void> {
  // A `.git` below the top is never tracked (git refuses it): a run planted a repository, which
  // would hide its folder from git (and so from the clean) and carry hooks for anyone poking at it.
  const prune = keep.flatMap((p) => ['-path', join(dir, p), '-o']);
  await execa(
    'find',
    [dir, '-mindepth', '2', '(', ...prune, '-path', join(dir, '.git'), ')', '-prune', '-o', '-name', '.git', '-prune', '-exec', 'rm', '-rf', '{}', '+'],
    { reject: false },
  );
  if (anyUntracked) await cleanUntrackedExcept(dir, keep);
}

/**
 * What git never lists (an empty folder, a FIFO, a socket) is removed too: a run could otherwise
 * leave the next one an answer in a folder's name. Anything that is neither a file of the workspace
 * as applied, nor a folder holding one, nor there before the first run (`before`: a nested
 * dependency link) goes; `.git` and the top-level dependency links are left alone.
 */
export async function removeStrays(dir: string, files: ReadonlySet<string>, linkNames: string[], before: ReadonlySet<string>): Promise<void> {
  // find lists a folder before what it holds: a stray folder goes whole, and what lay under it is skipped.
  let removed: string | undefined;
  for (const rel of beyond(await listTree(dir, linkNames), files)) {
    if ((removed !== undefined && rel.startsWith(`${removed}/`)) || before.has(rel)) continue;
    await rm(join(dir, rel), { recursive: true, force: true });
    removed = rel;
  }
}
