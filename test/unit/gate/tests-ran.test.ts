// "A base must have run tests", per runner, on output and reports the real tools wrote (test/unit/gate/runner-samples:
// pytest 9.2, vitest 4.1, node 20's runner, go 1.x, cargo; each made in a scratch project by running the tool).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestRunResult } from '../../../core/contracts/sandbox.js';
import { testGate } from '../../../core/gate/gate.js';
import { compareWithBase, parseJUnit, summarize } from '../../../core/gate/test-identity.js';
import { parseTestCounts } from '../../../core/gate/test-report.js';
import { baseRanNoTests, noTestsRan, UNCOUNTED_HINT } from '../../../core/gate/tests-ran.js';

const SAMPLES = join(import.meta.dirname, 'runner-samples');
const sample = (name: string) => readFileSync(join(SAMPLES, name), 'utf8');

/** What the activity makes of a run: counts from the output, the report (when the runner wrote one) summed up. */
function ran(name: string, exitCode: number, opts: { report?: boolean } = {}): TestRunResult {
  const output = sample(`${name}.out`);
  const report = opts.report ? summarize('junit', parseJUnit(sample(`${name}.xml`), [`/tmp/s/${name}`])) : undefined;
  return {
    exitCode,
    timedOut: false,
    durationMs: 1,
    output,
    counts: parseTestCounts(output),
    violations: [],
    sandbox: 'bwrap',
    passed: exitCode === 0,
    report,
  };
}

describe('noTestsRan: runs that ran no test, per runner', () => {
  const none: Array<[string, number, boolean, RegExp]> = [
    ['py-coll', 2, true, /5 test files failed to load or collect/], // 5 import errors, report
    ['py-coll', 2, false, /5 test files failed to import or collect/], // the same, summary only ("5 errors in 0.11s")
    ['py-none', 5, true, /report lists no test/],
    ['py-none', 5, false, /no test that Ouro can see ran/], // "no tests ran in 0.00s" is no count
    ['vt-coll', 1, true, /2 test files failed to load/], // Cannot find module: "Tests  no tests"
    ['vt-coll', 1, false, /2 test files failed to import/],
    ['vt-none', 0, true, /report lists no test/], // --passWithNoTests: green, and empty
    ['vt-skip', 0, true, /2 tests, every one skipped/],
    ['vt-skip', 0, false, /vitest ran 2 tests, every one skipped/],
    ['nd-coll', 1, true, /1 test file failed to load/], // node names a file that threw at import as a failed test
    ['nd-coll', 1, false, /1 test file failed to import/],
    ['nd-none', 0, true, /report lists no test/],
    ['nd-none', 0, false, /node:test ran 0 tests/],
    ['go-none', 0, false, /\[no test files\]/],
    ['go-notests', 0, false, /no test to run/],
    ['go-build', 1, false, /could not build/],
    ['go-ok-quiet', 0, false, /named no test that ran.*-v/], // without -v "ok <pkg> 0.002s" proves nothing:
    ['go-init-exit', 0, false, /named no test that ran/], // a package whose init() exits 0 prints the same line
    ['cg-none', 0, false, /cargo ran 0 tests/],
    ['cg-build', 101, false, /cargo could not compile/],
    ['shell', 0, false, /no test that Ouro can see ran/], // `pwd; ls; id`
  ];
  it.each(none)('%s (exit %i, report %s) → no test ran', (name, exit, report, why) => {
    const r = ran(name, exit, { report });
    expect(noTestsRan(r)).toMatch(why);
    expect(baseRanNoTests(r)).toMatch(/^the base ran no test: .*with --fix too/);
  });

  const some: Array<[string, number, boolean]> = [
    ['py-ok', 1, true],
    ['py-ok', 1, false],
    ['py-mixed', 1, true], // --continue-on-collection-errors: 5 errors, and 2 tests that ran
    ['py-mixed', 1, false],
    ['vt-ok', 0, true],
    ['vt-ok', 0, false],
    ['nd-ok', 0, true],
    ['nd-ok', 0, false],
    ['go-ok', 0, false],
    ['cg-ok', 0, false],
  ];
  it.each(some)('%s (exit %i, report %s) → tests ran', (name, exit, report) => {
    expect(noTestsRan(ran(name, exit, { report }))).toBeUndefined();
  });

  it('the summaries read as the runners meant them: errors loading are failures that ran no test', () => {
    expect(parseTestCounts(sample('py-coll.out'))).toMatchObject({ failed: 5, loadErrors: 5, runner: 'pytest' });
    expect(parseTestCounts(sample('py-mixed.out'))).toMatchObject({ passed: 1, failed: 6, loadErrors: 5 });
    expect(parseTestCounts(sample('vt-coll.out'))).toMatchObject({ total: 0, failedFiles: 2, runner: 'vitest' });
    expect(parseTestCounts(sample('nd-coll.out'))).toMatchObject({ failed: 1, loadErrors: 1, runner: 'node:test' });
    expect(parseTestCounts(sample('py-ok.out'))).not.toHaveProperty('loadErrors');
  });

  it('a command Ouro cannot count says how to proceed', () => {
    expect(noTestsRan(ran('shell', 0))).toContain(UNCOUNTED_HINT);
    const own = { ...ran('shell', 0), output: 'checking…\n12 passed, 0 failed\n' };
    expect(noTestsRan({ ...own, counts: parseTestCounts(own.output) })).toBeUndefined();
  });
});

