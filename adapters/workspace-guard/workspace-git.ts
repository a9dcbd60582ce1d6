import { join } from 'node:path';
import { git } from '../git/git.js';

// Every git command the workspace guard runs, through git.ts's safe runner.
// Git is how the guard sees a workspace: which files are its own (tracked, or
// added by the candidate's patch), which a run created, and the tree id the
// whole workspace must hash to again after every run. The hashing goes
// through a private index in the workspace's git dir, so the workspace's own
// index (and what `git status` says there) is never touched.

/** The workspace's private git dir (where the guard keeps its record) and the commit checked out. */
export async function gitDirAndHead(dir: string): Promise<{ gitDir: string; head: string }> {
  const [gitDir = '', head = ''] = (await git(dir, ['rev-parse', '--absolute-git-dir', 'HEAD'])).split('\n');
  return { gitDir, head };
}

/** Files git does not track, ignored ones included. `allowFail`: a git that fails reads as none. */
export async function untrackedFiles(dir: string, opts: { allowFail?: boolean } = {}): Promise<string[]> {
  return (await git(dir, ['ls-files', '--others', '-z'], opts)).split('\0').filter(Boolean);
}

export async function trackedFiles(dir: string): Promise<string[]> {
  return (await git(dir, ['ls-files', '-z'])).split('\0').filter(Boolean);
}

/** The tree id of everything in the workspace (ignored files included), through a private index kept in its git dir. */
export async function workspaceTree(dir: string, gitDir: string): Promise<string> {
  const env = { GIT_INDEX_FILE: join(gitDir, 'ouro-guard.index') };
  await git(dir, ['add', '--all', '--force', '--', '.'], { env });
  return git(dir, ['write-tree'], { env });
}

/** The paths that differ between two trees. */
export async function changedBetween(dir: string, from: string, to: string): Promise<string[]> {
  return (await git(dir, ['diff-tree', '-r', '--name-only', '-z', from, to], { allowFail: true })).split('\0').filter(Boolean);
}

/** Puts `paths` back from `tree`; git replaces whatever stands at a path (a link, a folder) instead of writing through it. */
export async function restoreFromTree(dir: string, tree: string, paths: string[]): Promise<void> {
  await git(dir, ['restore', `--source=${tree}`, '--worktree', '--', ...paths], { allowFail: true });
}

/** A gitignore pattern matching exactly one path from the top (for `git clean -e`). */
export const exactPattern = (path: string) => `/${path.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`).replace(/ $/, '\\ ')}`;

/** Removes every untracked file and folder, ignored ones included, except the paths in `keep`. */
export async function cleanUntrackedExcept(dir: string, keep: string[]): Promise<void> {
  await git(dir, ['clean', '-ffdqx', ...keep.flatMap((p) => ['-e', exactPattern(p)])], { allowFail: true });
}
