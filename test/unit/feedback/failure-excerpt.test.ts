import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { failureExcerpt } from '../../../core/feedback/failure-excerpt.js';
import { detectRunner } from '../../../core/feedback/runner-lines.js';
import { testRejectionMessage } from '../../../core/feedback/rejection-message.js';
import { headTail } from '../../../core/views/excerpt.js';

// Real output of each runner on a small project with passing, skipped and failing tests.
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const RUNNERS = [
  {
    file: 'go-v.txt',
    runner: 'go',
    must: ['version6_test.go:54: got 3, want version 6', '--- FAIL: TestVersion6', 'version6_test.go:13: case b: got 3', '--- FAIL: TestTable/b'],
  },
  { file: 'go.txt', runner: 'go', must: ['version6_test.go:54: got 3, want version 6', 'panic: runtime error: integer divide by zero', 'div_test.go:12'] },
  {
    file: 'go-parallel-v.txt',
    runner: 'go',
    must: ['par_test.go:11: checking the slow path', 'par_test.go:12: slow path: got 1, want 2', '--- FAIL: TestSlowFail'],
  },
  { file: 'go-panic-v.txt', runner: 'go', must: ['--- FAIL: TestDivZero', 'panic: runtime error: integer divide by zero', 'div_test.go:12'] },
  {
    file: 'pytest.txt',
    runner: 'pytest',
    must: ['E       assert -1 == 5', 'test_calc.py:17: AssertionError', 'E       ValueError: bad value 7', 'FAILED test_calc.py::test_add'],
  },
  {
    file: 'pytest-v.txt',
    runner: 'pytest',
    must: ['test_calc.py::test_add FAILED', 'E       assert -1 == 5', 'FAILED test_calc.py::test_raises - ValueError: bad value 7'],
  },
  {
    file: 'cargo.txt',
    runner: 'cargo',
    must: ['panicked at src/lib.rs:38:9', '  left: -1', ' right: 5', 'a value was due', 'test result: FAILED. 30 passed; 2 failed'],
  },
  {
    file: 'vitest.txt',
    runner: 'vitest',
    must: ['FAIL  max.test.js > largest > finds the max', 'AssertionError: expected 1 to be 3', 'max.test.js:5:58', 'throws on empty'],
  },
  { file: 'node-spec.txt', runner: 'node:test', must: ['✖ finds the max', '1 !== 3', 'node.test.js:5:38'] },
  { file: 'node-tap.txt', runner: 'node:test', must: ['not ok 21 - finds the max', '1 !== 3', "location: '/tmp/fx/js/node.test.js:5:1'"] },
];

// What each runner prints for a test that passed or was skipped, or as progress: none of it may reach the model.
const PASSING = [
  /^=== RUN/m,
  /--- PASS/,
  /--- SKIP/,
  /needs network/,
  /\.\.\. ok$/m,
  /\.\.\. ignored$/m,
  /✓/,
  /✔/,
  /↓ later/,
  /^ok \d+ /m,
  /PASSED/,
  /^test_many\.py \.+/m,
  /# Subtest: keeps/,
  /keeps a single value \d/,
  /path fine/,
];

