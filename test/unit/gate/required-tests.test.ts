import { describe, expect, it } from 'vitest';
import {
  checkRequiredTests,
  describeRequired,
  GoVerdictLines,
  goTestFunctions,
  pytestFunctions,
  requiredFailure,
  requiredTests,
  type RequiredTests,
} from '../../../core/gate/required-tests.js';
import { DEFAULT_PROTECTED } from '../../../core/run/file-rules.js';
import { testGate } from '../../../core/gate/gate.js';
import { parseTestCounts } from '../../../core/gate/test-report.js';
import type { UnbuiltTestFiles } from '../../../core/gate/unbuilt-tests.js';

const GO_SOURCE = `package toml

import "testing"

func TestDecodeMaxDepth(t *testing.T) {}
func TestMain(m *testing.M) {}
func Testlower(t *testing.T) {}
func helper(t *testing.T) {}
func BenchmarkX(b *testing.B) {}
func Test_Underscore(tt *testing.T) {}
func Test(t *testing.T) {}
// func TestCommented(t *testing.T) {}
`;

const PY_SOURCE = `from mod import b

def test_b():
    assert b() == 2

async def test_async():
    pass

def helper_test():
    pass

class TestK:
    """doc"""
    def test_m(self):
        def test_inner():
            pass

    def setup_method(self):
        pass

class Other:
    def test_not(self):
        pass

def test_after_class():
    pass
`;

describe('listing the tests a file defines, as its runner finds them', () => {
  it('go: func TestXxx(t *testing.T), not TestMain, Testlower, helpers or benchmarks', () => {
    expect(goTestFunctions(GO_SOURCE)).toEqual(['TestDecodeMaxDepth', 'Test_Underscore', 'Test']);
    expect(goTestFunctions(GO_SOURCE.replace(/\n/g, '\r\n'))).toEqual(goTestFunctions(GO_SOURCE));
  });

  it("pytest: module test_* functions and Test* classes' test_* methods", () => {
    expect(pytestFunctions(PY_SOURCE)).toEqual(['test_b', 'test_async', 'test_m', 'test_after_class']);
    expect(pytestFunctions(PY_SOURCE.replace(/\n/g, '\r\n'))).toEqual(pytestFunctions(PY_SOURCE));
  });

  it('pytest: the test methods of a unittest.TestCase subclass by any name (cachetools: CachedMethodTest), not of a plain class', () => {
    const source = `import unittest\n\nclass Cached:\n    def test_helper(self):\n        pass\n\nclass CachedMethodTest(unittest.TestCase):\n    def test_dict(self):\n        pass\n\n    def testLegacy(self):\n        pass\n\nclass Mixed(Base, TestCase):\n    def test_x(self):\n        pass\n\nclass NotATestCaseMixin(TestCaseHelper):\n    def test_no(self):\n        pass\n`;
    expect(pytestFunctions(source)).toEqual(['test_dict', 'testLegacy', 'test_x']);
  });

  it('go: every protected _test.go of each failing package, named "<import path> › TestX"', () => {
    const unbuilt: UnbuiltTestFiles = {
      runner: 'go',
      files: ['decode_test.go'],
      packages: [
        { dir: '', importPath: 'example.com/t' },
        { dir: 'sub', importPath: 'example.com/t/sub' },
      ],
      causes: ['decode_test.go uses d.MaxDepth'],
    };
    const r = requiredTests(
      unbuilt,
      [
        { path: 'decode_test.go', text: GO_SOURCE },
        { path: 'a_test.go', text: 'func TestOld(t *testing.T) {}\n' },
        { path: 'sub/s_test.go', text: 'func TestSub(t *testing.T) {}\n' },
        { path: 'sub/deeper/d_test.go', text: 'func TestDeeper(t *testing.T) {}\n' },
        { path: 'other/o_test.go', text: 'func TestOther(t *testing.T) {}\n' },
      ],
      DEFAULT_PROTECTED,
    );
    expect(r?.ids).toEqual([
      'example.com/t › TestOld',
      'example.com/t › TestDecodeMaxDepth',
      'example.com/t › Test_Underscore',
      'example.com/t › Test',
      'example.com/t/sub › TestSub',
    ]);
    expect(r?.packages).toEqual(['example.com/t', 'example.com/t/sub']);
  });

  it('a test file the rules do not protect is not listed; none listed is no measure', () => {
    const unbuilt: UnbuiltTestFiles = { runner: 'go', files: ['x_test.go'], packages: [{ dir: '', importPath: 'e/x' }], causes: [] };
    expect(requiredTests(unbuilt, [{ path: 'x_test.go', text: GO_SOURCE }], ['src/**'])).toBeUndefined();
    expect(requiredTests(unbuilt, [{ path: 'x_test.go', text: 'package x\n' }], DEFAULT_PROTECTED)).toBeUndefined();
  });

  it('pytest: "<file> › test_x", as its JUnit report names them', () => {
    const unbuilt: UnbuiltTestFiles = { runner: 'pytest', files: ['tests/test new.py'], causes: ['c'] };
    expect(requiredTests(unbuilt, [{ path: 'tests/test new.py', text: PY_SOURCE }], DEFAULT_PROTECTED)?.ids).toEqual([
      'tests/test new.py › test_b',
      'tests/test new.py › test_async',
      'tests/test new.py › test_m',
      'tests/test new.py › test_after_class',
    ]);
  });
});

