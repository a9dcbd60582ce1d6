import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../helpers/harness.js';

// `ouro init` as a user runs it, on a small real Python repository with its own venv: detection,
// one real sandboxed pytest run at HEAD, the config written, and each way it refuses.
let root: string;

function ouro(args: string[]) {
  return execa('node', [join(PROJECT_ROOT, 'bin', 'ouro.js'), ...args], { reject: false });
}

async function commitAll(repo: string): Promise<void> {
  await execa('git', ['add', '-A'], { cwd: repo });
  await execa('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'state'], { cwd: repo });
}

/** A package with a pytest config, two tests, a benchmark fixture, a git-ignored venv that sees the system's pytest. */
async function pythonRepo(name: string, addBody = 'return a + b'): Promise<string> {
  const repo = join(root, name);
  await mkdir(join(repo, 'tests'), { recursive: true });
  await writeFile(join(repo, 'calc.py'), `def add(a, b):\n    ${addBody}\n`);
  await writeFile(
    join(repo, 'tests', 'test_calc.py'),
    'from calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n\ndef test_zero():\n    assert add(0, 0) == 0\n',
  );
  await writeFile(join(repo, 'pyproject.toml'), '[project]\nname = "calc"\n\n[tool.pytest.ini_options]\npythonpath = ["."]\n');
  await writeFile(join(repo, '.gitignore'), '.venv/\n__pycache__/\n');
  await execa('git', ['init', '-q'], { cwd: repo });
  await commitAll(repo);
  await execa('python3', ['-m', 'venv', '--system-site-packages', join(repo, '.venv')]);
  return repo;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ouro-init-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ouro init', () => {
  it('finds pytest and the venv, runs the tests in the sandbox, writes the config; refuses to overwrite it without --force', async () => {
    const repo = await pythonRepo('green');
    const r = await ouro(['init', repo]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('test:  .venv/bin/python -m pytest (from pyproject.toml [tool.pytest.ini_options])');
    expect(r.stdout).toMatch(/tests: 2 passed at [0-9a-f]{10} \(sandbox: (bwrap|degraded)/);
    expect(JSON.parse(await readFile(join(repo, 'ouro.config.json'), 'utf8'))).toEqual({ test: '.venv/bin/python -m pytest', linkPaths: ['.venv'] });

    const again = await ouro(['init', repo]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/ouro.config.json already exists: pass --force/);

    // --force replaces what init finds and keeps the user's other settings.
    await writeFile(join(repo, 'ouro.config.json'), JSON.stringify({ goal: 'faster add', test: 'old', files: 'calc.py' }));
    const forced = await ouro(['init', repo, '--force', '--bench-command', 'python3 -c pass']);
    expect(forced.exitCode).toBe(0);
    expect(JSON.parse(await readFile(join(repo, 'ouro.config.json'), 'utf8'))).toEqual({
      goal: 'faster add',
      files: ['calc.py'],
      test: '.venv/bin/python -m pytest',
      bench: 'python3 -c pass',
      linkPaths: ['.venv'],
    });
    // The worktree it tested in is gone from the user's repository.
    const worktrees = await execa('git', ['worktree', 'list'], { cwd: repo });
    expect(worktrees.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('a red base: the config is written, and the warning says what a run will do', async () => {
    const repo = await pythonRepo('red', 'return a - b');
    const r = await ouro(['init', repo]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/tests: 1 passed, 1 failed/);
    expect(r.stdout).toMatch(/warning: the tests fail at HEAD: `ouro run` stops at a broken baseline unless it is a --fix run/);
    expect(existsSync(join(repo, 'ouro.config.json'))).toBe(true);
  });

  it('a command that runs no test: nothing written, exit 1, the output shown', async () => {
    const repo = await pythonRepo('wrong-command');
    const r = await ouro(['init', repo, '--test-command', 'no-such-runner --all']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/no-such-runner/);
    expect(r.stderr).toMatch(/no test ran \(exit 127\).*ouro.config.json was not written/);
    expect(existsSync(join(repo, 'ouro.config.json'))).toBe(false);
  });

  it('not a git repository, and a repository with no runner: exit 2 with what to do', async () => {
    const plain = join(root, 'plain');
    await mkdir(plain);
    const notGit = await ouro(['init', plain]);
    expect(notGit.exitCode).toBe(2);
    expect(notGit.stderr).toMatch(/is not a git repository/);

    await writeFile(join(plain, 'README.md'), '# nothing to test\n');
    await writeFile(join(plain, 'package.json'), '{"scripts": {"test": ');
    await execa('git', ['init', '-q'], { cwd: plain });
    await commitAll(plain);
    const none = await ouro(['init', plain]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(
      /no test runner found\. Looked for:[\s\S]*Cargo\.toml[\s\S]*note: package.json is not valid JSON[\s\S]*--test-command "make test"/,
    );
  });
});
