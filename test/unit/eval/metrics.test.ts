import { describe, expect, it } from 'vitest';
import { formatSummary, passAtK, summarize } from '../../../core/eval/metrics.js';
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
});
