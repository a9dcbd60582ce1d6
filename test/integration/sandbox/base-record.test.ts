// The record a pytest base's candidates are held to, when its new test module cannot import its name yet:
// written only by the second run (past the collection errors) and only when that run measured the other
// tests. A first run's record (its load error alone) would hold a candidate to the required tests only.
import { MockActivityEnvironment } from '@temporalio/testing';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTests } from '../../../activities/sandbox/test.js';
import type { TestRunResult } from '../../../core/contracts/sandbox.js';
import { DEFAULT_PROTECTED } from '../../../core/run/file-rules.js';

const made: string[] = [];
afterAll(async () => {
  for (const d of made) await rm(d, { recursive: true, force: true });
});

/** A repository whose tests/test_b.py imports a name m.py does not define yet; `conftest` is its root conftest.py. */
async function repo(conftest: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ouro-base-record-'));
  made.push(dir);
  await mkdir(join(dir, 'tests'));
  await writeFile(join(dir, 'm.py'), 'def a():\n    return 1\n');
  await writeFile(join(dir, 'conftest.py'), conftest);
  await writeFile(join(dir, 'tests', 'test_a.py'), 'from m import a\n\n\ndef test_a():\n    assert a() == 1\n');
  await writeFile(join(dir, 'tests', 'test_b.py'), 'from m import b\n\n\ndef test_b():\n    assert b() == 2\n');
  const git = (...a: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: dir });
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-qm', 'base');
  return dir;
}

async function base(dir: string): Promise<{ result: TestRunResult; record: string }> {
  const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 300_000 });
  const result = (await env.run(runTests, {
    dir,
    command: 'python3 -m pytest -q',
    timeoutSeconds: 120,
    label: 'base',
    protectedPaths: DEFAULT_PROTECTED,
    role: 'base' as const,
  })) as TestRunResult;
  return { result, record: join(dir, '.git', 'ouro-base-tests.json') };
}

describe('a pytest base measured again past its collection errors', () => {
  it('records the second run, which ran the other module', async () => {
    const { result, record } = await base(await repo('\n'));
    expect(result.unbuiltTests?.ids).toEqual(['tests/test_b.py › test_b']);
    expect(result.heldPastCollectionErrors).toBe(true);
    const saved = JSON.parse(await readFile(record, 'utf8')) as { cases: Array<{ id: string; outcome: string }> };
    expect(saved.cases).toContainEqual(expect.objectContaining({ id: 'tests/test_a.py › test_a', outcome: 'passed' }));
  });

  it('records nothing when the second run measured nothing: the first run (its load error alone) is never the record', async () => {
    // The second run dies before pytest writes its report; the first runs as usual.
    const conftest = "import os\n\nif '--continue-on-collection-errors' in os.environ.get('PYTEST_ADDOPTS', ''):\n    os._exit(3)\n";
    const { result, record } = await base(await repo(conftest));
    expect(result.unbuiltTests).toBeUndefined();
    expect(result.unbuiltTestsNote).toMatch(/measured nothing/);
    expect(existsSync(record)).toBe(false);
  });
});
