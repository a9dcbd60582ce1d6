import { describe, expect, it } from 'vitest';
import { summarize } from '../../../core/eval/metrics.js';
import { binomialTestHalf, compareEvals, formatComparison, formatP, mcnemar, mcnemarLine, pairRows } from '../../../core/eval/paired.js';
import { buildReport } from '../../../core/eval/report.js';
import type { EvalRow } from '../../../core/eval/types.js';

/** Outcomes with the given counts: both pass, only A, only B, neither. */
function arms(both: number, onlyA: number, onlyB: number, neither: number): [boolean[], boolean[]] {
  const pairs: Array<[boolean, boolean]> = [
    ...Array<[boolean, boolean]>(both).fill([true, true]),
    ...Array<[boolean, boolean]>(onlyA).fill([true, false]),
    ...Array<[boolean, boolean]>(onlyB).fill([false, true]),
    ...Array<[boolean, boolean]>(neither).fill([false, false]),
  ];
  return [pairs.map(([a]) => a), pairs.map(([, b]) => b)];
}

/** The exact two-sided p with integers only: 2 · Σ_{i ≤ min} C(n, i) / 2^n, capped at 1 (an independent check of the log-space sum). */
function exactP(onlyA: number, onlyB: number): number {
  const n = onlyA + onlyB;
  if (n === 0) return 1;
  let c = 1n;
  let tail = 0n;
  for (let i = 0; i <= Math.min(onlyA, onlyB); i++) {
    if (i > 0) c = (c * BigInt(n - i + 1)) / BigInt(i);
    tail += c;
  }
  const twice = 2n * tail;
  const whole = 1n << BigInt(n);
  if (twice >= whole) return 1;
  // The ratio in fixed point, 30 decimal digits: exact far beyond a double's precision for these p.
  return Number((twice * 10n ** 30n) / whole) / 1e30;
}

const row = (task: string, sample: number, verdict: 'passed' | 'failed', round?: number, noFeedback = false): EvalRow => ({
  task,
  sample,
  verdict,
  round,
  runOutcome: round ? 'committed' : 'no-candidate-passed',
  drafts: 3,
  maxRounds: 3,
  tokens: { prompt: 10, completion: 5 },
  wallMs: 1000,
  hidden: true,
  oracle: false,
  ...(noFeedback ? { noFeedback } : {}),
  childId: `${task}-${sample}`,
});

describe("McNemar's exact test", () => {
  it('hand-computed: onlyA 10, onlyB 2 → 2·(1 + 12 + 66)/2^12 = 0.0386', () => {
    const [a, b] = arms(7, 10, 2, 30);
    const t = mcnemar(a, b);
    expect(t).toMatchObject({ both: 7, onlyA: 10, onlyB: 2, neither: 30 });
    expect(t.pValue).toBeCloseTo(79 / 2048, 12);
    expect(t.pValue.toFixed(4)).toBe('0.0386');
    // Symmetric in the arms.
    expect(mcnemar(b, a).pValue).toBe(t.pValue);
  });

  it('R and scipy agree: binom.test(2, 12) = 0.03857, binom.test(5, 19) = 0.06357 (14 against 5)', () => {
    expect(binomialTestHalf(2, 12)).toBeCloseTo(0.03857421875, 12);
    expect(binomialTestHalf(5, 19)).toBeCloseTo(0.063568115234375, 12);
    expect(formatP(binomialTestHalf(14, 19))).toBe('0.064');
  });

  it('all ties, and no discordant pair at all, give p = 1', () => {
    expect(mcnemar(...arms(3, 5, 5, 1)).pValue).toBe(1);
    expect(mcnemar(...arms(4, 0, 0, 9)).pValue).toBe(1);
    expect(mcnemar([], []).pValue).toBe(1);
    expect(mcnemar(...arms(0, 6, 5, 0)).pValue).toBe(1);
    // One discordant pair is never evidence.
    expect(mcnemar(...arms(0, 1, 0, 0)).pValue).toBe(1);
  });

  it('every discordant pair one way: 2 / 2^n', () => {
    expect(mcnemar(...arms(0, 0, 10, 0)).pValue).toBeCloseTo(2 / 1024, 15);
  });

  it('matches exact integer arithmetic up to n = 2000 (no underflow in log space)', () => {
    const cases: Array<[number, number, number]> = [
      [450, 550, 0.0017305360849763176],
      [480, 520, 0.21744829320414094],
      [900, 1100, 8.457089535503927e-6],
      [30, 10, 0.0022214337732293643],
      [12, 25, 0.04703102743951604],
    ];
    for (const [onlyA, onlyB, known] of cases) {
      const p = mcnemar(...arms(0, onlyA, onlyB, 0)).pValue;
      expect(p / known).toBeCloseTo(1, 9);
      expect(p / exactP(onlyA, onlyB)).toBeCloseTo(1, 9);
    }
    for (let n = 1; n <= 60; n += 7) for (let k = 0; k <= n; k += 3) expect(binomialTestHalf(k, n)).toBeCloseTo(exactP(k, n - k), 12);
  });

  it('refuses arms that are not paired', () => {
    expect(() => mcnemar([true], [true, false])).toThrow(/paired/);
  });
});

