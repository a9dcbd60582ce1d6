import { describe, it, expect } from 'vitest';
import { parseTestCounts, describeCounts, type TestCounts } from '../../../core/gate/test-report.js';

const ESC = '\u001b';

describe('parseTestCounts: vitest', () => {
  const plainSummary = [
    ' ❯ src/math.test.ts (5 tests | 2 failed) 12ms',
    '',
    ' Test Files  1 failed (1)',
    '      Tests  2 failed | 3 passed (5)',
    '   Start at  10:21:03',
    '   Duration  412ms (transform 40ms, setup 0ms, collect 30ms, tests 12ms)',
  ].join('\n');

  it('reads failed, passed and the total in brackets (a file with a failing test is no file that failed to load)', () => {
    expect(parseTestCounts(plainSummary)).toEqual({ passed: 3, failed: 2, skipped: 0, total: 5, runner: 'vitest' });
    expect(describeCounts(parseTestCounts(plainSummary), 1)).toBe('3 passed, 2 failed');
  });

  it('says so when a test file failed to load and every test it could count passed', () => {
    // What a candidate that breaks one file's import sees: the tests that loaded all pass.
    const out = [
      ' FAIL  test/b.test.ts [ test/b.test.ts ]',
      'Error: Cannot find module',
      ' Test Files  1 failed | 1 passed (2)',
      '      Tests  3 passed (3)',
    ].join('\n');
    const c = parseTestCounts(out);
    expect(c).toEqual({ passed: 3, failed: 0, skipped: 0, total: 3, runner: 'vitest', failedFiles: 1 });
    expect(describeCounts(c, 1)).toBe('3 passed; 1 test file failed to load or run (their tests are not counted)');
  });

  it('reads the same summary with ANSI colour codes', () => {
    const coloured = [
      `${ESC}[2m Test Files ${ESC}[22m ${ESC}[1m${ESC}[31m1 failed${ESC}[39m${ESC}[22m${ESC}[90m (1)${ESC}[39m`,
      `${ESC}[2m      Tests ${ESC}[22m ${ESC}[1m${ESC}[31m2 failed${ESC}[39m${ESC}[22m${ESC}[2m | ${ESC}[22m${ESC}[1m${ESC}[32m3 passed${ESC}[39m${ESC}[22m${ESC}[90m (5)${ESC}[39m`,
      `${ESC}[2m   Start at ${ESC}[22m 10:21:03`,
    ].join('\n');
    expect(parseTestCounts(coloured)).toEqual({ passed: 3, failed: 2, skipped: 0, total: 5, runner: 'vitest' });
  });

  it('adds skipped and todo together', () => {
    const out = '      Tests  1 failed | 4 passed | 2 skipped | 1 todo (8)\n';
    expect(parseTestCounts(out)).toEqual({ passed: 4, failed: 1, skipped: 3, total: 8, runner: 'vitest' });
  });

  it('reads an all-green run', () => {
    expect(parseTestCounts(' Test Files  3 passed (3)\n      Tests  42 passed (42)\n')).toMatchObject({ passed: 42, failed: 0, total: 42, runner: 'vitest' });
  });

  it('does not take the "Test Files" line for the tests line', () => {
    // Only file counts: no per-test summary means nothing to report.
    expect(parseTestCounts(' Test Files  1 failed | 2 passed (3)\n')).toBeUndefined();
  });

  it('uses the last summary when a watch-like output prints several', () => {
    const out = '      Tests  1 failed | 1 passed (2)\n...\n      Tests  2 passed (2)\n';
    expect(parseTestCounts(out)).toMatchObject({ passed: 2, failed: 0, total: 2 });
  });
});

