// The integration and release activities on a real repository, called
// directly (as a retry after a crash would call them): each step redone
// yields the same commit, and what another train did is never overwritten.
import { MockActivityEnvironment } from '@temporalio/testing';
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cherryPickChange, prepareIntegration, publishRelease } from '../../activities/git/integrate.js';
import type { CherryPickResult } from '../../core/contracts/train.js';
import { cleanupRun } from '../../activities/git/workspace.js';
import { gitLines } from '../helpers/harness.js';

const env = new MockActivityEnvironment();
const run = <A extends unknown[], R>(fn: (...a: A) => Promise<R>, ...a: A) => env.run(fn, ...a) as Promise<R>;
const train = `integrate-test-${process.pid}`;
let repo: string;
const git = (...a: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: repo }).then((r) => r.stdout);

/** A branch off main that sets `file` to `content`; returns its commit. */
async function change(branch: string, file: string, content: string): Promise<string> {
  await git('checkout', '-q', '-b', branch, 'main');
  await writeFile(join(repo, file), content);
  await git('commit', '-qam', `change ${file} on ${branch}`);
  await git('checkout', '-q', 'main');
  return git('rev-parse', branch);
}

describe('integration activities', () => {
  let base: string;
  let dir: string;
  beforeAll(async () => {
    repo = await mkdtemp(join(tmpdir(), 'ouro-integrate-'));
    await git('init', '-q', '-b', 'main');
    await writeFile(join(repo, 'a.txt'), 'a\n');
    await writeFile(join(repo, 'b.txt'), 'b\n');
    await git('add', '-A');
    await git('commit', '-qm', 'base');
    base = await git('rev-parse', 'HEAD');
    dir = (await run(prepareIntegration, { repo, train, sha: base, linkPaths: [] })).dir;
  });
  afterAll(async () => {
    await cleanupRun({ repo, runId: train });
    await rm(repo, { recursive: true, force: true });
  });

  it('a redone cherry-pick gives the same commit; a conflict and an empty change are reported, the head kept', async () => {
    const one = await change('one', 'a.txt', 'a from one\n');
    const clash = await change('clash', 'a.txt', 'a from clash\n');
    const req = { dir, onto: base, commit: one, trailers: { 'Ouro-Task': 'one' }, timestampMs: 1_764_000_000_000 };
    const first = (await run(cherryPickChange, req)) as Extract<CherryPickResult, { ok: true }>;
    expect(first.ok).toBe(true);
    const again = (await run(cherryPickChange, req)) as Extract<CherryPickResult, { ok: true }>;
    expect(again.sha).toBe(first.sha);
    expect(await gitLines(dir, 'log', '-1', '--format=%(trailers:key=Ouro-Task,valueonly)')).toEqual(['one']);
    expect(await gitLines(dir, 'log', '-1', '--format=%B')).toContain(`(cherry picked from commit ${one})`);

    const conflict = await run(cherryPickChange, { ...req, onto: first.sha, commit: clash });
    expect(conflict).toMatchObject({ ok: false, conflict: ['a.txt'] });
    expect((await gitLines(dir, 'rev-parse', 'HEAD'))[0]).toBe(first.sha);
    expect(await gitLines(dir, 'status', '--porcelain', '--untracked-files=no')).toEqual([]);
    const empty = await run(cherryPickChange, { ...req, onto: first.sha });
    expect(empty).toMatchObject({ ok: false, message: expect.stringMatching(/already contain it/) });
  });

  it('publishing twice makes one CHANGELOG commit, one tag and one branch move; a tag or branch moved by someone else is refused', async () => {
    const head = (await gitLines(dir, 'rev-parse', 'HEAD'))[0]!;
    const req = {
      repo,
      dir,
      head,
      tag: 'v0.1.0',
      releaseBranch: 'release',
      changelogEntry: '## v0.1.0 (2026-11-24)\n\n- one\n',
      tagMessage: 'v0.1.0\n\n- one\n',
      timestampMs: 1_764_000_100_000,
    };
    const first = await run(publishRelease, req);
    const again = await run(publishRelease, req);
    expect(again.sha).toBe(first.sha);
    expect(await gitLines(repo, 'tag', '-l')).toEqual(['v0.1.0']);
    expect((await gitLines(repo, 'rev-parse', 'release'))[0]).toBe(first.sha);
    expect((await gitLines(repo, 'rev-parse', 'v0.1.0^{commit}'))[0]).toBe(first.sha);
    expect(await gitLines(repo, 'show', 'v0.1.0:CHANGELOG.md')).toEqual(['# Changelog', '## v0.1.0 (2026-11-24)', '- one']);

    // Same tag name for different content: refused, nothing moved.
    await expect(run(publishRelease, { ...req, changelogEntry: '## other\n', expectedTip: first.sha })).rejects.toThrow(/tag v0.1.0 already exists/);
    // The release branch moved since the train started: refused, the branch is left alone.
    await expect(run(publishRelease, { ...req, tag: 'v0.2.0', expectedTip: base })).rejects.toThrow(/release branch release moved/);
    expect((await gitLines(repo, 'rev-parse', 'release'))[0]).toBe(first.sha);
    expect(await gitLines(repo, 'tag', '-l')).toEqual(['v0.1.0']); // the refusal came before any tag
  });
});
