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
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasStrace, sandboxMode } from '../../adapters/sandbox/sandbox.js';
import { editableInstallWarnings } from '../../adapters/sandbox/editable-check.js';
import { runTests } from '../../activities/sandbox/test.js';
import { applyCandidate, cleanupRun, prepareRun } from '../../activities/git/workspace.js';
import { brokenBaseline } from '../../core/gate/gate.js';
import { DEFAULT_PROTECTED } from '../../core/run/file-rules.js';
import { copyEntry } from '../../core/run/workspace-files.js';
import { wholeFileReply } from '../helpers/hostile.js';
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

/** A fresh run over `repo` (its id and base), the base tested by the real test activity. */
async function baseRun(repo: string, command: string, linkPaths: string[] = []): Promise<TestRunResult & { runId: string; baseSha: string; baseDir: string }> {
  const runId = `env-${repos.length}-${tag}`;
  repos.push({ repo, runId });
  const prep = await prepareRun({ repo, baseRef: 'HEAD', runId, files: ['**/*.py'], linkPaths });
  const base = (await env.run(runTests, {
    dir: prep.baseDir,
    command,
    timeoutSeconds: 180,
    label: `${runId}-base`,
    protectedPaths: DEFAULT_PROTECTED,
    role: 'base' as const,
  })) as TestRunResult;
  return { ...base, runId, baseSha: prep.baseSha, baseDir: prep.baseDir };
}

afterAll(async () => {
  for (const { repo, runId } of repos) {
    await cleanupRun({ repo, runId }).catch(() => {});
    await rm(repo, { recursive: true, force: true });
  }
  await rm(venv, { recursive: true, force: true });
});

const MEAN = {
  'stats/__init__.py': '',
  'stats/mean.py': 'def mean(xs):\n    return sum(xs) / len(xs)\n',
  'tests/test_mean.py': 'from stats.mean import mean\n\ndef test_two():\n    assert mean([1, 3]) == 2\n',
};

describe.skipIf(!made)('a test command that names an interpreter outside the repository', () => {
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

// A package whose version module is generated at build time and git-ignored (hatch-vcs, setuptools-scm).
const VERSIONED = {
  '.gitignore': 'pkg/_version.py\n',
  'pkg/__init__.py': 'from ._version import version as __version__\n',
  'pkg/mean.py': 'def mean(xs):\n    return sum(xs) / len(xs)\n',
  'tests/test_mean.py':
    'import pkg\nfrom pkg.mean import mean\n\ndef test_version():\n    assert pkg.__version__ == "1.2.3"\n\ndef test_two():\n    assert mean([1, 3]) == 2\n',
};
const GENERATED = { 'pkg/_version.py': 'version = "1.2.3"\n' };

describe.skipIf(!made)('a generated, git-ignored file the tests need (--copy)', () => {
  const command = `${venv}/bin/python -m pytest -q`;

  it('is missing without --copy: the base cannot import the package', async () => {
    const base = await baseRun(await gitRepo(VERSIONED, GENERATED), command);
    expect(base.exitCode).not.toBe(0);
    expect(base.output).toMatch(/No module named 'pkg\._version'/);
    // Said in one line, with the flag that supplies it.
    expect(base.ignoredMissing).toEqual(['pkg/_version.py']);
    expect(brokenBaseline(base, '')).toBe('pkg/_version.py is git-ignored in your checkout and missing in the workspace: pass --copy pkg/_version.py');
  });

  it('is copied with --copy, read-only: the base runs green, a candidate may neither edit it nor rewrite it at run time', async () => {
    const repo = await gitRepo(VERSIONED, GENERATED);
    const linkPaths = [copyEntry('pkg/_version.py')];
    const base = await baseRun(repo, command, linkPaths);
    expect(base.exitCode, base.output).toBe(0);
    expect(base.counts?.passed).toBe(2);
    const apply = (id: string, reply: Record<string, string>) =>
      applyCandidate({
        repo,
        runId: base.runId,
        baseSha: base.baseSha,
        candidateId: id,
        reply: wholeFileReply(reply),
        format: 'whole-file',
        allowed: ['pkg/**'],
        protectedPaths: DEFAULT_PROTECTED,
        linkPaths,
        probes: base.probes,
      });
    const edited = await apply('c1', { 'pkg/_version.py': 'version = "9"\n' });
    expect(edited.ok).toBe(false);
    expect(edited.ok ? '' : edited.message).toMatch(/pkg\/_version\.py/);
    // A candidate whose code rewrites the copied file when the tests import it.
    const sneaky = await apply('c2', {
      'pkg/mean.py':
        'try:\n    open(__file__.replace("mean.py", "_version.py"), "w").write("version = \'9\'\\n")\nexcept OSError:\n    pass\n\ndef mean(xs):\n    return sum(xs) / len(xs)\n',
    });
    if (!sneaky.ok) throw new Error(sneaky.message);
    await env.run(runTests, {
      dir: sneaky.dir,
      command,
      timeoutSeconds: 180,
      label: 'c2',
      protectedPaths: DEFAULT_PROTECTED,
      role: 'candidate' as const,
      baseDir: base.baseDir,
      probes: base.probes,
    });
    expect(await readFile(join(sneaky.dir, 'pkg/_version.py'), 'utf8')).toBe('version = "1.2.3"\n');
    expect(await readFile(join(repo, 'pkg/_version.py'), 'utf8')).toBe('version = "1.2.3"\n');
  });
});

describe.skipIf(!made)('an editable install of the checkout in the venv', () => {
  it('is found before the run starts, by the command or the PATH that names the venv', async () => {
    const project = {
      'pyproject.toml':
        '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "ouro-edited"\nversion = "0.1"\n',
      'src/ouro_edited/__init__.py': 'x = 1\n',
    };
    const repo = await gitRepo(project);
    const other = await gitRepo(project);
    repos.push({ repo, runId: 'none' }, { repo: other, runId: 'none' });
    const command = `${venv}/bin/python -m pytest -q`;
    expect(editableInstallWarnings(command, '', repo)).toEqual([]);
    const pip = await execa(join(venv, 'bin/python'), ['-m', 'pip', 'install', '-q', '-e', repo], { reject: false, timeout: 240_000 });
    expect(pip.exitCode, pip.stderr).toBe(0);
    const [warning, ...more] = editableInstallWarnings(command, '', repo);
    expect(more).toEqual([]);
    expect(warning).toContain(`${venv} has an editable install from your checkout ${repo}`);
    expect(editableInstallWarnings('python -m pytest', `${venv}/bin:/usr/bin`, repo)).toHaveLength(1);
    // Another checkout of the same project is not the one installed.
    expect(editableInstallWarnings(command, '', other)).toEqual([]);
  });
});
