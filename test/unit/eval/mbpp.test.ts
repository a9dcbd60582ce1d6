import { describe, expect, it } from 'vitest';
import { mbppEntryPoint, mbppGoal, mbppHiddenCheck, mbppStub, mbppVisibleTests, type MbppProblem } from '../../../core/eval/mbpp.js';

const problem: MbppProblem = {
  task_id: 6,
  text: 'Write a python function to check whether the two numbers differ at one bit position only or not.',
  code: 'def is_Power_Of_Two (x): \r\n    return x and (not(x & (x - 1))) \r\ndef differ_At_One_Bit_Pos(a,b): \r\n    return is_Power_Of_Two(a ^ b)',
  test_setup_code: 'import math',
  test_list: ['assert differ_At_One_Bit_Pos(13,9) == True', 'assert differ_At_One_Bit_Pos(15,8) == False'],
  challenge_test_list: ['assert differ_At_One_Bit_Pos(2,3) == True'],
};

describe('MBPP problems as tasks', () => {
  it('the entry point is the defined function the asserts call, not a helper defined before it', () => {
    expect(mbppEntryPoint(problem)).toBe('differ_At_One_Bit_Pos');
    expect(mbppEntryPoint({ ...problem, code: 'x = 1', test_list: ['assert is_Diff (12345) == False'] })).toBe('is_Diff');
  });

  it('the goal is the text and the asserts (the paper\u2019s prompt); the stub names the function', () => {
    expect(mbppGoal(problem)).toMatch(
      /^Write a python function .* Write it in solution.py as the function differ_At_One_Bit_Pos\. Your code should pass these tests:\nassert differ_At_One_Bit_Pos\(13,9\) == True\nassert/,
    );
    expect(mbppStub(problem)).toContain('# Write the function differ_At_One_Bit_Pos here.');
  });

  it('visible tests: setup code and one test per assert of the prompt; challenge asserts stay hidden', () => {
    const file = mbppVisibleTests(problem);
    expect(file).toContain('import math');
    expect(file).toMatch(/def test_assert_2\(\):\n {4}assert differ_At_One_Bit_Pos\(15,8\) == False/);
    expect(file).not.toContain('(2,3)');
    const judge = mbppHiddenCheck(problem);
    expect(judge.kind === 'mbpp' && judge.asserts.some((a) => a.includes('(2,3)'))).toBe(true);
    expect(judge.kind === 'mbpp' && judge.setup).toContain('import math');
  });
});
