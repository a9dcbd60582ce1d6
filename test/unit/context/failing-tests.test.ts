import { describe, expect, it } from 'vitest';
import { failingLineNumbers, failureLines, filesNamedIn, linesAround } from '../../../core/context/failing-tests.js';

const tracked = [
  'src/cachetools/keys.py',
  'tests/test_keys.py',
  'tests/test_func.py',
  'calc/add_test.go',
  'src/lexer.rs',
  'test/sum.test.ts',
  'a/util_test.go',
  'b/util_test.go',
];

describe('what a red base says failed', () => {
  it('pytest: the FAILED line and the file:line', () => {
    const out = [
      '=================================== FAILURES ===================================',
      '______________________ CacheKeysTest.test_typedkey ______________________',
      '/tmp/ouro-runs/x/base/tests/test_keys.py:62: in test_typedkey',
      'E   AssertionError: (1, 2, 3) == (1.0, 2.0, 3.0)',
      'FAILED tests/test_keys.py::CacheKeysTest::test_typedkey - AssertionError',
      '1 failed, 40 passed',
    ].join('\n');
    expect(filesNamedIn(out, tracked)).toEqual(['tests/test_keys.py']);
    expect(failureLines(out)).toEqual([
      '/tmp/ouro-runs/x/base/tests/test_keys.py:62: in test_typedkey',
      'E   AssertionError: (1, 2, 3) == (1.0, 2.0, 3.0)',
      'FAILED tests/test_keys.py::CacheKeysTest::test_typedkey - AssertionError',
    ]);
  });

  it('go: a bare file name counts when one tracked file has it, never when two do', () => {
    expect(filesNamedIn('--- FAIL: TestAdd (0.00s)\n    add_test.go:12: got 3, want 4\n', tracked)).toEqual(['calc/add_test.go']);
    expect(filesNamedIn('    util_test.go:12: boom\n', tracked)).toEqual([]);
  });

  it('vitest and cargo, in the order they are named', () => {
    const out = ' FAIL  test/sum.test.ts > sumTo > includes n\nthread panicked at src/lexer.rs:40:5:\n';
    expect(filesNamedIn(out, tracked)).toEqual(['test/sum.test.ts', 'src/lexer.rs']);
  });

  it('never a longer name that contains a tracked path', () => {
    expect(filesNamedIn('see tests/test_keys.pyc and xtests/test_keys.py', tracked)).toEqual([]);
  });

  it('hostile output: huge, binary, no newline; lines are bounded', () => {
    const long = `FAILED ${'x'.repeat(10_000)}`;
    expect(failureLines(long)[0]!.length).toBe(200);
    expect(failureLines('\u0000\u0001FAIL \u001b[31m'.repeat(1000), 3).length).toBeLessThanOrEqual(3);
    expect(filesNamedIn('', tracked)).toEqual([]);
  });
});

describe('the lines around a failure', () => {
  it('finds the lines the output names in a file, whole path or after a folder, never in a longer name', () => {
    const out = '/tmp/x/tests/test_keys.py:73: AssertionError\ntests/test_keys.py:73: again\ntests/test_keys.py:12: in setUp\nmytests/test_keys.py:99\n';
    expect(failingLineNumbers(out, 'tests/test_keys.py')).toEqual([73, 12]);
    expect(failingLineNumbers('tests/test_(keys).py:5', 'tests/test_(keys).py')).toEqual([5]);
    expect(failingLineNumbers('nothing here', 'tests/test_keys.py')).toEqual([]);
  });

  it("shows the lines before each (the test's start) and a few after, merged where they meet", () => {
    const content = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n');
    const excerpt = linesAround(content, [50, 45, 95], 5, 2);
    expect(excerpt.split('\n').filter((l) => l.startsWith('# …'))).toEqual(['# … lines 40-52 …', '# … lines 90-97 …']);
    expect(excerpt).toContain('line 40\n');
    expect(excerpt).not.toContain('line 53');
    // Lines past the end (a stale report) are clamped, never an error.
    expect(linesAround('a\nb', [500])).toBe('');
  });
});
