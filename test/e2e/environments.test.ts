// Environments that just work (issue 25): the interpreter a test command
// names lives outside the repository, as a real user's does. A venv made
// under /tmp (the sandbox gives each run a private /tmp) with pytest
// installed into it, a repository elsewhere, and the base run through the
// real activities and sandbox: the venv and its base interpreter are bound
// read-only, so the base runs green instead of `sh: …/bin/python: not found`.
//
// Needs root, bubblewrap, strace and a Python that can make a venv and
// install pytest into it (from pip's cache or the package index).
import { MockActivityEnvironment } from '@temporalio/testing';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasStrace, sandboxMode } from '../../adapters/sandbox/sandbox.js';
import { runTests } from '../../activities/sandbox/test.js';
import { cleanupRun, prepareRun } from '../../activities/git/workspace.js';
import { brokenBaseline } from '../../core/gate/gate.js';
import { DEFAULT_PROTECTED } from '../../core/run/file-rules.js';
import type { TestRunResult } from '../../core/contracts/sandbox.js';

const tag = randomBytes(4).toString('hex');
const usable = process.getuid?.() === 0 && (await sandboxMode().catch(() => 'degraded')) === 'bwrap' && (await hasStrace());
const venv = join('/tmp', `ouro-env-venv-${tag}`);
const made =
  usable &&
  (await execa('python3', ['-m', 'venv', venv], { reject: false })).exitCode === 0 &&
  (await execa(join(venv, 'bin/python'), ['-m', 'pip', 'install', '-q', 'pytest'], { reject: false, timeout: 240_000 })).exitCode === 0;
if (!made) console.warn('environments.test.ts: skipped (needs root, a working bubblewrap, strace, and a venv with pytest)');

const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 120_000 });
const repos: Array<{ repo: string; runId: string }> = [];

async function gitRepo(files: Record<string, string>, ignored: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ouro-env-'));
  for (const [p, c] of Object.entries({ ...files, ...ignored })) {
    await mkdir(dirname(join(dir, p)), { recursive: true });
    await writeFile(join(dir, p), c);
  }
  const git = (...a: string[]) => execa('git', a, { cwd: dir });
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
  return dir;
}

/** The base of a fresh run over `repo`, tested by the real test activity. */
async function baseRun(repo: string, command: string, extra: { linkPaths?: string[] } = {}): Promise<TestRunResult> {
  const runId = `env-${repos.length}-${tag}`;
  repos.push({ repo, runId });
  const prep = await prepareRun({ repo, baseRef: 'HEAD', runId, files: ['**/*.py'], linkPaths: extra.linkPaths ?? [] });
  return (await env.run(runTests, {
    dir: prep.baseDir,
    command,
    timeoutSeconds: 180,
    label: `${runId}-base`,
    protectedPaths: DEFAULT_PROTECTED,
    role: 'base' as const,
  })) as TestRunResult;
}

const MEAN = {
  'stats/__init__.py': '',
  'stats/mean.py': 'def mean(xs):\n    return sum(xs) / len(xs)\n',
  'tests/test_mean.py': 'from stats.mean import mean\n\ndef test_two():\n    assert mean([1, 3]) == 2\n',
};

describe.skipIf(!made)('a test command that names an interpreter outside the repository', () => {
  afterAll(async () => {
    for (const { repo, runId } of repos) {
      await cleanupRun({ repo, runId }).catch(() => {});
      await rm(repo, { recursive: true, force: true });
    }
    await rm(venv, { recursive: true, force: true });
  });

  it('runs the base green with a venv under /tmp named by the command', async () => {
    const repo = await gitRepo(MEAN);
    const base = await baseRun(repo, `${venv}/bin/python -m pytest -q`);
    expect(base.output).not.toMatch(/not found/);
    expect(base.exitCode, base.output).toBe(0);
    expect(base.counts?.passed).toBe(1);
    expect(brokenBaseline(base, '')).toBeUndefined();
  });

  it('runs the base green with a venv under /tmp that PATH leads into', async () => {
    // The venv's own interpreter, not pyenv's or the system's python found further along PATH.
    const repo = await gitRepo({ ...MEAN, 'tests/test_prefix.py': `import sys\n\ndef test_venv():\n    assert sys.prefix == ${JSON.stringify(venv)}\n` });
    const before = process.env.PATH;
    process.env.PATH = `${venv}/bin:${before}`;
    try {
      const base = await baseRun(repo, 'python -m pytest -q');
      expect(base.exitCode, base.output).toBe(0);
      expect(base.counts?.passed).toBe(2);
    } finally {
      process.env.PATH = before;
    }
  });
});
