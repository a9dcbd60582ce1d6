// Python's unittest, counted from its summary (it writes no report Ouro can ask for): real output of
// python 3.11's `python -m unittest` (test/unit/gate/runner-samples/ut-*.out), and malformed or hostile lines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTestCounts } from '../../../core/gate/test-report.js';
import { noTestsRan } from '../../../core/gate/tests-ran.js';

const sample = (name: string) => readFileSync(join(import.meta.dirname, 'runner-samples', `${name}.out`), 'utf8');

describe('unittest counts', () => {
  it('reads passes, failures, errors, skips and expected failures; a module that failed to import is a load error', () => {
    expect(parseTestCounts(sample('ut-mixed'))).toEqual({ passed: 1, failed: 3, skipped: 2, total: 6, runner: 'unittest', loadErrors: 1 });
    expect(parseTestCounts(sample('ut-ok'))).toEqual({ passed: 1, failed: 0, skipped: 2, total: 3, runner: 'unittest' });
  });

  it('a base that ran tests ran some; one that found none ran none', () => {
    expect(noTestsRan({ output: sample('ut-ok'), counts: parseTestCounts(sample('ut-ok')) })).toBeUndefined();
    expect(noTestsRan({ output: sample('ut-none'), counts: parseTestCounts(sample('ut-none')) })).toBe('unittest ran 0 tests');
  });

  it('"expected failures=" is not read as failures, and unexpected successes fail', () => {
    expect(parseTestCounts('Ran 4 tests in 0.1s\n\nOK (expected failures=2)\n')).toMatchObject({ passed: 2, failed: 0, skipped: 2 });
    expect(parseTestCounts('Ran 2 tests in 0.1s\n\nFAILED (unexpected successes=1)\n')).toMatchObject({ passed: 1, failed: 1 });
  });

  it('malformed summaries are no count', () => {
    for (const text of [
      'Ran 5 tests in 0.1s\n',
      'Ran many tests in 0.1s\n\nOK\n',
      'OK\nRan 5 tests in 0.1s\n',
      '  Ran 5 tests in 0.1s\n\nOK\n',
      'Ran 5 tests in 0.1s\n\nOK (skipped=1\n',
    ]) {
      expect(parseTestCounts(text), text).toBeUndefined();
    }
  });

  it('the last summary wins, and counts past the total pass none', () => {
    expect(parseTestCounts('Ran 9 tests in 0.1s\n\nOK\n...\nRan 2 tests in 0.1s\n\nFAILED (failures=2)\n')).toMatchObject({ passed: 0, failed: 2, total: 2 });
    expect(parseTestCounts('Ran 1 tests in 0.1s\n\nFAILED (failures=3, errors=4)\n')).toMatchObject({ passed: 0, failed: 7 });
  });
});