describe('failureExcerpt on real runner output', () => {
  for (const { file, runner, must } of RUNNERS) {
    it(`${file}: keeps what failed, drops what passed, strips colour`, () => {
      const output = fixture(file);
      expect(detectRunner(output)).toBe(runner);
      const excerpt = failureExcerpt(output, 2500);
      for (const line of must) expect(excerpt).toContain(line);
      for (const p of PASSING) expect(excerpt).not.toMatch(p);
      expect(excerpt).not.toContain('\u001b[');
      expect(excerpt.length).toBeLessThanOrEqual(2500);
    });
  }

  it('the go -v run of the report: the failing line survives where head and tail lost it', () => {
    const output = fixture('go-v.txt');
    expect(headTail(output, 2500)).not.toContain('version6_test.go:54'); // the bug: both ends are --- PASS lines
    expect(failureExcerpt(output, 2500, 'go').split('\n').slice(0, 6)).toEqual([
      '    version6_test.go:13: case b: got 3',
      '--- FAIL: TestTable (0.00s)',
      '    --- FAIL: TestTable/b (0.00s)',
      '    version6_test.go:54: got 3, want version 6',
      '--- FAIL: TestVersion6 (0.00s)',
      'FAIL',
    ]);
    expect(failureExcerpt(output, 2500, 'go').split('\n').slice(6)).toEqual([expect.stringMatching(/^FAIL\texample\.com\/version\t[\d.]+s$/), 'FAIL']);
  });

  it("under a tight budget the lines that name a failure come before their context, and the runner's own frames are gone", () => {
    const cargo = failureExcerpt(fixture('cargo.txt'), 400);
    expect(cargo.length).toBeLessThanOrEqual(400);
    expect(cargo).toContain('panicked at src/lib.rs:38:9');
    expect(cargo).toContain('  left: -1');
    expect(failureExcerpt(fixture('cargo.txt'), 4000)).not.toMatch(/\/rustc\/|rust_begin_unwind/);
    const go = failureExcerpt(fixture('go-panic-v.txt'), 4000);
    expect(go).not.toMatch(/src\/testing\/testing\.go|src\/runtime\/panic\.go|^goroutine/m);
    expect(go).toContain('/div/div.go:3');
    const node = failureExcerpt(fixture('node-spec.txt'), 4000);
    expect(node).not.toMatch(/node:internal|node:async_hooks/);
    const pytest = failureExcerpt(fixture('pytest-v.txt'), 300);
    expect(pytest).toContain('E       assert -1 == 5');
    expect(pytest).toContain('…');
  });

  it('output of no known runner keeps its head and tail, as before', () => {
    const odd = `start\n${'x'.repeat(5000)}\nend`;
    expect(failureExcerpt(odd, 500)).toBe(headTail(odd, 500));
    expect(failureExcerpt('\u001b[31mboom\u001b[0m', 100)).toBe('boom');
  });

  it('hostile and malformed output: empty, carriage-return progress, huge lines, a budget below one line', () => {
    expect(failureExcerpt('', 100)).toBe('');
    expect(failureExcerpt('collected 3 items\r\n\r\n', 100, 'pytest')).toBe('');
    expect(failureExcerpt('test_a.py 10%\rtest_a.py F [100%]\nE   assert 1 == 2\n', 200, 'pytest')).toBe('test_a.py F [100%]\nE   assert 1 == 2');
    const huge = `--- FAIL: TestBig (0.00s)\n    big_test.go:1: ${'y'.repeat(100_000)}\nFAIL\tex\t0.1s\n`;
    const cut = failureExcerpt(huge, 1000, 'go');
    expect(cut.length).toBeLessThanOrEqual(1000);
    expect(cut).toContain('--- FAIL: TestBig');
    expect(failureExcerpt(fixture('go-v.txt'), 5).length).toBeLessThanOrEqual(5);
    expect(failureExcerpt(fixture('go-v.txt'), 0)).toBe('');
    expect(failureExcerpt('--- PASS: TestA (0.00s)\n', 100, 'an unknown name')).toBe('');
    // Under t.Parallel a failing test's log can precede another test's pass: it stays.
    const interleaved =
      '=== CONT  TestSlowFail\n    par_test.go:12: slow path: got 1, want 2\n=== NAME  TestMidPass\n--- PASS: TestMidPass (0.01s)\n=== NAME  TestSlowFail\n--- FAIL: TestSlowFail (0.03s)\nFAIL\n';
    expect(failureExcerpt(interleaved, 500, 'go')).toBe('    par_test.go:12: slow path: got 1, want 2\n--- FAIL: TestSlowFail (0.03s)\nFAIL');
  });
});

describe('testRejectionMessage', () => {
  it('carries the go failure line to the draft, in the sections the chat prompt reads', () => {
    const msg = testRejectionMessage('tests 125 passed, 2 failed', '-a\n+b', fixture('go-v.txt'), 'go');
    expect(msg.startsWith('tests 125 passed, 2 failed\nYour change:\n-a\n+b\nTest output:\n')).toBe(true);
    expect(msg).toContain('version6_test.go:54: got 3, want version 6');
  });
});
