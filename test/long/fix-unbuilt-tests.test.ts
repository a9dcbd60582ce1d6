// Test-first fixes: the user wrote the test for what they want (here a Decoder.MaxDepth) and runs
// `ouro run --fix`; at the base the test does not build, so go test runs nothing. With --fix, and only
// because the file that does not build is a protected test file, the run starts from it and holds
// every candidate to the tests that package's test files define, by name. Real runs: a Temporal dev
// server, real git, the sandbox, `go test`, and a scripted model. Long: each run builds a Go module's
// tests in a fresh sandbox (tens of seconds on two busy cores).
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createExampleRepo } from '../helpers/example-repos.js';
import { wholeFileReply } from '../helpers/hostile.js';
import { gitLines, resultOf, startTestRun, testInput, uniquePrefix, useFakeProvider, useSharedWorkers } from '../helpers/harness.js';

const prefix = uniquePrefix();
useSharedWorkers(prefix);
const fake = useFakeProvider();

const hasGo = process.getuid?.() === 0 && (await execa('go', ['version'], { reject: false })).exitCode === 0;

const DECODER = 'package depth\n\ntype Decoder struct{ depth int }\n\nfunc (d *Decoder) Decode() int { return 1 }\n';
/** What the user wants: a MaxDepth the decoder honours. */
const FIXED = `package depth\n\ntype Decoder struct {\n\tdepth    int\n\tMaxDepth int\n}\n\nfunc (d *Decoder) Decode() int { return 1 }\n\n// Depth is how deep the decoder goes: MaxDepth when set.\nfunc (d *Decoder) Depth() int {\n\tif d.MaxDepth > 0 {\n\t\treturn d.MaxDepth\n\t}\n\treturn 64\n}\n`;
/** Builds, and the package's tests never run: the test binary exits 0 from init(), so go test prints "ok". */
const EXITS_IN_INIT = FIXED.replace('package depth\n', 'package depth\n\nimport "os"\n\nfunc init() { os.Exit(0) }\n').replace('return 64', 'return 0');

const goRepo = (extra: Record<string, string> = {}) =>
  createExampleRepo({
    files: {
      'go.mod': 'module example.com/depth\n\ngo 1.21\n',
      'decoder.go': DECODER,
      'decoder_test.go':
        'package depth\n\nimport "testing"\n\nfunc TestDecode(t *testing.T) {\n\tif (&Decoder{}).Decode() != 1 {\n\t\tt.Fatal("Decode")\n\t}\n}\n',
      'maxdepth_test.go':
        'package depth\n\nimport "testing"\n\nfunc TestDecodeMaxDepth(t *testing.T) {\n\td := &Decoder{}\n\td.MaxDepth = 3\n\tif d.Depth() != 3 {\n\t\tt.Fatal("MaxDepth")\n\t}\n}\n\nfunc TestDefaultDepth(t *testing.T) {\n\tif (&Decoder{}).Depth() != 64 {\n\t\tt.Fatal("default")\n\t}\n}\n',
      ...extra,
    },
  });

const input = (repo: string, fix: boolean) => ({
  ...testInput(repo, prefix, fake.url, { fix, test: 'go test ./...', drafts: 'gpu:1' }),
  files: ['*.go'],
  goal: 'Add Decoder.MaxDepth (and Depth) so that the new tests build and pass.',
});

describe.skipIf(!hasGo)('a fix from Go tests that do not build yet (ouro run --fix)', () => {
  it('the right candidate is committed; the base and the first feedback say which tests it must make build and pass', async () => {
    const repo = await goRepo();
    fake.script('r1c1', [{ content: wholeFileReply({ 'decoder.go': FIXED }) }]);
    const before = fake.requests.length;
    const result = await resultOf(await startTestRun(input(repo, true)));
    expect(result.outcome, `${result.baselineReason ?? ''}${JSON.stringify(result.candidates)}`).toBe('committed');
    expect(result.testIdentity).toMatch(
      /the base's tests do not build: maxdepth_test\.go uses d\.MaxDepth; a candidate must make them build and pass: TestDecode, TestDecodeMaxDepth, TestDefaultDepth/,
    );
    const prompt = JSON.stringify(fake.requests[before]!.body.messages);
    expect(prompt).toContain("the base's tests do not build: maxdepth_test.go uses d.MaxDepth");
    expect(await gitLines(repo, 'show', '--format=', '--name-only', result.commitSha!)).toEqual(['decoder.go']);
  }, 600_000);

  it('without --fix the same base is still baseline-broken', async () => {
    const repo = await goRepo();
    const before = fake.requests.length;
    const result = await resultOf(await startTestRun(input(repo, false)));
    expect(result.outcome).toBe('baseline-broken');
    expect(result.baselineReason).toMatch(/without reporting any test/);
    expect(fake.requests.length).toBe(before);
  }, 600_000);

  // Another package's tests run and pass at the base, so the count rules see a suite that ran; the package
  // that did not build is the goal. A candidate whose package exits 0 in init() keeps that count (1 passed)
  // and exits 0: only the tests listed from the unbuilt package's files tell it ran none of them.
  it('a candidate whose package exits 0 in init() (the other package still passing) is refused, by name', async () => {
    const repo = await goRepo({
      'other/other.go': 'package other\n',
      'other/other_test.go': 'package other\n\nimport "testing"\n\nfunc TestOther(t *testing.T) {}\n',
    });
    fake.script('r1c1', [{ content: wholeFileReply({ 'decoder.go': EXITS_IN_INIT }) }]);
    const result = await resultOf(await startTestRun(input(repo, true)));
    expect(result.outcome, JSON.stringify(result.candidates)).toBe('no-candidate-passed');
    expect(result.candidates[0]).toMatchObject({
      status: 'tests-failed',
      reason: expect.stringMatching(/3 of the 3 tests the base could not build did not run \(TestDecode; TestDecodeMaxDepth; TestDefaultDepth\)/),
    });
    expect(await gitLines(repo, 'branch', '--list', 'ouro/*')).toEqual([]);
  }, 600_000);

  // The right fix, and another package's tests made never to run (its init() exits 0): the base's count (1, the other
  // package's) is met by the required package's 3 verdicts, so only the count outside the packages that did not build tells.
  it("a candidate that loses another package's tests is refused, though the required tests' verdicts outnumber them", async () => {
    const repo = await goRepo({
      'other/other.go': 'package other\n',
      'other/other_test.go': 'package other\n\nimport "testing"\n\nfunc TestOther(t *testing.T) {}\n',
    });
    fake.script('r1c1', [
      { content: wholeFileReply({ 'decoder.go': FIXED, 'other/other.go': 'package other\n\nimport "os"\n\nfunc init() { os.Exit(0) }\n' }) },
    ]);
    const result = await resultOf(await startTestRun({ ...input(repo, true), files: ['*.go', 'other/*.go'] }));
    expect(result.outcome, JSON.stringify(result.candidates)).toBe('no-candidate-passed');
    expect(result.candidates[0]).toMatchObject({
      status: 'tests-failed',
      reason: expect.stringMatching(/ran 0 tests outside the packages that did not build at the base where the base ran 1/),
    });
  }, 600_000);
});