const GO_REQUIRED: RequiredTests = { runner: 'go', ids: ['example.com/t › TestA', 'example.com/t › TestB'], causes: ['a_test.go uses X'] };

describe('checking a candidate against the required tests', () => {
  it('go: each passed in its package', () => {
    const out =
      '=== RUN   TestA\n--- PASS: TestA (0.00s)\n=== RUN   TestB\n--- PASS: TestB (0.00s)\n    --- FAIL: TestB/sub (0.00s)\nPASS\nok  \texample.com/t\t0.01s\n';
    expect(checkRequiredTests(GO_REQUIRED, out, undefined)).toMatchObject({ missingCount: 0, notPassedCount: 0 });
    expect(requiredFailure(GO_REQUIRED, checkRequiredTests(GO_REQUIRED, out.replace(/\n/g, '\r\n'), undefined))).toBeUndefined();
  });

  it('go (hostile): an init() that exits 0 prints "ok" and no test', () => {
    const check = checkRequiredTests(GO_REQUIRED, 'ok  \texample.com/t\t0.01s\n', undefined);
    expect(requiredFailure(GO_REQUIRED, check)).toMatch(/2 of the 2 tests the base could not build did not run \(TestA; TestB\)/);
  });

  it('go (hostile): the same names passing in another package, or after the last package line, do not count', () => {
    const other = '--- PASS: TestA (0.00s)\n--- PASS: TestB (0.00s)\nok  \texample.com/other\t0.01s\nok  \texample.com/t\t0.01s\n';
    expect(checkRequiredTests(GO_REQUIRED, other, undefined).missingCount).toBe(2);
    expect(checkRequiredTests(GO_REQUIRED, 'ok  \texample.com/t\t0.01s\n--- PASS: TestA (0.00s)\n', undefined).missingCount).toBe(2);
  });

  it('go (hostile): skipped, failed, or run twice with one failure', () => {
    const out = '--- SKIP: TestA (0.00s)\n--- PASS: TestB (0.00s)\n--- FAIL: TestB (0.00s)\nFAIL\texample.com/t\t0.01s\n';
    const check = checkRequiredTests(GO_REQUIRED, out, undefined);
    expect(check).toMatchObject({ missingCount: 0, notPassedCount: 2 });
    expect(requiredFailure(GO_REQUIRED, check)).toMatch(/TestA \(skipped\); TestB \(failed\)/);
  });

  it('pytest: from the report, a load error is no test', () => {
    const req: RequiredTests = { runner: 'pytest', ids: ['tests/test_x.py › test_b'], causes: [] };
    expect(checkRequiredTests(req, '', [{ id: 'tests/test_x.py › test_b', outcome: 'passed' }]).missingCount).toBe(0);
    expect(checkRequiredTests(req, '', [{ id: 'tests/test_x.py › test_b', outcome: 'failed', loadError: true }]).missingCount).toBe(1);
    // No report (os._exit(0) at import): none ran.
    expect(checkRequiredTests(req, '1 passed in 0.01s', undefined).missingCount).toBe(1);
  });

  it('a result that was never checked fails', () => {
    expect(requiredFailure(GO_REQUIRED, undefined)).toMatch(/were not checked/);
  });

  it('says it plainly', () => {
    expect(describeRequired({ ...GO_REQUIRED, causes: ['decode_test.go uses d.MaxDepth'] })).toBe(
      "the base's tests do not build: decode_test.go uses d.MaxDepth; a candidate must make them build and pass: TestA, TestB",
    );
  });
});