describe('a file that failed to load is no test of the base', () => {
  it('is marked in each runner’s report', () => {
    const marked = (name: string) => parseJUnit(sample(`${name}.xml`), [`/tmp/s/${name}`]).filter((c) => c.loadError).length;
    expect([marked('py-coll'), marked('vt-coll'), marked('nd-coll'), marked('py-mixed')]).toEqual([5, 2, 1, 5]);
    expect([marked('py-ok'), marked('vt-ok'), marked('nd-ok')]).toEqual([0, 0, 0]);
  });

  it('so a fix that makes it load is held to the tests that ran, not to a test named after the file', () => {
    const base = parseJUnit(sample('py-mixed.xml'), ['/tmp/s/py-mixed']);
    const fixed = [
      ...base.filter((c) => !c.loadError).map((c) => ({ ...c, outcome: 'passed' as const })),
      { id: 'test_m1.py › test_a', outcome: 'passed' as const },
    ];
    expect(compareWithBase(base, fixed)).toMatchObject({ baseTests: 2, missingCount: 0, notPassedCount: 0, added: 1 });
  });
});

describe('a candidate that ran no test never passes (requireTestsRan)', () => {
  const baseCounts = parseTestCounts(sample('vt-ok.out'))!;
  it('green and empty: refused with the option, passed without it (the old behaviour, for histories before it)', () => {
    const empty = ran('vt-none', 0, { report: true });
    expect(testGate(empty, undefined, { requireTestsRan: true })).toMatchObject({ accepted: false, reason: expect.stringMatching(/^no test ran: /) });
    expect(testGate(empty).accepted).toBe(true);
  });

  it('by count, every test skipped where the base ran them: refused although the total is the same', () => {
    const base = { passed: 2, failed: 0, skipped: 0, total: 2, runner: 'vitest' };
    const skipped = ran('vt-skip', 0);
    expect(skipped.counts?.total).toBe(2);
    expect(testGate(skipped, base).accepted).toBe(true);
    expect(testGate(skipped, base, { requireTestsRan: true })).toMatchObject({ accepted: false, reason: /passed 0 tests where the base ran 2/ });
    expect(testGate(ran('vt-ok', 0), baseCounts, { requireTestsRan: true }).accepted).toBe(true);
  });

  it('a red base (--fix): the candidate must pass as many tests as the base ran, failing ones included', () => {
    const red = { passed: 1, failed: 1, skipped: 0, total: 2, runner: 'pytest' };
    const one = { ...ran('vt-ok', 0), counts: { passed: 1, failed: 0, skipped: 1, total: 2, runner: 'pytest' } };
    expect(testGate(one, red, { requireTestsRan: true })).toMatchObject({ accepted: false, reason: /passed 1 tests where the base ran 2/ });
  });
});
