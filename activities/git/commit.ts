import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommitRequest, CommitResult } from '../../core/contracts/git.js';
import { RUN_TRAILER } from '../../core/run/trailers.js';
import { git, gitOk } from '../../adapters/git/git.js';
import { configError } from '../../adapters/errors.js';

/** The null sha: `update-ref <ref> <new> ZERO` creates a ref only if it does not exist yet. */
export const ZERO = '0000000000000000000000000000000000000000';

/** Ouro as author and committer at a given time: with fixed inputs, the same commit sha on every retry. */
export function ouroIdentity(timestampMs: number): Record<string, string> {
  const date = `${Math.floor(timestampMs / 1000)} +0000`;
  return {
    GIT_AUTHOR_NAME: 'Ouro',
    GIT_AUTHOR_EMAIL: 'ouro@localhost',
    GIT_COMMITTER_NAME: 'Ouro',
    GIT_COMMITTER_EMAIL: 'ouro@localhost',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  };
}

// Idempotent by construction: the commit object is built with plumbing from
// fixed inputs (tree, parent, message, the workflow's timestamp), so a retry
// produces the very same sha; and before writing, the target branch is
// searched for a commit carrying this run's `Ouro-Run` trailer.

async function findRunCommit(repo: string, branch: string, baseSha: string, runId: string): Promise<string | undefined> {
  if (!(await gitOk(repo, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]))) return undefined;
  const out = await git(repo, ['log', '--format=%H', '--fixed-strings', `--grep=${RUN_TRAILER}: ${runId}`, `${baseSha}..refs/heads/${branch}`]);
  return out.split('\n').find(Boolean);
}

/** The worktree that has `branch` checked out, if any (`git worktree list --porcelain`). */
export async function checkedOutAt(repo: string, branch: string): Promise<string | undefined> {
  const list = await git(repo, ['worktree', 'list', '--porcelain']);
  let current: string | undefined;
  for (const line of list.split('\n')) {
    if (line.startsWith('worktree ')) current = line.slice('worktree '.length);
    if (line === `branch refs/heads/${branch}`) return current;
  }
  return undefined;
}

async function writeCommit(req: CommitRequest): Promise<string> {
  // A private index: the candidate's worktree index and the user's stay untouched.
  const scratch = await mkdtemp(join(tmpdir(), 'ouro-index-'));
  const env = { GIT_INDEX_FILE: join(scratch, 'index') };
  try {
    await git(req.repo, ['read-tree', req.baseSha], { env });
    if (req.patch !== undefined) {
      // The very change the sandbox rebuilt and tested: base + patch, whatever became of the worktree since.
      await git(req.repo, ['-c', 'core.autocrlf=false', 'apply', '--cached', '--binary', '-'], { env, input: req.patch });
    } else {
      // Only the files the candidate changed: never sweep anything else in.
      await git(req.dir, ['read-tree', req.baseSha], { env });
      await git(req.dir, ['add', '--', ...req.changed], { env });
    }
    const tree = await git(req.repo, ['write-tree'], { env });
    if (req.tree !== undefined && tree !== req.tree) {
      throw configError(`refused: the commit's tree ${tree.slice(0, 12)} is not the tree ${req.tree.slice(0, 12)} the tests ran on`);
    }
    const baseTree = await git(req.repo, ['rev-parse', `${req.baseSha}^{tree}`]);
    if (tree === baseTree) throw configError('the candidate changes nothing; Ouro never makes an empty commit');
    const identity = ouroIdentity(req.timestampMs);
    return await git(req.repo, ['commit-tree', tree, '-p', req.baseSha, '-F', '-'], { env: identity, input: req.message });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export async function commitCandidate(req: CommitRequest): Promise<CommitResult> {
  const runId = req.trailers[RUN_TRAILER] ?? '';
  const existing = await findRunCommit(req.repo, req.branch, req.baseSha, runId);
  if (existing) return { sha: existing, reused: true };

  const sha = await writeCommit(req);
  const ref = `refs/heads/${req.branch}`;
  const tip = (await git(req.repo, ['rev-parse', '--verify', '--quiet', ref], { allowFail: true })) || undefined;
  if (tip && tip !== req.baseSha) {
    throw configError(
      `branch ${req.branch} moved from the run's base ${req.baseSha.slice(0, 10)} to ${tip.slice(0, 10)}; commit ${sha.slice(0, 10)} was left unreferenced (git branch <name> ${sha.slice(0, 10)} keeps it)`,
    );
  }
  const checkout = tip ? await checkedOutAt(req.repo, req.branch) : undefined;
  if (checkout) {
    // Moving a checked-out branch behind git's back would leave that checkout
    // looking modified: fast-forward it instead, and only when it is clean.
    const dirty = await git(checkout, ['status', '--porcelain', '--untracked-files=no']);
    if (dirty)
      throw configError(`branch ${req.branch} is checked out with uncommitted changes in ${checkout}; commit or stash them, or run with another --branch`);
    await git(checkout, ['merge', '--ff-only', '--quiet', sha]);
  } else {
    await git(req.repo, ['update-ref', '-m', `ouro: ${runId}`, ref, sha, tip ?? ZERO]);
  }
  return { sha, reused: false };
}