describe('the test gate with required tests', () => {
  const run = (output: string, required: ReturnType<typeof checkRequiredTests> | undefined) =>
    testGate(
      {
        exitCode: 0,
        timedOut: false,
        durationMs: 1,
        output,
        passed: true,
        violations: [],
        sandbox: 'bwrap',
        counts: parseTestCounts(output),
        ...(required ? { required } : {}),
      },
      undefined,
      { requireTestsRan: true, requiredTests: GO_REQUIRED },
    );
  const good = '--- PASS: TestA (0.00s)\n--- PASS: TestB (0.00s)\nok  \texample.com/t\t0.01s\n';

  it('passes a run where each ran and passed', () => {
    expect(run(good, checkRequiredTests(GO_REQUIRED, good, undefined))).toMatchObject({ accepted: true });
  });

  it('refuses a green run that ran other tests but not these (hostile: the package exits 0 before its tests)', () => {
    const other = '--- PASS: TestOld (0.00s)\nok  \texample.com/other\t0.01s\nok  \texample.com/t\t0.01s\n';
    expect(run(other, checkRequiredTests(GO_REQUIRED, other, undefined))).toMatchObject({ accepted: false, reason: expect.stringMatching(/did not run/) });
  });

  it('refuses a run whose result was not checked (an older worker)', () => {
    expect(run(good, undefined)).toMatchObject({ accepted: false, reason: expect.stringMatching(/were not checked/) });
  });
});

describe("go's verdict lines kept from a whole run", () => {
  it('keeps verdict and package lines across chunk boundaries and CRLF, nothing else', () => {
    const lines = new GoVerdictLines();
    const out = `=== RUN   TestA\r\nnoise ${'x'.repeat(10_000)}\r\n--- PASS: TestA (0.00s)\r\n--- PASS: TestB (0.00s)\nok  \texample.com/t\t0.01s`;
    for (let i = 0; i < out.length; i += 7) lines.push(out.slice(i, i + 7));
    expect(lines.text()).toBe('--- PASS: TestA (0.00s)\n--- PASS: TestB (0.00s)\nok  \texample.com/t\t0.01s');
    expect(requiredFailure(GO_REQUIRED, checkRequiredTests(GO_REQUIRED, lines.text(), undefined))).toBeUndefined();
  });

  it('a verdict cut from the excerpt of a long run is still seen', () => {
    const lines = new GoVerdictLines();
    lines.push(
      `--- PASS: TestA (0.00s)\n${'=== RUN   TestSub/x\n    --- PASS: TestSub/x (0.00s)\n'.repeat(10_000)}--- PASS: TestB (0.00s)\nok  \texample.com/t\t0.1s\n`,
    );
    expect(checkRequiredTests(GO_REQUIRED, lines.text(), undefined)).toMatchObject({ missingCount: 0, notPassedCount: 0 });
  });
});

