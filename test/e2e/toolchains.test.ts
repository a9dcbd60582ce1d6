// Targets in other languages, through the real activities and sandbox, with
// the toolchains this machine's user has (pyenv's Python with pytest,
// rustup's Cargo, Go's toolchain and module cache), while the rest of the
// worker's home stays hidden. On the pytest target, the gate-integrity
// rewiring cases again: a conftest.py, a pytest.ini pointing at new tests,
// a setup.cfg/tox.ini section, an interpreter switch, a conftest created at
// run time.
//
// Needs root, bubblewrap and strace; each language is skipped where its
// toolchain is absent.
import { MockActivityEnvironment } from '@temporalio/testing';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStrace, sandboxMode, toolchains } from '../../adapters/sandbox/sandbox.js';
import { runTests } from '../../activities/sandbox/test.js';
import { applyCandidate, cleanupRun, prepareRun } from '../../activities/git/workspace.js';
import { brokenBaseline, testGate } from '../../core/gate/gate.js';
import { DEFAULT_PROTECTED } from '../../core/run/file-rules.js';
import type { TestRunResult } from '../../core/contracts/sandbox.js';
import { expectNoSandboxLeft, wholeFileReply } from '../helpers/hostile.js';

const tag = randomBytes(4).toString('hex');
const THIN_PROTECTED = ['tests/**', '.git/**'];

const usable = process.getuid?.() === 0 && (await sandboxMode().catch(() => 'degraded')) === 'bwrap' && (await hasStrace());
const works = async (cmd: string) => (await execa('sh', ['-c', cmd], { reject: false })).exitCode === 0;
const has = {
  pytest: usable && (await works('python3 -m pytest --version')),
  go: usable && (await works('go version')),
  cargo: usable && (await works('cargo --version')),
};
if (!usable) console.warn('toolchains.test.ts: skipped (needs root, a working bubblewrap and strace)');

function run<A extends unknown[], R>(on: MockActivityEnvironment, fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
  return on.run(fn, ...args) as Promise<R>;
}

async function gitRepo(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ouro-lang-'));
  for (const [p, c] of Object.entries(files)) {
    await mkdir(dirname(join(dir, p)), { recursive: true });
    await writeFile(join(dir, p), c);
  }
  const git = (...a: string[]) => execa('git', a, { cwd: dir });
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
  return dir;
}

/** One target: a repository with a bug, its base run (traced, recorded), and candidates applied and tested as `ouro run` does. */
function target(name: string, files: Record<string, string>, command: string, allowed: string[]) {
  const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 120_000 });
  const runId = `lang-${name}-${tag}`;
  const state = { repo: '', baseSha: '', baseDir: '', base: undefined as unknown as TestRunResult };
  return {
    state,
    files,
    async setUp() {
      state.repo = await gitRepo(files);
      const prep = await prepareRun({ repo: state.repo, baseRef: 'HEAD', runId, files: allowed, linkPaths: [] });
      state.baseSha = prep.baseSha;
      state.baseDir = prep.baseDir;
      state.base = await run(env, runTests, {
        dir: prep.baseDir,
        command,
        timeoutSeconds: 180,
        label: `${name}-base`,
        protectedPaths: DEFAULT_PROTECTED,
        role: 'base',
      });
    },
    async tearDown() {
      if (!state.repo) return;
      await cleanupRun({ repo: state.repo, runId });
      await rm(state.repo, { recursive: true, force: true });
    },
    apply(id: string, reply: Record<string, string>, protectedPaths = DEFAULT_PROTECTED) {
      return applyCandidate({
        repo: state.repo,
        runId,
        baseSha: state.baseSha,
        candidateId: id,
        reply: wholeFileReply(reply),
        format: 'whole-file',
        allowed: ['**'],
        protectedPaths,
        linkPaths: [],
        probes: state.base.probes,
      });
    },
    async test(id: string, reply: Record<string, string>, protectedPaths = DEFAULT_PROTECTED) {
      const applied = await this.apply(id, reply, protectedPaths);
      if (!applied.ok) throw new Error(`apply ${id}: ${applied.message}`);
      const result = await run(env, runTests, {
        dir: applied.dir,
        command,
        timeoutSeconds: 180,
        label: id,
        protectedPaths,
        role: 'candidate',
        baseDir: state.baseDir,
        probes: state.base.probes,
      });
      return { result, verdict: testGate(result, state.base.counts) };
    },
    runRoot: () => join(dirname(state.baseDir)),
  };
}

// ---- Python: pyenv's interpreter and pytest ----

const MEAN_WRONG = 'def mean(xs):\n    return sum(xs) / (len(xs) - 1)\n';
const MEAN_RIGHT = 'def mean(xs):\n    if not xs:\n        raise ZeroDivisionError("mean of nothing")\n    return sum(xs) / len(xs)\n';
const py = target(
  'py',
  {
    'stats/__init__.py': '',
    'stats/mean.py': MEAN_WRONG,
    'tests/test_mean.py': `import pytest
from stats.mean import mean

def test_one():
    assert mean([4]) == 4

def test_two():
    assert mean([1, 3]) == 2

def test_empty_raises():
    with pytest.raises(ZeroDivisionError):
        mean([])
`,
  },
  'python3 -m pytest -q',
  ['stats/**'],
);

