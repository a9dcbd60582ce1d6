// Integration and release (ouro-git queue). Every step is idempotent, so a
// worker killed mid-step and retried leaves no duplicate and no half-made
// release: commits are built with plumbing from fixed inputs (tree,
// parent, message, the workflow's clock), so a redo yields the same sha;
// refs move with compare-and-swap; an annotated tag is one atomic ref write.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prependChangelog } from '../../core/train/release-notes.js';
import { commitMessage } from '../../core/run/trailers.js';
import { checkedOutAt, ouroIdentity as identity, ZERO } from './commit.js';
import type { CherryPickRequest, CherryPickResult, PublishRequest } from '../../core/contracts/train.js';
import { configError } from '../../adapters/errors.js';
import { git, gitOk } from '../../adapters/git/git.js';
import { assertRepo, freshWorktree, runDir } from '../../adapters/git/worktrees.js';

/** The train's integration worktree, detached at `sha` (replaced if an earlier attempt left one). */
export async function prepareIntegration(req: { repo: string; train: string; sha: string; linkPaths: string[]; name?: string }): Promise<{ dir: string }> {
  await assertRepo(req.repo);
  const dir = join(runDir(req.train), req.name ?? 'integration');
  await freshWorktree(req.repo, dir, req.sha, req.linkPaths);
  return { dir };
}

/** Moves the integration worktree to `sha` (after a dropped change, or to probe one during a bisect). */
export async function resetIntegration(req: { dir: string; sha: string }): Promise<void> {
  await git(req.dir, ['cherry-pick', '--quit'], { allowFail: true });
  await git(req.dir, ['reset', '--hard', '--quiet', req.sha]);
}

/**
 * Keeps `sha` reachable under `ref`, so that a sandbox host's mirror can fetch it (an integration
 * commit is on no branch), and says its tree, which the host checks its workspace against.
 */
export async function pinCommit(req: { repo: string; sha: string; ref: string }): Promise<{ tree: string }> {
  await git(req.repo, ['update-ref', req.ref, req.sha]);
  return { tree: await git(req.repo, ['rev-parse', `${req.sha}^{tree}`]) };
}

/** Applies one accepted change on top of `onto`; a conflict leaves the worktree at `onto`. */
export async function cherryPickChange(req: CherryPickRequest): Promise<CherryPickResult> {
  await resetIntegration({ dir: req.dir, sha: req.onto });
  const picked = await gitOk(req.dir, ['cherry-pick', '--no-commit', '--allow-empty', req.commit]);
  if (!picked) {
    const conflict = (await git(req.dir, ['diff', '--name-only', '--diff-filter=U'], { allowFail: true })).split('\n').filter(Boolean);
    await resetIntegration({ dir: req.dir, sha: req.onto });
    return { ok: false, conflict, message: `conflicts with the changes integrated before it${conflict.length ? ` in ${conflict.join(', ')}` : ''}` };
  }
  const tree = await git(req.dir, ['write-tree']);
  if (tree === (await git(req.dir, ['rev-parse', `${req.onto}^{tree}`]))) {
    await resetIntegration({ dir: req.dir, sha: req.onto });
    return { ok: false, conflict: [], message: 'the integrated changes already contain it (nothing left to apply)' };
  }
  const original = await git(req.dir, ['log', '-1', '--format=%B', req.commit]);
  const subject = original.split('\n')[0]!;
  const body = original.split('\n').slice(1).join('\n').trim();
  const message = commitMessage(subject, `${body}\n\n(cherry picked from commit ${req.commit})`.trim(), req.trailers);
  const sha = await git(req.dir, ['commit-tree', tree, '-p', req.onto, '-F', '-'], { env: identity(req.timestampMs), input: message });
  await git(req.dir, ['reset', '--hard', '--quiet', sha]);
  return { ok: true, sha };
}

/**
 * CHANGELOG commit on the integrated head → annotated tag → release branch,
 * in that order, each step skipped when an earlier attempt already did it.
 */
export async function publishRelease(req: PublishRequest): Promise<{ sha: string }> {
  const env = identity(req.timestampMs);
  const existing = (await git(req.repo, ['show', `${req.head}:CHANGELOG.md`], { allowFail: true, raw: true })) || '';
  const blob = await git(req.repo, ['hash-object', '-w', '--stdin'], { input: prependChangelog(existing, req.changelogEntry) });
  const scratch = await mkdtemp(join(tmpdir(), 'ouro-index-'));
  let sha: string;
  try {
    const indexEnv = { GIT_INDEX_FILE: join(scratch, 'index') };
    await git(req.repo, ['read-tree', req.head], { env: indexEnv });
    await git(req.repo, ['update-index', '--add', '--cacheinfo', `100644,${blob},CHANGELOG.md`], { env: indexEnv });
    const tree = await git(req.repo, ['write-tree'], { env: indexEnv });
    sha = await git(req.repo, ['commit-tree', tree, '-p', req.head, '-F', '-'], { env, input: `Release ${req.tag}\n\n${req.changelogEntry}` });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }

  // Every refusal comes before the tag is written: a refused release leaves no orphan tag behind.
  const branchRef = `refs/heads/${req.releaseBranch}`;
  const tip = await git(req.repo, ['rev-parse', '--verify', '--quiet', branchRef], { allowFail: true });
  if (tip !== sha && (tip || undefined) !== req.expectedTip) {
    throw configError(
      `release branch ${req.releaseBranch} moved to ${tip ? tip.slice(0, 10) : '(deleted)'} while the train ran (expected ${req.expectedTip?.slice(0, 10) ?? 'no branch'}); nothing was tagged`,
    );
  }
  const checkout = tip && tip !== sha ? await checkedOutAt(req.repo, req.releaseBranch) : undefined;
  if (checkout && (await git(checkout, ['status', '--porcelain', '--untracked-files=no']))) {
    throw configError(`release branch ${req.releaseBranch} is checked out with uncommitted changes in ${checkout}; nothing was tagged`);
  }
  const tagRef = `refs/tags/${req.tag}`;
  const tagged = await git(req.repo, ['rev-parse', '--verify', '--quiet', `${tagRef}^{commit}`], { allowFail: true });
  if (tagged && tagged !== sha)
    throw configError(`tag ${req.tag} already exists at ${tagged.slice(0, 10)}; another train released it (bump rule or tag prefix?)`);
  if (!tagged) await git(req.repo, ['tag', '-a', req.tag, sha, '-F', '-'], { env, input: req.tagMessage });

  if (tip !== sha) {
    if (checkout) await git(checkout, ['merge', '--ff-only', '--quiet', sha]);
    else await git(req.repo, ['update-ref', '-m', `ouro: release ${req.tag}`, branchRef, sha, tip || ZERO]);
  }
  return { sha };
}
