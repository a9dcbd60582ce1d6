// A fix commit's starting point, SWE-bench style: the parent's tree with the fix's test files in
// place, committed as the only commit of a fresh repository (no history, so nothing of the fix
// but its tests is there to find). Its tests must fail there and pass at the fix itself.

import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { testCommandOf, type FixCase } from './commits.js';
import { CHARS_PER_TOKEN } from '../../core/context/budget.js';

const TEST_LIMIT_MS = 10 * 60_000;
const IDENTITY = ['-c', 'user.name=ouro-bench', '-c', 'user.email=bench@ouro.invalid'];

export interface Base {
  /** A fresh repository whose one commit is the base. */
  dir: string;
  test: string;
  /** How the base fails: its tests build and some fail, or the fix's tests do not build (they use what the fix adds). */
  fails: 'tests' | 'build';
}

/** Go's and pytest's words for tests that never ran because they did not build or import. */
const NOT_BUILT = /\[build failed\]|\[setup failed\]|^ERROR collecting |^E\s+(ImportError|ModuleNotFoundError|AttributeError|NameError)\b/m;

/** `folder` holds everything made for the commit: removed once its arms ran. */
export type Screened = { folder: string } & ({ base: Base } | { skipped: string });

export const tail = (text: string, lines = 8) => text.trimEnd().split('\n').slice(-lines).join('\n');

/** Writes `paths` as they are at `commit` in the mirror; a path the commit lacks is removed. */
async function writeAt(c: FixCase, commit: string, paths: string[], dir: string): Promise<void> {
  for (const path of paths) {
    const shown = await execa('git', ['--git-dir', c.mirror, 'show', `${commit}:${path}`], { reject: false, encoding: 'buffer', stripFinalNewline: false });
    if (shown.exitCode === 0) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), shown.stdout);
    } else await rm(join(dir, path), { force: true });
  }
}

/** The fix's source files at the parent, in tokens as the product counts them (core/context/budget.ts): a whole-file reply must hold each. */
export async function sourceTokens(c: FixCase): Promise<number[]> {
  const sizes = [];
  for (const path of c.sourceFiles) {
    const shown = await execa('git', ['--git-dir', c.mirror, 'cat-file', '-s', `${c.parent}:${path}`], { reject: false });
    sizes.push(shown.exitCode === 0 ? Math.ceil(Number(shown.stdout) / CHARS_PER_TOKEN) : 0);
  }
  return sizes;
}

export async function runTests(dir: string, test: string): Promise<{ ok: boolean; output: string }> {
  const r = await execa(test, { shell: true, cwd: dir, reject: false, all: true, timeout: TEST_LIMIT_MS });
  return { ok: r.exitCode === 0, output: r.all ?? '' };
}

/** Back to the committed base: whatever a test run or a checked-out fix left is gone. */
const reset = async (dir: string) => {
  await execa('git', ['-C', dir, 'checkout', '-q', '--', '.']);
  await execa('git', ['-C', dir, 'clean', '-fdxq']);
};

export async function prepareBase(c: FixCase, scratch: string): Promise<Screened> {
  const folder = await mkdtemp(join(scratch, `${c.repo.replace('/', '-')}-${c.fix.slice(0, 8)}-`));
  const dir = join(folder, 'base');
  await execa('git', ['clone', '-q', '--no-checkout', c.mirror, dir]);
  await execa('git', ['-C', dir, 'checkout', '-q', '--detach', c.parent]);
  await rm(join(dir, '.git'), { recursive: true, force: true });
  await writeAt(c, c.fix, c.testFiles, dir);
  await execa('git', ['init', '-q', '-b', 'main', dir]);
  await execa('git', ['-C', dir, 'add', '-A', '-f']);
  await execa('git', ['-C', dir, ...IDENTITY, 'commit', '-qm', `base: ${c.parent.slice(0, 12)} with the tests of ${c.fix.slice(0, 12)}`]);
  const test = testCommandOf(c.repo, process.env.OURO_FIXES_VENVS ?? '/tmp/six', existsSync(join(dir, 'go.mod')));
  if (!test) return { folder, skipped: `no test command for ${c.repo}` };
  const atBase = await runTests(dir, test);
  await reset(dir);
  if (atBase.ok) return { folder, skipped: 'tests at the fix do not fail at the parent' };
  await writeAt(c, c.fix, c.sourceFiles, dir);
  const atFix = await runTests(dir, test);
  await reset(dir);
  if (!atFix.ok) return { folder, skipped: `the fix itself fails its tests here: ${tail(atFix.output, 3)}` };
  return { folder, base: { dir, test, fails: NOT_BUILT.test(atBase.output) ? 'build' : 'tests' } };
}

/** A fresh copy of the base for one arm. */
export async function copyOf(base: Base, name: string): Promise<string> {
  const dir = join(dirname(base.dir), name);
  await execa('git', ['clone', '-q', base.dir, dir]);
  return dir;
}

/**
 * The repository's own tests on a run's commit, outside Ouro: the committed tree with the fix
 * commit's test files put back (in case the run touched them), the test command's exit code.
 */
export async function acceptedAtFix(c: FixCase, repo: string, sha: string, test: string): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ouro-fixes-verify-'));
  await execa('git', ['clone', '-q', '--no-checkout', repo, dir]);
  await execa('git', ['-C', dir, 'checkout', '-q', '--detach', sha]);
  await writeAt(c, c.fix, c.testFiles, dir);
  try {
    return await runTests(dir, test);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