describe('parseTestCounts: jest', () => {
  it('reads the "Tests:" summary line', () => {
    const out = [
      'FAIL src/sum.test.js',
      '  ● sum › adds negatives',
      '',
      'Test Suites: 1 failed, 1 total',
      'Tests:       1 failed, 3 passed, 4 total',
      'Snapshots:   0 total',
      'Time:        0.512 s',
      'Ran all test suites.',
    ].join('\n');
    expect(parseTestCounts(out)).toEqual({ passed: 3, failed: 1, skipped: 0, total: 4, runner: 'jest' });
  });

  it('counts the suites that failed to run', () => {
    const out = 'Test Suites: 2 failed, 3 passed, 5 total\nTests:       9 passed, 9 total\n';
    expect(describeCounts(parseTestCounts(out), 1)).toBe('9 passed; 2 test files failed to load or run (their tests are not counted)');
  });

  it('reads skipped tests and a green run', () => {
    expect(parseTestCounts('Tests:       2 skipped, 5 passed, 7 total\n')).toEqual({ passed: 5, failed: 0, skipped: 2, total: 7, runner: 'jest' });
  });

  it('reads jest output with ANSI colour codes', () => {
    const out = `${ESC}[1mTests:       ${ESC}[22m${ESC}[1m${ESC}[31m1 failed${ESC}[39m${ESC}[22m, ${ESC}[1m${ESC}[32m3 passed${ESC}[39m${ESC}[22m, 4 total\n`;
    expect(parseTestCounts(out)).toMatchObject({ passed: 3, failed: 1, total: 4, runner: 'jest' });
  });
});

describe('parseTestCounts: node --test', () => {
  it('reads the spec reporter summary (ℹ lines)', () => {
    const out = [
      '✔ adds (0.5ms)',
      '✖ subtracts (1.1ms)',
      'ℹ tests 4',
      'ℹ suites 0',
      'ℹ pass 3',
      'ℹ fail 1',
      'ℹ cancelled 0',
      'ℹ skipped 0',
      'ℹ todo 0',
      'ℹ duration_ms 61.2',
    ].join('\n');
    expect(parseTestCounts(out)).toEqual({ passed: 3, failed: 1, skipped: 0, total: 4, runner: 'node:test' });
  });

  it('reads the TAP reporter summary (# lines) with skipped tests', () => {
    const out = ['TAP version 13', 'ok 1 - adds', 'ok 2 - later # SKIP', '1..5', '# tests 5', '# pass 3', '# fail 0', '# skipped 2', '# duration_ms 40'].join(
      '\n',
    );
    expect(parseTestCounts(out)).toEqual({ passed: 3, failed: 0, skipped: 2, total: 5, runner: 'node:test' });
  });

  it('needs both the pass and the fail line', () => {
    expect(parseTestCounts('ℹ pass 3\n')).toBeUndefined();
  });
});

describe('parseTestCounts: pytest', () => {
  it('reads the final "=== … in Ns ===" line', () => {
    const out = [
      '============================= test session starts ==============================',
      'collected 4 items',
      '',
      'tests/test_math.py ...F                                                   [100%]',
      '',
      '=================================== FAILURES ===================================',
      '=========================== short test summary info ============================',
      'FAILED tests/test_math.py::test_div - ZeroDivisionError',
      '===== 3 passed, 1 failed in 0.12s =====',
    ].join('\n');
    expect(parseTestCounts(out)).toEqual({ passed: 3, failed: 1, skipped: 0, total: 4, runner: 'pytest' });
  });

  it('counts errors as failures and reads skipped', () => {
    const out = '======= 1 failed, 5 passed, 2 skipped, 2 errors in 1.03s ========\n';
    expect(parseTestCounts(out)).toEqual({ passed: 5, failed: 3, skipped: 2, total: 10, runner: 'pytest' });
  });

  it('reads a green run with a timing suffix', () => {
    expect(parseTestCounts('========== 12 passed in 2.50s (0:00:02) ==========\n')).toMatchObject({ passed: 12, failed: 0, total: 12, runner: 'pytest' });
  });
});