describe('hostile: what the reviewer found', () => {
  it('go: a test file go never builds here is not listed, so no candidate is held to a test it cannot run', () => {
    const unbuilt: UnbuiltTestFiles = { runner: 'go', files: ['a_test.go'], packages: [{ dir: '', importPath: 'e/x' }], causes: [] };
    const file = (path: string, name: string, head = '') => ({ path, text: `${head}package x\n\nimport "testing"\n\nfunc ${name}(t *testing.T) {}\n` });
    const r = requiredTests(
      unbuilt,
      [
        file('a_test.go', 'TestA'),
        file('_off_test.go', 'TestUnderscore'),
        file('.hidden_test.go', 'TestDot'),
        file('x_windows_test.go', 'TestWindows'),
        file('x_linux_arm64_test.go', 'TestArm'),
        file('tagged_test.go', 'TestTagged', '//go:build integration\n\n'),
        file('here_test.go', 'TestHere', '//go:build linux && amd64\n\n'),
      ],
      DEFAULT_PROTECTED,
      { goos: 'linux', goarch: 'amd64' },
    );
    expect(r?.ids).toEqual(['e/x › TestA', 'e/x › TestHere']);
  });

  it('pytest: each instance of a parametrised test answers for its listed name; all must pass, one must run', () => {
    const req: RequiredTests = { runner: 'pytest', ids: ['t.py › test_p', 't.py › test_q'], causes: [] };
    const passed = (id: string) => ({ id, outcome: 'passed' as const });
    expect(checkRequiredTests(req, '', [passed('t.py › test_p[1]'), passed('t.py › test_p[a-[b]]'), passed('t.py › test_q')])).toMatchObject({
      missingCount: 0,
      notPassedCount: 0,
    });
    const oneSkipped = checkRequiredTests(req, '', [passed('t.py › test_p[1]'), { id: 't.py › test_p[2]', outcome: 'skipped' }, passed('t.py › test_q')]);
    expect(requiredFailure(req, oneSkipped)).toMatch(/1 of the 2 tests .* did not pass \(test_p \(skipped\)\)/);
    // Another test's instances, or a name that only starts the same, answer for nothing.
    expect(checkRequiredTests(req, '', [passed('t.py › test_pp[1]'), passed('u.py › test_p[1]'), passed('t.py › test_q')]).missingCount).toBe(1);
  });

  it('go: the base could not count the packages that did not build, so only the verdicts outside them are held to its count', () => {
    const REQ: RequiredTests = { runner: 'go', ids: ['e/x › TestA', 'e/x › TestB'], causes: [] };
    const base = parseTestCounts('--- PASS: TestOther (0.00s)\n--- PASS: TestOther2 (0.00s)\nok  \te/other\t0.01s\nFAIL\te/x [build failed]\n')!;
    expect(base).toMatchObject({ passed: 2, total: 2 });
    const gate = (output: string) =>
      testGate(
        {
          exitCode: 0,
          timedOut: false,
          durationMs: 1,
          output,
          passed: true,
          violations: [],
          sandbox: 'bwrap',
          counts: parseTestCounts(output),
          required: checkRequiredTests(REQ, output, undefined),
        },
        base,
        { requireTestsRan: true, requiredTests: REQ },
      );
    const required = '--- PASS: TestA (0.00s)\n    --- PASS: TestA/sub (0.00s)\n--- PASS: TestB (0.00s)\nok  \te/x\t0.01s\n';
    // The other package's init() exits 0: "ok" and no verdict; the required package's three lines would make up the count.
    const lost = `ok  \te/other\t0.01s\n${required}`;
    expect(parseTestCounts(lost)).toMatchObject({ passed: 3, total: 3 });
    expect(gate(lost)).toMatchObject({
      accepted: false,
      reason: expect.stringMatching(/ran 0 tests outside the packages that did not build at the base where the base ran 2/),
    });
    // One of the two skipped: as many lines, one fewer passed.
    const skipped = `--- PASS: TestOther (0.00s)\n--- SKIP: TestOther2 (0.00s)\nok  \te/other\t0.01s\n${required}`;
    expect(gate(skipped)).toMatchObject({ accepted: false, reason: expect.stringMatching(/passed 1 tests outside the packages/) });
    expect(gate(`--- PASS: TestOther (0.00s)\n--- PASS: TestOther2 (0.00s)\nok  \te/other\t0.01s\n${required}`)).toMatchObject({ accepted: true });
  });

  it('go: a package that did not build and lists no Test (Examples only) is not counted outside either', () => {
    const listed: RequiredTests = { runner: 'go', ids: ['e/x › TestA'], causes: [], packages: ['e/x', 'e/ex'] };
    // e/ex built nothing at the base; its Example verdicts must not make up for e/other's lost tests.
    const output =
      '--- PASS: TestA (0.00s)\nok  \te/x\t0.01s\n--- PASS: ExampleA (0.00s)\n--- PASS: ExampleB (0.00s)\nok  \te/ex\t0.01s\nok  \te/other\t0.01s\n';
    expect(checkRequiredTests(listed, output, undefined).outside).toMatchObject({ total: 0 });
    // A base recorded by an older worker names no packages: those of the listed tests only.
    expect(checkRequiredTests({ ...listed, packages: undefined }, output, undefined).outside).toMatchObject({ total: 2 });
  });

  it('an unchecked result says an older worker probably ran it', () => {
    expect(requiredFailure(GO_REQUIRED, undefined)).toMatch(/older than test-first fixes/);
  });
});
