// A run's scratch space removed: its worktrees, its folder, and refs it pinned.
// Here rather than in an activity because both queues need it: the git queue's
// cleanupRun, and the sandbox queue's hidden-test judge, which checks out a
// committed run on its own host; one queue's activities never import another's.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { CleanupRequest } from '../../core/contracts/git.js';
import { releaseLeftoverTmps } from '../sandbox/sandbox.js';
import { git } from './git.js';
import { runDir } from './worktrees.js';

export async function removeRun(req: CleanupRequest): Promise<void> {
  const root = runDir(req.runId);
  // A worker killed mid-run leaves its capped /tmp mounted: unmount before removing anything.
  await releaseLeftoverTmps(root);
  if (existsSync(root) && existsSync(req.repo)) {
    const list = await git(req.repo, ['worktree', 'list', '--porcelain'], { allowFail: true });
    for (const line of list.split('\n')) {
      const path = line.startsWith('worktree ') ? line.slice('worktree '.length) : undefined;
      if (path && path.startsWith(`${root}/`)) await git(req.repo, ['worktree', 'remove', '--force', path], { allowFail: true });
    }
  }
  await rm(root, { recursive: true, force: true });
  if (existsSync(req.repo)) await git(req.repo, ['worktree', 'prune'], { allowFail: true });
  if (req.refPrefix?.startsWith('refs/ouro/') && existsSync(req.repo)) {
    const refs = await git(req.repo, ['for-each-ref', '--format=%(refname)', req.refPrefix], { allowFail: true });
    for (const ref of refs.split('\n').filter(Boolean)) await git(req.repo, ['update-ref', '-d', ref], { allowFail: true });
  }
}
