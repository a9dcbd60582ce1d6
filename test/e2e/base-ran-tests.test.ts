// "A base must have run tests": a base is what every candidate is held to, so a test command
// that runs none (green or red, --fix or not) ends the run as baseline-broken before any draft.
// Each case is a real run: a real Temporal dev server, real git, the real sandbox and real
// runners (vitest, pytest, a shell), and a scripted model whose reply is WRONG, so that a run
// which accepted the base would spend its rounds, or commit the wrong reply.
import { describe, expect, it } from 'vitest';
import { createExampleRepo } from '../helpers/example-repos.js';
import { WRONG_REPLY } from '../../dev/scripted-replies.js';
import { wholeFileReply } from '../helpers/hostile.js';
import { gitLines, resultOf, startTestRun, testInput, uniquePrefix, useFakeProvider, useSharedWorkers } from '../helpers/harness.js';

const prefix = uniquePrefix();
useSharedWorkers(prefix);
const fake = useFakeProvider();

/** Five pytest modules that fail to import (as issue 24 saw): collection errors, no test. */
const PY_COLLECTION_ERRORS = Object.fromEntries(
  [1, 2, 3, 4, 5].map((i) => [`pytests/test_m${i}.py`, `from mathkit_missing import sum_to\n\ndef test_sum():\n    assert sum_to(4) == 10\n`]),
);

/** vitest files whose import of the code under test fails: "Tests  no tests". */
const VITEST_IMPORT_ERRORS = {
  'test/broken/a.test.ts':
    "import { expect, it } from 'vitest';\nimport { sumTo } from '../../src/sum-missing.js';\nit('sums', () => expect(sumTo(4)).toBe(10));\n",
  'test/broken/b.test.ts':
    "import { expect, it } from 'vitest';\nimport { sumTo } from '../../src/sum-missing.js';\nit('sums 1', () => expect(sumTo(1)).toBe(1));\n",
};

const cases: Array<{ name: string; test: string; files?: Record<string, string>; why: RegExp; lead?: RegExp }> = [
  { name: 'a shell command that runs no test (green)', test: 'pwd; ls; id', why: /no test that Ouro can see ran.*"12 passed, 0 failed"/s },
  { name: 'a compound command that runs none (cd x && …)', test: 'cd src && ls && true', why: /no test that Ouro can see ran/ },
  {
    name: 'pytest whose every module fails to import (5 collection errors, red)',
    test: 'python3 -m pytest -q pytests',
    files: PY_COLLECTION_ERRORS,
    why: /5 test files failed to load or collect/,
  },
  // Red (exit 5) with nothing counted: the older check for a runner that never started says it first.
  { name: 'pytest that collects nothing', test: 'python3 -m pytest -q src', why: /exited 5 without reporting any test/, lead: /^the test command exited 5/ },
  {
    name: 'vitest whose every file fails to import',
    test: './node_modules/.bin/vitest run test/broken',
    files: VITEST_IMPORT_ERRORS,
    why: /2 test files failed to load/,
  },
  {
    name: 'vitest that finds no file (--passWithNoTests, green)',
    test: './node_modules/.bin/vitest run --passWithNoTests nothing-here',
    why: /report lists no test/,
  },
  { name: 'node --test with no test file (green)', test: 'node --test src', why: /ran 0 tests|report lists no test/ },
];

describe('a base that ran no test is baseline-broken, with --fix too', () => {
  it.each(cases)('$name', async ({ test, files, why, lead }) => {
    const repo = await createExampleRepo({ files: files ?? {} });
    fake.setDefault({ content: WRONG_REPLY });
    const before = fake.requests.length;
    const result = await resultOf(await startTestRun(testInput(repo, prefix, fake.url, { fix: true, test })));
    expect(result.outcome, result.baselineReason).toBe('baseline-broken');
    expect(result.baselineReason).toMatch(lead ?? /^the base ran no test: .*with --fix too/);
    expect(result.baselineReason).toMatch(why);
    // Not one draft was asked for, nothing committed, the workspaces gone.
    expect(fake.requests.length).toBe(before);
    expect(result.candidates).toEqual([]);
    expect(await gitLines(repo, 'branch', '--list', 'ouro/*')).toEqual([]);
    expect(await gitLines(repo, 'worktree', 'list')).toHaveLength(1);
  });

  it('a base whose tests run (red, --fix) still starts the rounds: the check is about running, not passing', async () => {
    const repo = await createExampleRepo({ files: PY_COLLECTION_ERRORS });
    fake.setDefault({ content: WRONG_REPLY });
    const result = await resultOf(await startTestRun(testInput(repo, prefix, fake.url, { fix: true })));
    expect(result.outcome).toBe('no-candidate-passed');
    expect(result.candidates.length).toBeGreaterThan(0);
  });
});

// The same holds for a candidate: one whose run shows no test that ran never passes. Compared by count (a compound
// command gets no structured report), a candidate that makes the base's tests SKIP kept the total, and passed.
/** src/sum.ts, wrong, reaching vitest's worker state through `global` and filtering every test out by name: they are reported skipped. */
const skipsItsTests = (global: string) => `type Worker = { config?: { testNamePattern?: RegExp } };
const worker = ${global} as Worker | undefined;
if (worker?.config) worker.config.testNamePattern = /^\\b$/;

export function sumTo(n: number): number {
  return n;
}
`;

describe('a candidate that makes the tests skip is refused, by count too', () => {
  // `true && …`: not one plain command, so no reporter is added and the tests are compared by count only.
  const BY_COUNT = 'true && ./node_modules/.bin/vitest run';

  it('the runner global by its name → refused at apply', async () => {
    const repo = await createExampleRepo();
    fake.setDefault({ content: wholeFileReply({ 'src/sum.ts': skipsItsTests('(globalThis as Record<string, unknown>).__vitest_worker__') }) });
    const result = await resultOf(await startTestRun(testInput(repo, prefix, fake.url, { fix: true, test: BY_COUNT })));
    expect(result.outcome).toBe('no-candidate-passed');
    for (const c of result.candidates)
      expect(c).toMatchObject({ status: 'refused', reason: expect.stringMatching(/imports the test framework \('__vitest_worker__'\)/) });
  });

  it('the same global under a computed name (past the syntactic check): every sum test skipped → tests-failed, not committed', async () => {
    const repo = await createExampleRepo();
    const computed = "(globalThis as Record<string, unknown>)[['__vitest', 'worker__'].join('_')]";
    fake.setDefault({ content: wholeFileReply({ 'src/sum.ts': skipsItsTests(computed) }) });
    const result = await resultOf(await startTestRun(testInput(repo, prefix, fake.url, { fix: true, test: BY_COUNT })));
    expect(result.testIdentity).toMatch(/^by count only/);
    expect(result.outcome, JSON.stringify(result.candidates)).toBe('no-candidate-passed');
    for (const c of result.candidates) {
      expect(c.status).toBe('tests-failed');
      expect(c.reason).toMatch(/passed 2 tests where the base ran 5/);
      expect(c.tests).toMatchObject({ failed: 0, skipped: 3 });
    }
    expect(await gitLines(repo, 'branch', '--list', 'ouro/*')).toEqual([]);
  });
});