describe.skipIf(!has.pytest)("a pytest target (pyenv's Python, inside the sandbox)", () => {
  const secret = join(homedir(), `.ouro-secret-${tag}`);
  const token = `ouro-secret-token-${tag}`;
  beforeAll(async () => {
    await writeFile(secret, token, { mode: 0o600 });
    await py.setUp();
  });
  afterAll(async () => {
    await rm(secret, { force: true });
    await py.tearDown();
  });

  it("the base runs with the user's pytest, red, as a fix's starting point; its report and its lookups are recorded", () => {
    const base = py.state.base;
    expect(base.output).not.toMatch(/No module named pytest/);
    expect(base.counts).toMatchObject({ passed: 0, failed: 3, total: 3, runner: 'pytest' });
    expect(base.report).toMatchObject({ format: 'junit', tests: 3, failed: 3 });
    expect(brokenBaseline(base, 'hint')).toBeUndefined();
    expect(base.probes?.absent).toEqual(
      expect.arrayContaining(['conftest.py', 'pytest.ini', 'tox.ini', 'setup.cfg', 'pyproject.toml', '.python-version', 'stats/conftest.py']),
    );
    // The caches pytest made for itself are not what it looked for.
    expect(base.probes?.absent.some((p) => p.startsWith('.pytest_cache') || p.includes('__pycache__'))).toBe(false);
  });

  it('the fix passes by identity, every base test named', async () => {
    const { result, verdict } = await py.test('fix', { 'stats/mean.py': MEAN_RIGHT });
    expect(result.identity).toMatchObject({ method: 'identity', baseTests: 3, missingCount: 0, notPassedCount: 0 });
    expect(verdict).toMatchObject({ accepted: true, status: 'passed' });
  });

  it("a secret in the worker's home stays unreadable while the user's toolchain is there", async () => {
    // pytest captures what the module prints, so the module answers through its result: any secret it
    // can read, or an interpreter other than the user's, makes mean() wrong and the tests fail.
    const probe = `import os, sys
LEAKS = []
for p in [${JSON.stringify(secret)}, os.path.join(${JSON.stringify(homedir())}, '.npmrc'), os.path.join(${JSON.stringify(homedir())}, '.bash_history')]:
    try:
        LEAKS.append(open(p).read())
    except Exception:
        pass
OFF = len(LEAKS) + (0 if sys.executable.startswith(${JSON.stringify(toolchains().env.PYENV_ROOT ?? '/')}) else 1)
${MEAN_RIGHT.replace('return sum(xs) / len(xs)', 'return sum(xs) / len(xs) + OFF')}`;
    const { result, verdict } = await py.test('secret', { 'stats/mean.py': probe });
    expect(result.output).not.toContain(token);
    expect(verdict, result.output.slice(-1500)).toMatchObject({ accepted: true, status: 'passed' });
  });

  it.each([
    ['conftest.py (a hook that deselects every test)', { 'conftest.py': 'def pytest_collection_modifyitems(items):\n    items.clear()\n' }],
    [
      'pytest.ini pointing at new tests',
      { 'pytest.ini': '[pytest]\ntestpaths = checks\npython_files = check_*.py\n', 'checks/check_mean.py': 'def test_fine():\n    assert True\n' },
    ],
    ['a setup.cfg / tox.ini section', { 'setup.cfg': '[tool:pytest]\naddopts = -p no:python\n', 'tox.ini': '[pytest]\naddopts = --co\n' }],
    [
      'a conftest.py inside the package',
      { 'stats/conftest.py': 'import pytest\n@pytest.hookimpl(tryfirst=True)\ndef pytest_runtest_call(item):\n    return True\n' },
    ],
    ['another interpreter (.python-version)', { '.python-version': 'system\n' }],
  ])('rewiring pytest with %s → refused at apply, even with a thin protected list', async (_what, files) => {
    const a = await py.apply(
      `rewire-${Object.keys(files)[0]!.replace(/\W/g, '')}`,
      { 'stats/mean.py': MEAN_WRONG.replace('- 1', '- 0 - 1'), ...files },
      THIN_PROTECTED,
    );
    expect(a).toMatchObject({ ok: false, status: 'refused' });
    if (!a.ok) expect(a.message).toMatch(/the base's test run looked for/);
  });

  it('a conftest.py and pytest.ini created at import → refused by the guard, and removed', async () => {
    const planted = `open('conftest.py', 'w').write('def pytest_collection_modifyitems(items):\\n    items.clear()\\n')\nopen('pytest.ini', 'w').write('[pytest]\\n')\n${MEAN_WRONG}`;
    const { result, verdict } = await py.test('runtime-conftest', { 'stats/mean.py': planted }, THIN_PROTECTED);
    expect(verdict).toMatchObject({ accepted: false, status: 'refused' });
    expect(verdict.reason).toMatch(/created conftest\.py, a path the base's test run looks for/);
    expect(result.violations.join('\n')).toMatch(/created pytest\.ini/);
    await expectNoSandboxLeft(py.runRoot());
  });
});

// ---- Go: the toolchain outside the home, a private build cache, no downloads ----

const go = target(
  'go',
  {
    'go.mod': 'module example.com/sum\n\ngo 1.21\n',
    'sum.go':
      'package sum\n\n// SumTo returns 1 + 2 + ... + n.\nfunc SumTo(n int) int {\n\tt := 0\n\tfor i := 1; i < n; i++ {\n\t\tt += i\n\t}\n\treturn t\n}\n',
    'sum_test.go':
      'package sum\n\nimport "testing"\n\nfunc TestOne(t *testing.T) {\n\tif SumTo(1) != 1 {\n\t\tt.Fatal("SumTo(1)")\n\t}\n}\n\nfunc TestTen(t *testing.T) {\n\tif SumTo(10) != 55 {\n\t\tt.Fatal("SumTo(10)")\n\t}\n}\n',
  },
  'go test ./...',
  ['*.go'],
);

describe.skipIf(!has.go)('a Go target (go test, offline)', () => {
  beforeAll(() => go.setUp(), 300_000);
  afterAll(() => go.tearDown());

  it('the base fails its tests (not a runner that never ran); the fix passes; tests compared by count, and said so', async () => {
    const base = go.state.base;
    expect(base.exitCode).not.toBe(0);
    expect(base.output).toMatch(/--- FAIL: TestOne/);
    expect(base.counts).toMatchObject({ passed: 0, failed: 2, total: 2, runner: 'go' });
    expect(brokenBaseline(base, 'hint')).toBeUndefined();
    const { result, verdict } = await go.test('fix', {
      'sum.go': 'package sum\n\n// SumTo returns 1 + 2 + ... + n.\nfunc SumTo(n int) int {\n\treturn n * (n + 1) / 2\n}\n',
    });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.counts).toMatchObject({ passed: 2, total: 2 });
    expect(result.identity).toMatchObject({ method: 'count' });
    expect(verdict).toMatchObject({ accepted: true, status: 'passed' });
  }, 300_000);

  it('a wrong SumTo whose package exits 0 in init(), before any test runs ("ok" all the same) → tests-failed', async () => {
    const wrong = go.files['sum.go']!.replace('package sum\n', 'package sum\n\nimport "os"\n\nfunc init() { os.Exit(0) }\n');
    const { result, verdict } = await go.test('exit0', { 'sum.go': wrong });
    expect(result.exitCode).toBe(0);
    expect(result.output).toMatch(/^ok\s/m);
    expect(verdict).toMatchObject({ accepted: false, status: 'tests-failed' });
    expect(verdict.reason).toMatch(/ran 0 tests where the base ran 2/);
  }, 300_000);
});

// ---- Rust: rustup's toolchain and Cargo, offline ----

const rust = target(
  'rust',
  {
    'Cargo.toml': '[package]\nname = "sums"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n',
    'src/lib.rs':
      '/// 1 + 2 + ... + n\npub fn sum_to(n: u64) -> u64 {\n    (1..n).sum()\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n    #[test]\n    fn ten() { assert_eq!(sum_to(10), 55); }\n    #[test]\n    fn one() { assert_eq!(sum_to(1), 1); }\n}\n',
  },
  'cargo test --offline',
  ['src/**'],
);

describe.skipIf(!has.cargo)('a Rust target (cargo test --offline)', () => {
  beforeAll(() => rust.setUp(), 300_000);
  afterAll(() => rust.tearDown());

  it('the base fails 2 of 2 (its Cargo.lock is its own, no violation); the fix passes 2 of 2; the wrong one does not', async () => {
    const base = rust.state.base;
    expect(base.violations).toEqual([]);
    expect(base.counts).toMatchObject({ passed: 0, failed: 2, total: 2, runner: 'cargo' });
    const right = await rust.test('fix', {
      'src/lib.rs':
        '/// 1 + 2 + ... + n\npub fn sum_to(n: u64) -> u64 {\n    (1..=n).sum()\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n    #[test]\n    fn ten() { assert_eq!(sum_to(10), 55); }\n    #[test]\n    fn one() { assert_eq!(sum_to(1), 1); }\n}\n',
    });
    expect(right.verdict).toMatchObject({ accepted: true, status: 'passed' });
    expect(right.result.counts).toMatchObject({ passed: 2, total: 2 });
    expect(existsSync(join(rust.state.baseDir, 'target'))).toBe(false); // build output goes with the run
  }, 300_000);

  it('a wrong sum_to whose #[cfg(test)] asserts are rewritten to match it (src/** is allowed) → refused at apply', async () => {
    const rigged = rust.files['src/lib.rs']!.replace('assert_eq!(sum_to(10), 55)', 'assert_eq!(sum_to(10), 45)').replace(
      'assert_eq!(sum_to(1), 1)',
      'assert_eq!(sum_to(1), 0)',
    );
    await expect(rust.test('rigged', { 'src/lib.rs': rigged })).rejects.toThrow(
      /src\/lib\.rs: changes the tests inside it \(#\[cfg\(test\)\] mod tests at line 6\)/,
    );
  });
});