describe('two evals side by side', () => {
  it('pairs rows by task × sample; a row in one eval only is left out and counted', () => {
    const a = [row('HumanEval/0', 0, 'passed', 1), row('HumanEval/0', 1, 'failed'), row('HumanEval/1', 0, 'failed')];
    const b = [row('HumanEval/0', 0, 'failed', undefined, true), row('HumanEval/1', 0, 'passed', 2, true), row('HumanEval/2', 0, 'passed', 1, true)];
    const { pairs, onlyInA, onlyInB } = pairRows(a, b);
    expect(pairs.map(([x, y]) => [x.task, x.sample, y.task, y.sample])).toEqual([
      ['HumanEval/0', 0, 'HumanEval/0', 0],
      ['HumanEval/1', 0, 'HumanEval/1', 0],
    ]);
    expect([onlyInA, onlyInB]).toEqual([1, 1]);
  });

  it('tests pass by round r and after the final round, and says it in one line', () => {
    // Feedback solves 14 rows resampling does not (some by round 1, the rest by 3); resampling 5; 2 both; 9 neither.
    const a: EvalRow[] = [];
    const b: EvalRow[] = [];
    let t = 0;
    const add = (x: [string, number?], y: [string, number?]) => {
      const task = `MBPP/${11 + t++}`;
      a.push(row(task, 0, x[0] as 'passed', x[1]));
      b.push(row(task, 0, y[0] as 'passed', y[1], true));
    };
    for (let i = 0; i < 14; i++) add(['passed', i < 4 ? 1 : 3], ['failed']);
    for (let i = 0; i < 5; i++) add(['failed'], ['passed', 2]);
    for (let i = 0; i < 2; i++) add(['passed', 1], ['passed', 1]);
    for (let i = 0; i < 9; i++) add(['failed'], ['failed']);
    const c = compareEvals({ id: 'fb', rows: a, summary: summarize(a, 3) }, { id: 'nofb', rows: b, summary: summarize(b, 3, { noFeedback: true }) });
    expect(c.pairs).toBe(30);
    expect(c.byRound.map((r) => [r.round, r.both, r.onlyA, r.onlyB, r.neither])).toEqual([
      [1, 2, 4, 0, 24],
      [2, 2, 4, 5, 19],
      [3, 2, 14, 5, 9],
    ]);
    expect({ round: 3, ...c.final }).toEqual(c.byRound[2]);
    expect(mcnemarLine(c)).toBe('McNemar exact test, after round 3: feedback-only passes 14, resampling-only passes 5, p = 0.064');
    const text = formatComparison(c);
    expect(text).toContain('against nofb (resampling):');
    // The other arm's rates with their Wilson intervals, as the summary writes its own.
    expect(text).toMatch(/ {2}pass within draft round 2: 7\/30 = 23\.3% \(95% CI \d+\.\d%–\d+\.\d%\)/);
    expect(text).toContain('  by round 1: both 2, feedback only 4, resampling only 0, neither 24; McNemar exact p = 0.13');
    expect(text).toContain('paired by task × sample: 30 pair(s)\n');
  });

  it('the report: the comparison in the summary block (the page and the CLI print it) and as a table', () => {
    const report = buildReport({
      id: 'fb',
      suite: 'humaneval',
      rows: [row('HumanEval/0', 0, 'passed', 2), row('HumanEval/1', 0, 'failed'), row('HumanEval/2', 0, 'passed', 1)],
      maxRounds: 3,
      compare: { id: 'nofb', rows: [row('HumanEval/0', 0, 'passed', 3, true), row('HumanEval/1', 0, 'failed', undefined, true)] },
    });
    const summaryBlock = report.markdown.split('```')[1]!;
    expect(summaryBlock).toContain('against nofb (resampling):');
    expect(summaryBlock).toContain('left out, in one eval only: 1 of fb, 0 of nofb');
    expect(summaryBlock).toContain('McNemar exact test, after round 3: feedback-only passes 0, resampling-only passes 0, p = 1');
    expect(report.markdown).toContain('| round | fb | nofb | both pass | feedback only | resampling only | neither | McNemar exact p |');
    expect(report.markdown).toMatch(/\| 2 \| 66\.7% \(\d+\.\d%–\d+\.\d%\) \| 0\.0% \(0\.0%–\d+\.\d%\) \| 0 \| 1 \| 0 \| 1 \| 1 \|/);
    expect(report.comparison?.onlyInA).toBe(1);
  });

  it('two evals of one kind are named by their ids', () => {
    const a = [row('HumanEval/0', 0, 'passed', 1)];
    const b = [row('HumanEval/0', 0, 'failed')];
    const c = compareEvals({ id: 'run-a', rows: a, summary: summarize(a, 1) }, { id: 'run-b', rows: b, summary: summarize(b, 1) });
    expect(mcnemarLine(c)).toBe('McNemar exact test, after round 3: run-a-only passes 1, run-b-only passes 0, p = 1');
  });

  it('a pair with a broken base in either eval is left out of the paired test, and counted', () => {
    const broken = (task: string): EvalRow => ({ ...row(task, 0, 'failed'), runOutcome: 'baseline-broken' });
    // t1: fb passes, rs's base broken (a McNemar "feedback only" win if counted); t2: both pass.
    const a = [row('t1', 0, 'passed', 1), row('t2', 0, 'passed', 1)];
    const b = [broken('t1'), row('t2', 0, 'passed', 1, true)].map((r) => ({ ...r, noFeedback: true }));
    const c = compareEvals({ id: 'fb', rows: a, summary: summarize(a, 1) }, { id: 'rs', rows: b, summary: summarize(b, 1) });
    expect(c.pairs).toBe(1);
    expect(c.baseBroken).toBe(1);
    expect(c.final).toMatchObject({ both: 1, onlyA: 0, onlyB: 0, neither: 0 });
    expect(formatComparison(c)).toContain('left out, a base broken in either: 1');
  });
});
