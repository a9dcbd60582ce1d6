import { describe, expect, it } from 'vitest';
import { docstringExamples, hiddenCheck, stubSolution, visibleTestFile, type HumanEvalProblem } from '../../../core/eval/humaneval.js';

const problem = (prompt: string, entry = 'f'): HumanEvalProblem => ({
  task_id: 'HumanEval/999',
  prompt,
  entry_point: entry,
  canonical_solution: '    return 1\n',
  test: 'def check(candidate):\n    assert candidate(1) == 1\n',
});

describe('examples from a HumanEval docstring', () => {
  it('reads doctest lines with the output under them', () => {
    const p = problem('def f(x):\n    """ Doubles.\n    >>> f(2)\n    4\n    >>> f([1, 2])\n    [1, 2, 1, 2]\n    """\n');
    expect(docstringExamples(p)).toEqual([
      { call: 'f(2)', expected: '4' },
      { call: 'f([1, 2])', expected: '[1, 2, 1, 2]' },
    ]);
  });

  it('reads prose arrows (==, ➞, =>, ->), worked arithmetic, and lower-case true/false', () => {
    const p = problem(
      'def f(s, n):\n    """\n    f("a, b", 3) == 2\n    f([1], 5) ➞ False\n    f("x", 1) => true\n    f("5 apples", 19) ->19 - 5 = 14\n    """\n',
    );
    expect(docstringExamples(p)).toEqual([
      { call: 'f("a, b", 3)', expected: '2' },
      { call: 'f([1], 5)', expected: 'False' },
      { call: 'f("x", 1)', expected: 'True' },
      { call: 'f("5 apples", 19)', expected: '14' },
    ]);
  });

  it('reads "For x = … the output should be …" and Input/Output pairs; ignores the signature and other calls', () => {
    const p = problem(
      'def f(lst, k):\n    """\n    For lst = [1,2], k = 3 the output should be 6\n    Example:\n        Input: lst = [4], k = 1\n        Output: 4\n    g(f(1)) == 2\n    """\n',
    );
    expect(docstringExamples(p)).toEqual([
      { call: 'f([1,2], 3)', expected: '6' },
      { call: 'f([4], 1)', expected: '4' },
    ]);
  });

  it('reads ">>> f(x) == y" lines that have no output line', () => {
    expect(docstringExamples(problem('def f(a):\n    """\n    >>> f([0, 1]) == 0\n    >>> f([]) == None\n    """\n'))).toEqual([
      { call: 'f([0, 1])', expected: '0' },
      { call: 'f([])', expected: 'None' },
    ]);
  });
});

describe('the generated files', () => {
  it('visible tests: one pytest test per example, or a check that the function exists', () => {
    const file = visibleTestFile('f', [{ call: 'f(2)', expected: '4' }]);
    expect(file).toContain('from solution import f');
    expect(file).toMatch(/def test_example_1\(\):\n {4}value = f\(2\)\n {4}assert _matches\(value, "4"\)/);
    expect(visibleTestFile('g', [])).toMatch(/def test_g_is_defined\(\):\n {4}assert callable\(g\)/);
  });

  it('the stub keeps the prompt and says what is missing; the hidden check is data for the checker, the prompt its helpers', () => {
    const p = problem('def f(x):\n    """Doubles."""\n');
    expect(stubSolution(p)).toBe('def f(x):\n    """Doubles."""\n    raise NotImplementedError("write the body of f")\n');
    expect(hiddenCheck(p)).toEqual({ kind: 'humaneval', prompt: p.prompt, test: p.test, entry: p.entry_point });
  });
});