describe('parseTestCounts: go test -v (GOFLAGS=-v)', () => {
  const red = [
    '=== RUN   TestOne',
    '--- PASS: TestOne (0.00s)',
    '=== RUN   TestTen',
    '    sum_test.go:12: SumTo(10)',
    '--- FAIL: TestTen (0.00s)',
    '=== RUN   TestSub',
    '=== RUN   TestSub/a',
    '    --- SKIP: TestSub/a (0.00s)',
    '--- PASS: TestSub (0.00s)',
    'FAIL',
    'FAIL\texample.com/sum\t0.003s',
    'FAIL',
  ].join('\n');

  it('counts every test and subtest named as it ended', () => {
    expect(parseTestCounts(red)).toEqual({ passed: 2, failed: 1, skipped: 1, total: 4, runner: 'go' });
  });

  it('a package that says ok but named no test ran none (an os.Exit(0) in init, say)', () => {
    expect(parseTestCounts('ok  \texample.com/sum\t0.002s\n')).toEqual({ passed: 0, failed: 0, skipped: 0, total: 0, runner: 'go' });
    expect(parseTestCounts('ok  \texample.com/sum\t(cached)\n')?.total).toBe(0);
  });

  it('a build that failed, or packages without tests, are no test run', () => {
    expect(parseTestCounts('# example.com/sum\n./sum.go:3:1: syntax error\nFAIL\texample.com/sum [build failed]\nFAIL\n')).toBeUndefined();
    expect(parseTestCounts('?   \texample.com/x\t[no test files]\n')).toBeUndefined();
  });
});

describe('parseTestCounts: plain line', () => {
  it('reads "N passed, N failed"', () => {
    expect(parseTestCounts('running 5 checks\n4 passed, 1 failed\n')).toEqual({ passed: 4, failed: 1, skipped: 0, total: 5, runner: 'plain' });
  });

  it('accepts a label prefix and a skipped count', () => {
    expect(parseTestCounts('results: 7 passed, 0 failed, 2 skipped\n')).toEqual({ passed: 7, failed: 0, skipped: 2, total: 9, runner: 'plain' });
  });
});

describe('parseTestCounts: unknown output', () => {
  it.each(['', 'Compiling...\nDone.\n', 'make: *** [Makefile:3: test] Error 1', 'All good!'])('returns undefined for %j', (out) => {
    expect(parseTestCounts(out)).toBeUndefined();
  });
});

describe('describeCounts', () => {
  const counts = (c: Partial<TestCounts>): TestCounts => ({ passed: 0, failed: 0, skipped: 0, total: 0, runner: 'vitest', ...c });

  it('says "N passed, M failed, K skipped", leaving out a zero failed or skipped', () => {
    expect(describeCounts(counts({ passed: 3, failed: 2, total: 5 }), 1)).toBe('3 passed, 2 failed');
    expect(describeCounts(counts({ passed: 5, total: 5 }), 0)).toBe('5 passed');
    expect(describeCounts(counts({ passed: 0, total: 0 }), 0)).toBe('0 passed');
  });

  it('never counts skipped tests in a total as if they had not passed (was "700/769 passed")', () => {
    expect(describeCounts(counts({ passed: 700, skipped: 69, total: 769 }), 0)).toBe('700 passed, 69 skipped');
    expect(describeCounts(counts({ passed: 40, failed: 2, skipped: 3, total: 45 }), 1)).toBe('40 passed, 2 failed, 3 skipped');
    // Real pytest summary: 2 failed, 42 passed, 1 skipped.
    expect(describeCounts(parseTestCounts('=================== 2 failed, 42 passed, 1 skipped in 0.17s ===================='), 1)).toBe(
      '42 passed, 2 failed, 1 skipped',
    );
  });

  it('falls back to the exit code without counts', () => {
    expect(describeCounts(undefined, 0)).toBe('passed');
    expect(describeCounts(undefined, 2)).toBe('failed (exit 2)');
    expect(describeCounts(undefined, null)).toBe('failed (exit signal)');
  });
});

describe("counts that agree with the runners' JUnit reports", () => {
  it('pytest: xfailed and xpassed are tests too', () => {
    expect(parseTestCounts('==== 3 passed, 1 skipped, 2 xfailed, 1 xpassed in 0.12s ====\n')).toMatchObject({ passed: 4, failed: 0, skipped: 3, total: 7 });
  });
  it('node --test: todo and cancelled are tests too', () => {
    expect(parseTestCounts('ℹ tests 6\nℹ pass 3\nℹ fail 1\nℹ cancelled 1\nℹ skipped 0\nℹ todo 1\n')).toMatchObject({
      passed: 3,
      failed: 2,
      skipped: 1,
      total: 6,
    });
  });
});
