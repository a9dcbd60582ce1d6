// The train's plan takes the repository's "source" for its own tests (its
// integrated commits are rebuilt from there on any sandbox host), checked as
// a run checks it, before any task is claimed.
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planTrain } from '../../../activities/git/train-plan.js';
import { buildTrainInput } from '../../../core/train/input.js';

let repo: string | undefined;
afterEach(async () => {
  if (repo) await rm(repo, { recursive: true, force: true });
});

async function repoWithConfig(config: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ouro-plan-'));
  await writeFile(join(dir, 'ouro.config.json'), JSON.stringify({ test: 'true', files: ['a.txt'], ...config }));
  await writeFile(join(dir, 'a.txt'), 'a\n');
  const git = (...a: string[]) => execa('git', a, { cwd: dir });
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
  return dir;
}

const plan = (dir: string, run: Record<string, unknown> = {}) =>
  planTrain({ train: 'train-1', input: buildTrainInput({ name: 'p', repo: dir, run }), nowMs: Date.parse('2026-11-30T00:00:00Z') });

describe("a train's source", () => {
  it('comes from ouro.config.json, or the train flag over it, into the suite the train tests', async () => {
    repo = await repoWithConfig({ source: 'git://repo-box/app' });
    expect((await plan(repo)).suite.source).toBe('git://repo-box/app');
    expect((await plan(repo, { source: 'ssh://git@repo-box/app' })).suite.source).toBe('ssh://git@repo-box/app');
  });

  it('is absent when neither gives one (sandbox hosts then use the repository path)', async () => {
    repo = await repoWithConfig({});
    expect((await plan(repo)).suite).not.toHaveProperty('source');
  });

  it.each(['ftp://repo-box/app', 'relative/path', ' '])('refuses %j, as a run would, before claiming any task', async (bad) => {
    repo = await repoWithConfig({ source: bad });
    await expect(plan(repo)).rejects.toThrow(/"source" .*a path or a URL sandbox hosts can fetch/);
  });
});
