import { describe, expect, it } from 'vitest';
import { sampleJobs } from '../../../core/eval/samples.js';
import { type SuiteError } from '../../../core/eval/suite.js';

const known = new Set(['HumanEval/0', 'HumanEval/1']);

describe('a samples file (human-eval format)', () => {
  it('numbers each task\u2019s samples in file order and remembers their lines', () => {
    const text = [
      '{"task_id": "HumanEval/1", "completion": "a"}',
      '',
      '{"task_id": "HumanEval/0", "completion": "b"}',
      '{"task_id": "HumanEval/1", "completion": "c", "extra": 1}',
    ].join('\n');
    expect(sampleJobs(text, known)).toEqual([
      { task: 'HumanEval/1', sample: 0, line: 1 },
      { task: 'HumanEval/0', sample: 0, line: 3 },
      { task: 'HumanEval/1', sample: 1, line: 4 },
    ]);
  });

  it('reports every bad line at once: not JSON, no completion, a task the suite lacks', () => {
    const text = ['{"task_id": "HumanEval/0", "completion": "x"}', 'nope', '{"task_id": "HumanEval/0"}', '{"task_id": "HumanEval/999", "completion": ""}'].join(
      '\n',
    );
    let error: SuiteError | undefined;
    try {
      sampleJobs(text, known, 's.jsonl');
    } catch (err) {
      error = err as SuiteError;
    }
    expect(error?.problems).toEqual([
      expect.stringMatching(/^line 2: not JSON/),
      expect.stringMatching(/^line 3: completion:/),
      'line 4: no task HumanEval/999 in this suite',
    ]);
  });
});
