import { describe, expect, it } from 'vitest';
import {
  compareWithBase,
  describeFailedInBase,
  describeIdentity,
  parseJestJson,
  parseJUnit,
  summarize,
  type TestCase,
} from '../../../core/gate/test-identity.js';
import { testGate, brokenBaseline } from '../../../core/gate/gate.js';
import type { TestRunResult } from '../../../core/contracts/sandbox.js';

const WS = '/tmp/ouro-workspaces/run-1/r1c1';

const vitestXml = `<?xml version="1.0" encoding="UTF-8" ?>
<testsuites name="vitest tests" tests="3" failures="1" errors="0">
  <testsuite name="test/sum.test.ts" tests="3" failures="1">
    <testcase classname="test/sum.test.ts" name="sumTo &gt; is 0 below 1"></testcase>
    <testcase classname="test/sum.test.ts" name="sumTo &gt; includes n"><failure message="expected 0 to be 1">AssertionError</failure></testcase>
    <testcase classname="test/sum.test.ts" name="sumTo &gt; later"><skipped/></testcase>
  </testsuite>
</testsuites>`;

const nodeXml = `<?xml version="1.0" encoding="utf-8"?>
<testsuites>
  <testsuite name="outer" tests="2" failures="1">
    <testcase name="inner one" classname="test"/>
    <testcase name="inner two" classname="test" failure="boom"><failure type="testCodeFailure" message="boom">x</failure></testcase>
  </testsuite>
  <testcase name="top" classname="test"/>
</testsuites>`;

const pytestXml = `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="1" failures="0" skipped="0" tests="3">
<testcase classname="tests.test_stats" name="test_mean" file="${WS}/tests/test_stats.py" line="3" time="0.001"/>
<testcase classname="tests.test_stats" name="test_median[1-2]" file="${WS}/tests/test_stats.py" line="7" time="0.001"/>
<testcase classname="tests.test_stats" name="test_broken" file="${WS}/tests/test_stats.py" line="9"><error message="fixture 'db' not found">E</error></testcase>
</testsuite></testsuites>`;

const ids = (cases: TestCase[]) => cases.map((c) => `${c.id} = ${c.outcome}`);

describe('parseJUnit', () => {
  it('reads vitest: file and full name, with entities decoded; failures and skips', () => {
    expect(ids(parseJUnit(vitestXml, [WS]))).toEqual([
      'test/sum.test.ts › sumTo > is 0 below 1 = passed',
      'test/sum.test.ts › sumTo > includes n = failed',
      'test/sum.test.ts › sumTo > later = skipped',
    ]);
  });

  it('reads node:test: nested suites become part of the name; the failure attribute counts', () => {
    expect(ids(parseJUnit(nodeXml, [WS])).sort()).toEqual(['test › outer › inner one = passed', 'test › outer › inner two = failed', 'test › top = passed']);
  });

  it('reads pytest (xunit1): the workspace path is replaced, so base and candidate ids agree; an error is a failure', () => {
    const cases = parseJUnit(pytestXml, [WS]);
    expect(ids(cases)).toEqual([
      './tests/test_stats.py › test_mean = passed',
      './tests/test_stats.py › test_median[1-2] = passed',
      './tests/test_stats.py › test_broken = failed',
    ]);
    const elsewhere = parseJUnit(pytestXml.split(WS).join('/tmp/ouro-workspaces/run-1/base'), ['/tmp/ouro-workspaces/run-1/base']);
    expect(elsewhere.map((c) => c.id)).toEqual(cases.map((c) => c.id));
  });

  it('summarizes a report', () => {
    expect(summarize('junit', parseJUnit(vitestXml, []))).toEqual({ format: 'junit', tests: 3, passed: 1, failed: 1, skipped: 1 });
  });

  it('gives no test for a document that is not JUnit', () => {
    expect(parseJUnit('<html><body>hello</body></html>', [])).toEqual([]);
  });
});

describe('parseJestJson', () => {
  it('reads file and full name per assertion', () => {
    const json = JSON.stringify({
      testResults: [
        {
          name: `${WS}/src/a.test.js`,
          assertionResults: [
            { fullName: 'a works', status: 'passed' },
            { fullName: 'a fails', status: 'failed' },
            { fullName: 'a todo', status: 'pending' },
          ],
        },
      ],
    });
    expect(ids(parseJestJson(json, [WS]))).toEqual([
      './src/a.test.js › a works = passed',
      './src/a.test.js › a fails = failed',
      './src/a.test.js › a todo = skipped',
    ]);
  });

  it('refuses JSON that is not a jest report', () => {
    expect(() => parseJestJson('{"success": true, "numPassedTests": 5}', [])).toThrow(/not a jest JSON report/);
  });
});

