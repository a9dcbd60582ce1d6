// A candidate as data, with real git: the patch made on the git host rebuilds
// the same tree on another host's mirror (renames, deletions, binary files,
// CRLF, a mode change), and anything else is refused.
import { execa } from 'execa';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candidatePatch, materialize, mirrorRoot, repositoryWith, treeOf, WorkspaceMismatch } from '../../../adapters/git/patch.js';
import { MAX_PATCH_BYTES, type WorkspaceSpec } from '../../../core/contracts/workspace.js';
import { commitCandidate } from '../../../activities/git/commit.js';

let scratch: string;
let repo: string;
let baseSha: string;
const saved = { ws: process.env.OURO_WORKSPACE_ROOT, mirrors: process.env.OURO_MIRROR_ROOT };
const BINARY = Buffer.from([0, 1, 2, 255, 254, 0, 10, 13, 10, 0]);

const git = async (cwd: string, ...args: string[]) => (await execa('git', args, { cwd })).stdout;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ouro-patch-test-'));
  repo = join(scratch, 'repo');
  await mkdir(repo);
  await git(repo, 'init', '-q', '-b', 'main');
  await writeFile(join(repo, 'keep.txt'), 'unchanged\n');
  await writeFile(join(repo, 'old-name.txt'), 'moved soon\n');
  await writeFile(join(repo, 'doomed.txt'), 'deleted soon\n');
  await writeFile(join(repo, 'data.bin'), BINARY);
  await writeFile(join(repo, 'windows.txt'), 'one\r\ntwo\r\n');
  await writeFile(join(repo, 'run.sh'), 'echo hi\n');
  await git(repo, 'add', '-A');
  await git(repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
  baseSha = await git(repo, 'rev-parse', 'HEAD');
  // The sandbox side keeps its workspaces and mirrors apart from the git side's.
  process.env.OURO_WORKSPACE_ROOT = join(scratch, 'host-b');
  process.env.OURO_MIRROR_ROOT = join(scratch, 'host-b-mirrors');
});

afterAll(async () => {
  process.env.OURO_WORKSPACE_ROOT = saved.ws;
  process.env.OURO_MIRROR_ROOT = saved.mirrors;
  if (saved.ws === undefined) delete process.env.OURO_WORKSPACE_ROOT;
  if (saved.mirrors === undefined) delete process.env.OURO_MIRROR_ROOT;
  await rm(scratch, { recursive: true, force: true });
});

/** A worktree on "host A" with every kind of change; its patch and tree. */
async function everyKindOfChange(name: string): Promise<{ patch: string; tree: string; dir: string }> {
  const dir = join(scratch, name);
  await git(repo, 'worktree', 'add', '-q', '--detach', dir, baseSha);
  await rm(join(dir, 'old-name.txt'));
  await writeFile(join(dir, 'new-name.txt'), 'moved soon\n');
  await rm(join(dir, 'doomed.txt'));
  await writeFile(join(dir, 'data.bin'), Buffer.concat([BINARY, Buffer.from([7, 0, 7])]));
  await writeFile(join(dir, 'windows.txt'), 'one\r\ntwo\r\nthree\r\n');
  await chmod(join(dir, 'run.sh'), 0o755);
  await writeFile(join(dir, 'stray.txt'), 'not a change of the candidate\n');
  const changed = ['old-name.txt', 'new-name.txt', 'doomed.txt', 'data.bin', 'windows.txt', 'run.sh'];
  return { ...(await candidatePatch(dir, baseSha, changed)), dir };
}

const spec = (over: Partial<WorkspaceSpec>): WorkspaceSpec => ({
  source: `file://${repo}`,
  baseSha,
  tree: '',
  runId: 'run-1',
  label: 'r1c1',
  ...over,
});