const PY_TEST = 'from mathx import b\n\n\ndef test_b():\n    assert b() == 2\n\n\nclass TestB:\n    def test_twice(self):\n        assert b() + b() == 4\n';
const pyRepo = (extra: Record<string, string> = {}) =>
  createExampleRepo({
    files: {
      ...extra,
      'mathx.py': 'def a():\n    return 1\n',
      'pytests/test_b.py': PY_TEST,
      // Another module that would pass; pytest stops at the collection error, so at the base it never runs.
      'pytests/test_plain.py': 'def test_plain():\n    assert 1 + 1 == 2\n',
    },
  });
const pyInput = (repo: string, files = ['*.py']) => ({
  ...testInput(repo, prefix, fake.url, { fix: true, test: 'python3 -m pytest -q pytests', drafts: 'gpu:1' }),
  files,
  goal: 'Add b() to mathx so that the new tests import and pass.',
});

describe('a fix from pytest tests that do not import yet (ouro run --fix)', () => {
  it('the right candidate is committed, held to test_b and test_twice by their report names', async () => {
    const repo = await pyRepo();
    fake.script('r1c1', [{ content: wholeFileReply({ 'mathx.py': 'def a():\n    return 1\n\n\ndef b():\n    return 2\n' }) }]);
    const result = await resultOf(await startTestRun(pyInput(repo)));
    expect(result.outcome, `${result.baselineReason ?? ''}${JSON.stringify(result.candidates)}`).toBe('committed');
    expect(result.testIdentity).toMatch(
      /pytests\/test_b\.py imports b from mathx, which the code does not define; a candidate must make them load and pass: test_b, test_twice/,
    );
    // Held to test_plain too, which pytest never reached at the base: the base was measured again past its collection error.
    expect(result.testIdentity).toMatch(/^by identity: the 1 other tests the base ran past its collection errors/);
  }, 600_000);

  // The right fix, and another module broken: the code it imports skips it at import (a computed name). pytest exits 0 and the
  // required tests pass; the base's first run never reached that module (pytest stopped at the collection error), so only
  // its run past the collection errors holds it.
  it('a candidate that makes another module skip is refused, by the base measured past its collection errors', async () => {
    const repo = await pyRepo({
      'utils.py': 'def c():\n    return 3\n',
      'pytests/test_utils.py': 'from utils import c\n\n\ndef test_c():\n    assert c() == 3\n',
    });
    const skips = "raise getattr(__import__('unit' + 'test'), 'SkipTest')('later')\n\n\ndef c():\n    return 3\n";
    fake.script('r1c1', [{ content: wholeFileReply({ 'mathx.py': 'def a():\n    return 1\n\n\ndef b():\n    return 2\n', 'utils.py': skips }) }]);
    const result = await resultOf(await startTestRun(pyInput(repo)));
    expect(result.outcome, `${result.baselineReason ?? ''}${JSON.stringify(result.candidates)}`).toBe('no-candidate-passed');
    expect(result.candidates[0]).toMatchObject({
      status: 'tests-failed',
      reason: expect.stringMatching(/test_utils\.py › test_c.*: the base's tests may not be replaced, skipped or removed/),
    });
  }, 600_000);

  // The module's tests are made to skip from the code they import (unittest.SkipTest raised at import, under a computed
  // name past the syntactic framework check): the other module passes, the run exits 0, and by count and by the base's
  // report (whose only entry was a file that failed to load) nothing is missing. Only the listed names are.
  it('a candidate that makes the new test module skip is refused, by name', async () => {
    const repo = await pyRepo();
    const skips = "raise getattr(__import__('unit' + 'test'), 'SkipTest')('later')\n\n\ndef a():\n    return 1\n\n\ndef b():\n    return 2\n";
    fake.script('r1c1', [{ content: wholeFileReply({ 'mathx.py': skips }) }]);
    const result = await resultOf(await startTestRun(pyInput(repo)));
    expect(result.outcome, JSON.stringify(result.candidates)).toBe('no-candidate-passed');
    expect(result.candidates[0]).toMatchObject({
      status: 'tests-failed',
      reason: expect.stringMatching(/2 of the 2 tests the base could not load did not run \(test_b; test_twice\)/),
    });
  }, 600_000);
});