describe('compareWithBase', () => {
  const base: TestCase[] = [
    { id: 'sum › a', outcome: 'passed' },
    { id: 'sum › b', outcome: 'failed' },
    { id: 'sum › c', outcome: 'skipped' },
  ];

  it('passes when every test the base ran ran again and passed; added tests are counted, skipped base tests not required', () => {
    const c = compareWithBase(base, [
      { id: 'sum › a', outcome: 'passed' },
      { id: 'sum › b', outcome: 'passed' },
      { id: 'new › x', outcome: 'passed' },
    ]);
    expect(c).toMatchObject({ method: 'identity', baseTests: 2, missingCount: 0, notPassedCount: 0, added: 1 });
    expect(describeIdentity(c)).toBe('all 2 base tests ran and passed, 1 added');
  });

  it('catches swapped tests: as many (or more) tests, all green, but not the same ones', () => {
    const swapped = [1, 2, 3, 4, 5].map((i) => ({ id: `checks/sum.check.ts › rigged ${i}`, outcome: 'passed' as const }));
    const c = compareWithBase(base, swapped);
    expect(c).toMatchObject({ missingCount: 2, missing: ['sum › a', 'sum › b'], added: 5 });
    expect(describeIdentity(c)).toMatch(/^2 of the base's 2 tests did not run/);
  });

  it('catches a base test skipped or failing in the candidate', () => {
    const c = compareWithBase(base, [
      { id: 'sum › a', outcome: 'skipped' },
      { id: 'sum › b', outcome: 'failed' },
    ]);
    expect(c).toMatchObject({ missingCount: 0, notPassedCount: 2, notPassed: ['sum › a (skipped)', 'sum › b (failed)'] });
  });

  it('counts repeated names: a parametrized test run three times must pass three times', () => {
    const three = [1, 2, 3].map(() => ({ id: 'p › case', outcome: 'passed' as const }));
    expect(compareWithBase(three, three.slice(0, 2))).toMatchObject({ notPassedCount: 1 });
    expect(compareWithBase(three, three)).toMatchObject({ notPassedCount: 0, missingCount: 0 });
  });
});

function run(r: Partial<TestRunResult>): TestRunResult {
  return { exitCode: 0, timedOut: false, durationMs: 900, output: '', passed: true, violations: [], sandbox: 'bwrap', ...r };
}

describe('testGate by identity', () => {
  const counts = { passed: 5, failed: 0, skipped: 0, total: 5, runner: 'vitest' };

  it("rejects a green candidate whose tests are not the base's, even with more tests than the base", () => {
    const identity = compareWithBase(
      [{ id: 't › a', outcome: 'passed' }],
      [
        { id: 'x › 1', outcome: 'passed' },
        { id: 'x › 2', outcome: 'passed' },
      ],
    );
    const v = testGate(run({ counts: { ...counts, total: 2, passed: 2 }, identity }), { ...counts, total: 1, passed: 1 });
    expect(v).toMatchObject({ accepted: false, status: 'tests-failed' });
    expect(v.reason).toMatch(/1 of the base's 1 tests did not run \(t › a\).*may not be replaced/);
  });

  it('accepts the same tests, and says so', () => {
    const identity = compareWithBase([{ id: 't › a', outcome: 'failed' }], [{ id: 't › a', outcome: 'passed' }]);
    expect(testGate(run({ counts, identity }), counts)).toEqual({
      accepted: true,
      status: 'passed',
      reason: 'tests 5 passed; all 1 base tests ran and passed',
    });
  });

  it('falls back to the count check without a report, and says so', () => {
    const identity = { method: 'count' as const, note: 'no structured report' };
    expect(testGate(run({ counts: { ...counts, total: 4, passed: 4 }, identity }), counts)).toMatchObject({
      accepted: false,
      reason: expect.stringMatching(/ran 4 tests where the base ran 5/),
    });
    expect(testGate(run({ counts, identity }), counts).reason).toBe('tests 5 passed; tests compared by count only (no structured report)');
  });

  it("rejects a report that lists more tests than the runner's summary (a report forged to add the missing tests)", () => {
    const identity = compareWithBase([{ id: 't › a', outcome: 'passed' }], [{ id: 't › a', outcome: 'passed' }]);
    const v = testGate(
      run({ counts: { ...counts, passed: 3, total: 3 }, report: { format: 'junit', tests: 8, passed: 8, failed: 0, skipped: 0 }, identity }),
      counts,
    );
    expect(v).toMatchObject({ accepted: false, status: 'tests-failed' });
    expect(v.reason).toMatch(/report lists 8 tests but its summary 3/);
  });

  it('rejects a runner whose report shows a failure even when its exit code and summary do not', () => {
    expect(testGate(run({ counts, report: { format: 'junit', tests: 5, passed: 4, failed: 1, skipped: 0 } }))).toMatchObject({
      accepted: false,
      status: 'tests-failed',
    });
  });
});

describe('brokenBaseline', () => {
  const hint = 'use --writable';

  it('a runner that never started is not a failing suite', () => {
    expect(brokenBaseline(run({ exitCode: 1, output: '/usr/bin/python3: No module named pytest\n' }), hint)).toMatch(
      /did not start \(\/usr\/bin\/python3: No module named pytest\)/,
    );
    expect(brokenBaseline(run({ exitCode: 127, output: 'sh: 1: vitets: not found\n' }), hint)).toMatch(/did not start \(sh: 1: vitets: not found\)/);
    expect(brokenBaseline(run({ exitCode: 1, output: 'something odd\n' }), hint)).toMatch(/exited 1 without reporting any test/);
    expect(brokenBaseline(run({ exitCode: 1, output: 'No test files found, exiting with code 1\n' }), hint)).toMatch(/without reporting any test/);
  });

  it("failing tests are a fix's starting point: a summary, a report, go's or pytest's own lines show the runner ran", () => {
    expect(brokenBaseline(run({ exitCode: 1, counts: { passed: 3, failed: 2, skipped: 0, total: 5, runner: 'vitest' } }), hint)).toBeUndefined();
    expect(brokenBaseline(run({ exitCode: 1, report: { format: 'junit', tests: 2, passed: 1, failed: 1, skipped: 0 } }), hint)).toBeUndefined();
    expect(brokenBaseline(run({ exitCode: 1, output: '--- FAIL: TestSum (0.00s)\nFAIL\nFAIL\texample.com/sum\t0.002s\n' }), hint)).toBeUndefined();
    expect(
      brokenBaseline(run({ exitCode: 101, output: 'test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out\n' }), hint),
    ).toBeUndefined();
    expect(brokenBaseline(run({ exitCode: 0, output: '' }), hint)).toBeUndefined();
  });

  it('a base whose tests write tracked files says which and how to allow it', () => {
    const probes = { absent: [], perFolder: [], deniedWrites: ['test/out.txt'], truncated: false };
    expect(brokenBaseline(run({ exitCode: 1, counts: { passed: 0, failed: 1, skipped: 0, total: 1, runner: 'vitest' }, probes }), hint)).toMatch(
      /write tracked files \(test\/out\.txt\).*use --writable/,
    );
  });
});

describe('describeFailedInBase', () => {
  it("names the base's failing tests a committed candidate makes pass, first few and how many more", () => {
    const base: TestCase[] = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => ({ id: `t › ${n}`, outcome: n < 'c' ? 'passed' : 'failed' }));
    const c = compareWithBase(
      base,
      base.map((t) => ({ ...t, outcome: 'passed' as const })),
    );
    expect(c).toMatchObject({ failedInBaseCount: 5, failedInBase: ['t › c', 't › d', 't › e', 't › f', 't › g'] });
    expect(describeFailedInBase(c)).toBe('failed in the base, pass now: t › c; t › d; t › e; t › f; t › g');
    const eight = compareWithBase([...base, { id: 't › h', outcome: 'failed' }], [...base, { id: 't › h', outcome: 'passed' }]);
    expect(describeFailedInBase(eight)).toBe('failed in the base, pass now: t › c; t › d; t › e; t › f; t › g and 1 more');
  });

  it('says nothing for a green base, a file that failed to load, a count-only check or no check', () => {
    const green = compareWithBase([{ id: 't › a', outcome: 'passed' }], [{ id: 't › a', outcome: 'passed' }]);
    expect(green.failedInBase).toBeUndefined();
    expect(describeFailedInBase(green)).toBe('');
    const load = compareWithBase([{ id: './x.test.ts', outcome: 'failed', loadError: true }], [{ id: './x.test.ts', outcome: 'passed' }]);
    expect(describeFailedInBase(load)).toBe('');
    expect(describeFailedInBase({ method: 'count', note: 'no report' })).toBe('');
    expect(describeFailedInBase(undefined)).toBe('');
  });
});
