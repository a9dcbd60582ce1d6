import picomatch from 'picomatch';
import type { FileSnapshot } from '../../core/contracts/git.js';
import type { PromoteRequest, ReadProgramRequest, ReadProgramResult, StoreProgramRequest } from '../../core/contracts/evolve.js';
import { git, gitOk } from '../../adapters/git/git.js';
import { ouroIdentity } from './commit.js';

// The git queue's evolve activities: read a program (its files, and what the
// inspirations changed), keep a scored program as a commit under its own ref,
// and promote a program onto the evolve branch. Commits are built with
// plumbing from fixed inputs, so a retry makes the very same object.

/** The most of one inspiration's diff shown to the model. */
const MAX_INSPIRATION_DIFF = 3000;

async function allowedPaths(repo: string, sha: string, globs: string[]): Promise<string[]> {
  const isAllowed = picomatch(globs, { dot: true });
  return (await git(repo, ['ls-tree', '-r', '--name-only', '-z', sha])).split('\0').filter((p) => p && isAllowed(p));
}

export async function readProgram(req: ReadProgramRequest): Promise<ReadProgramResult> {
  const files: FileSnapshot[] = [];
  for (const path of await allowedPaths(req.repo, req.sha, req.files)) {
    files.push({ path, content: await git(req.repo, ['show', `${req.sha}:${path}`], { raw: true }) });
  }
  const inspirations = [];
  for (const i of req.inspirations) {
    const diff = await git(req.repo, ['diff', '--no-ext-diff', '--no-color', req.baseSha, i.sha, '--', ...req.files], { raw: true });
    inspirations.push({ id: i.id, diff: diff.length > MAX_INSPIRATION_DIFF ? `${diff.slice(0, MAX_INSPIRATION_DIFF)}\n[… cut]` : diff });
  }
  return { files, inspirations };
}

/** Bytes of the files the model may change, in a tree or commit. */
export async function codeSize(repo: string, treeish: string, globs: string[]): Promise<number> {
  let bytes = 0;
  for (const path of await allowedPaths(repo, treeish, globs)) bytes += Number(await git(repo, ['cat-file', '-s', `${treeish}:${path}`]));
  return bytes;
}

/** A scored program kept as a commit (parent: the program it was drafted from) under its own ref. */
export async function storeProgram(req: StoreProgramRequest): Promise<{ sha: string; sizeBytes: number }> {
  const sha = await git(req.repo, ['commit-tree', req.tree, '-p', req.parentSha, '-F', '-'], { env: ouroIdentity(req.timestampMs), input: req.message });
  await git(req.repo, ['update-ref', req.ref, sha]);
  return { sha, sizeBytes: await codeSize(req.repo, sha, req.files) };
}

/** The promoted program's tree as the next commit of the evolve branch: one gated improvement per commit, each revertable. */
export async function promoteProgram(req: PromoteRequest): Promise<{ sha: string }> {
  const ref = `refs/heads/${req.branch}`;
  const exists = await gitOk(req.repo, ['rev-parse', '--verify', '--quiet', ref]);
  const tip = exists ? await git(req.repo, ['rev-parse', ref]) : req.baseSha;
  if (exists) {
    const found = await git(req.repo, ['log', '--format=%H', '--fixed-strings', `--grep=${req.programTrailer}`, `${req.baseSha}..${ref}`]);
    if (found) return { sha: found.split('\n')[0]! };
  }
  const sha = await git(req.repo, ['commit-tree', req.tree, '-p', tip, '-F', '-'], { env: ouroIdentity(req.timestampMs), input: req.message });
  await git(req.repo, ['update-ref', '-m', 'ouro evolve: promote', ref, sha, exists ? tip : '0'.repeat(40)]);
  return { sha };
}