describe('a candidate as a patch', () => {
  it('rebuilds the same tree on another host from its own mirror: rename, deletion, binary, CRLF, mode', async () => {
    const { patch, tree, dir } = await everyKindOfChange('host-a-1');
    // The tree counts only the named changes, not the stray file.
    await git(dir, 'add', '-A', '--', '.', ':!stray.txt');
    expect(await git(dir, 'write-tree')).toBe(tree);
    expect(patch).toContain('GIT binary patch');
    expect(patch).toContain('new mode 100755');

    const cold = await materialize(spec({ patch, tree }));
    try {
      expect(cold.tree).toBe(tree);
      expect(cold.fetched).toBe(true);
      expect(cold.dir.startsWith(join(scratch, 'host-b'))).toBe(true);
      expect(existsSync(join(cold.dir, 'old-name.txt'))).toBe(false);
      expect(existsSync(join(cold.dir, 'doomed.txt'))).toBe(false);
      expect(existsSync(join(cold.dir, 'stray.txt'))).toBe(false);
      expect(await readFile(join(cold.dir, 'new-name.txt'), 'utf8')).toBe('moved soon\n');
      expect(Buffer.compare(await readFile(join(cold.dir, 'data.bin')), Buffer.concat([BINARY, Buffer.from([7, 0, 7])]))).toBe(0);
      expect(await readFile(join(cold.dir, 'windows.txt'), 'utf8')).toBe('one\r\ntwo\r\nthree\r\n');
      expect((await stat(join(cold.dir, 'run.sh'))).mode & 0o111).not.toBe(0);
    } finally {
      await cold.remove();
    }
    expect(existsSync(cold.dir)).toBe(false);
    // The mirror stays: the next workspace needs no fetch.
    const warm = await materialize(spec({ patch, tree, label: 'r1c2' }));
    expect(warm.fetched).toBe(false);
    await warm.remove();
  });

  it('two rebuilds of the same label at once get folders of their own (two benchmarks of one base)', async () => {
    const tree = await treeOf(repo, baseSha);
    const [a, b] = await Promise.all([materialize(spec({ tree, label: 'base', runId: 'run-2' })), materialize(spec({ tree, label: 'base', runId: 'run-2' }))]);
    expect(a.dir).not.toBe(b.dir);
    expect(a.dir.endsWith('/base') && b.dir.endsWith('/base')).toBe(true);
    await a.remove();
    expect(await readFile(join(b.dir, 'keep.txt'), 'utf8')).toBe('unchanged\n');
    await b.remove();
  });

  it('the base alone (no patch) is the base commit itself', async () => {
    const base = await materialize(spec({ tree: await treeOf(repo, baseSha), label: 'base' }));
    expect(await readFile(join(base.dir, 'doomed.txt'), 'utf8')).toBe('deleted soon\n');
    await base.remove();
  });

  it('on the host holding the repository, the repository itself serves: no mirror is made', async () => {
    const { patch, tree } = await everyKindOfChange('host-a-2');
    const mirrors = join(scratch, 'host-b-mirrors-local');
    process.env.OURO_MIRROR_ROOT = mirrors;
    try {
      const local = await materialize(spec({ source: repo, patch, tree, label: 'local' }));
      expect(local.fetched).toBe(false);
      expect(existsSync(mirrors)).toBe(false);
      await local.remove();
    } finally {
      process.env.OURO_MIRROR_ROOT = join(scratch, 'host-b-mirrors');
    }
  });

  it("a mirror follows the source's refs: a pinned commit is fetched by its ref, and a ref the source dropped goes at the next fetch", async () => {
    const pin = async (name: string) => {
      const sha = await git(repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit-tree', await treeOf(repo, baseSha), '-p', baseSha, '-m', name);
      await git(repo, 'update-ref', `refs/ouro/trains/${name}/tested`, sha);
      return sha;
    };
    const trainRefs = async (mirror: string) => (await git(mirror, 'for-each-ref', '--format=%(refname)', 'refs/ouro/trains')).split('\n').filter(Boolean);
    const first = await pin('t1');
    const one = await materialize(spec({ baseSha: first, tree: await treeOf(repo, first), label: 't1' }));
    await one.remove();
    const mirror = (await repositoryWith(`file://${repo}`, first)).repo;
    expect(mirror).not.toBe(repo);
    expect(await trainRefs(mirror)).toEqual(['refs/ouro/trains/t1/tested']);
    await git(repo, 'update-ref', '-d', 'refs/ouro/trains/t1/tested');
    const second = await pin('t2');
    const two = await materialize(spec({ baseSha: second, tree: await treeOf(repo, second), label: 't2' }));
    await two.remove();
    expect(await trainRefs(mirror)).toEqual(['refs/ouro/trains/t2/tested']);
  });

  it('refuses a tampered patch, and a tree other than the one the git host built', async () => {
    const { patch, tree } = await everyKindOfChange('host-a-3');
    const tampered = patch.replace('+three', '+THREE');
    expect(tampered).not.toBe(patch);
    await expect(materialize(spec({ patch: tampered, tree, label: 'tampered' }))).rejects.toThrow(WorkspaceMismatch);
    const garbage = 'diff --git a/keep.txt b/keep.txt\n--- a/keep.txt\n+++ b/keep.txt\n@@ -1 +1 @@\n-not what is there\n+x\n';
    await expect(materialize(spec({ patch: garbage, tree, label: 'garbage' }))).rejects.toThrow(/does not apply/);
    const otherTree = await treeOf(repo, baseSha);
    await expect(materialize(spec({ patch, tree: otherTree, label: 'other-tree' }))).rejects.toThrow(/not the [0-9a-f]{12} the git host built/);
    // Nothing is left behind by a refusal.
    expect(readdirSync(join(scratch, 'host-b', 'run-1', 'sandbox'))).toEqual([]);
    expect(mirrorRoot()).toBe(join(scratch, 'host-b-mirrors'));
  });

  it('a source it cannot fetch, or a commit the source lacks, is a clear (retryable) error', async () => {
    const tree = await treeOf(repo, baseSha);
    const unreachable = materialize(spec({ source: 'file:///nonexistent/ouro-repo', tree, label: 'x' }));
    await expect(unreachable).rejects.toThrow(/cannot fetch file:\/\/\/nonexistent\/ouro-repo into this host's mirror/);
    await expect(unreachable).rejects.not.toThrow(WorkspaceMismatch);
    await expect(materialize(spec({ baseSha: 'f'.repeat(40), tree, label: 'y' }))).rejects.toThrow(/the commit ffffffffffff is not in/);
  });

  it('refuses a patch too big for workflow history', async () => {
    const dir = join(scratch, 'host-a-big');
    await git(repo, 'worktree', 'add', '-q', '--detach', dir, baseSha);
    await writeFile(join(dir, 'keep.txt'), 'x'.repeat(MAX_PATCH_BYTES + 10));
    await expect(candidatePatch(dir, baseSha, ['keep.txt'])).rejects.toThrow(/KiB, over the 1024 KiB a run carries/);
  });

  it('the commit is built from base + patch, and refused when its tree is not the tree that was tested', async () => {
    const { patch, tree, dir } = await everyKindOfChange('host-a-commit');
    // The worktree changes after the test: the commit does not follow it.
    await writeFile(join(dir, 'windows.txt'), 'changed after the test\n');
    const request = {
      repo,
      dir,
      baseSha,
      changed: ['windows.txt'],
      message: 'fix\n\nOuro-Run: run-commit\n',
      trailers: { 'Ouro-Run': 'run-commit' },
      timestampMs: 1_700_000_000_000,
      patch,
    };
    await expect(commitCandidate({ ...request, branch: 'ouro/wrong', tree: await treeOf(repo, baseSha) })).rejects.toThrow(
      /is not the tree [0-9a-f]{12} the tests ran on/,
    );
    expect(await git(repo, 'branch', '--list', 'ouro/wrong')).toBe('');
    const { sha } = await commitCandidate({ ...request, branch: 'ouro/right', tree });
    expect(await treeOf(repo, sha)).toBe(tree);
    expect(await git(repo, 'show', `${sha}:windows.txt`)).toBe('one\r\ntwo\r\nthree'); // execa strips the final CRLF
  });
});
