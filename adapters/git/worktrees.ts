import { existsSync } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { git, gitOk } from './git.js';
import { configError } from '../errors.js';
import { resolveWorkspaceRoot } from './workspace-root.js';
import { copyIgnored } from './copy-ignored.js';
import { splitLinkPaths } from '../../core/run/workspace-files.js';

// Each candidate gets its own `git worktree` at the base commit, so
// candidates never see each other's files and the user's checkout is never
// touched. Worktrees live outside the repository, under one folder per run.

/** OURO_WORKSPACE_ROOT, else a folder private to this user and this checkout of Ouro (workspace-root.ts). */
export function workspaceRoot(): string {
  return resolveWorkspaceRoot();
}

export function runDir(runId: string): string {
  return join(workspaceRoot(), runId.replace(/[^A-Za-z0-9._-]/g, '_'));
}

export async function assertRepo(repo: string): Promise<void> {
  if (!isAbsolute(repo)) throw configError(`repository path must be absolute: ${repo}`);
  if (!existsSync(repo)) throw configError(`repository not found: ${repo} (run Ouro's git worker on the host that holds it)`);
  if (!(await gitOk(repo, ['rev-parse', '--git-dir']))) throw configError(`not a git repository: ${repo}`);
}

/** A detached worktree at `sha`; an existing one from an earlier attempt is replaced. */
export async function freshWorktree(repo: string, dir: string, sha: string, linkPaths: string[]): Promise<void> {
  if (existsSync(dir)) {
    await git(repo, ['worktree', 'remove', '--force', dir], { allowFail: true });
    await rm(dir, { recursive: true, force: true });
    await git(repo, ['worktree', 'prune']);
  }
  await mkdir(dirname(dir), { recursive: true });
  await git(repo, ['worktree', 'add', '--detach', '--force', dir, sha]);
  const { links, copies } = splitLinkPaths(linkPaths);
  // Dependencies such as node_modules are untracked: share the repo's copy.
  for (const p of links) {
    const source = join(repo, p);
    if (existsSync(source) && !existsSync(join(dir, p))) await symlink(source, join(dir, p));
  }
  // Generated, git-ignored files the tests need (--copy): copied, read-only.
  await copyIgnored(repo, dir, copies);
}
