// The figures an evaluation gives, each with its 95% interval: the pass rate
// after each feedback round, pass@k by the unbiased estimator (Chen et al.,
// 2021), and tokens and wall time per solved problem.
import { wilsonInterval } from '../stats/wilson.js';
import type { EvalRow } from './types.js';
import { mulberry32 } from '../stats/seeded-random.js';

export interface Rate {
  passed: number;
  of: number;
  rate: number;
  low: number;
  high: number;
}

function rate(passed: number, of: number): Rate {
  const ci = of ? wilsonInterval(passed, of) : { low: 0, high: 0 };
  return { passed, of, rate: of ? passed / of : 0, low: ci.low, high: ci.high };
}

/** A task × sample solved by round r: a candidate of round ≤ r committed and judged correct. */
export const passedBy = (row: EvalRow, round: number): boolean => row.verdict === 'passed' && (row.round ?? Infinity) <= round;

/** pass@k of one task from n samples of which c passed: 1 − C(n−c, k) / C(n, k). */
export function passAtK(n: number, c: number, k: number): number {
  if (n - c < k) return 1;
  let product = 1;
  for (let i = n - c + 1; i <= n; i++) product *= 1 - k / i;
  return 1 - product;
}

export interface Summary {
  tasks: number;
  samples: number;
  oracle: boolean;
  /** Completions produced elsewhere were judged; no loop ran. */
  samplesJudged?: boolean;
  /** The rounds drafted without feedback (independent resampling). */
  noFeedback: boolean;
  /** Task × sample runs that passed after round r (r = 1..R): a candidate of round ≤ r committed and judged correct. */
  byRound: Array<{ round: number } & Rate>;
  overall: Rate;
  /** With several samples per task: mean pass@k over tasks, with a bootstrap interval over tasks. */
  passAtK?: Array<{ k: number; value: number; low: number; high: number }>;
  tokensPerSolved?: number;
  secondsPerSolved?: number;
  medianSecondsPerRun: number;
  /** Tasks the loop saw no visible test for (judged by hidden tests alone). */
  hiddenOnly?: number;
}

export function summarize(rows: EvalRow[], maxRounds: number, opts: { oracle?: boolean; hiddenOnly?: number; noFeedback?: boolean } = {}): Summary {
  const tasks = [...new Set(rows.map((r) => r.task))];
  const samples = Math.max(0, ...tasks.map((t) => rows.filter((r) => r.task === t).length));
  const passed = rows.filter((r) => r.verdict === 'passed');
  const byRound = Array.from({ length: maxRounds }, (_, i) => ({
    round: i + 1,
    ...rate(rows.filter((r) => passedBy(r, i + 1)).length, rows.length),
  }));
  const summary: Summary = {
    tasks: tasks.length,
    samples,
    oracle: opts.oracle ?? rows.some((r) => r.oracle),
    noFeedback: opts.noFeedback ?? rows.some((r) => r.noFeedback),
    ...(rows.some((r) => r.runOutcome === 'sample') ? { samplesJudged: true } : {}),
    byRound,
    overall: rate(passed.length, rows.length),
    medianSecondsPerRun: median(rows.map((r) => r.wallMs / 1000)),
    ...(opts.hiddenOnly !== undefined ? { hiddenOnly: opts.hiddenOnly } : {}),
  };
  if (passed.length) {
    const tokens = rows.reduce((s, r) => s + r.tokens.prompt + r.tokens.completion, 0);
    summary.tokensPerSolved = Math.round(tokens / passed.length);
    summary.secondsPerSolved = Number((rows.reduce((s, r) => s + r.wallMs, 0) / 1000 / passed.length).toFixed(1));
  }
  if (samples > 1 && tasks.length) {
    const perTask = tasks.map((t) => {
      const mine = rows.filter((r) => r.task === t);
      return { n: mine.length, c: mine.filter((r) => r.verdict === 'passed').length };
    });
    summary.passAtK = [1, 2, 5, 10]
      .filter((k) => k <= samples)
      .map((k) => {
        const values = perTask.map(({ n, c }) => (n >= k ? passAtK(n, c, k) : 0));
        const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
        const random = mulberry32(k * 7919 + tasks.length);
        const boots = Array.from({ length: 2000 }, () => mean(values.map(() => values[Math.floor(random() * values.length)]!))).sort((a, b) => a - b);
        return { k, value: mean(values), low: boots[Math.floor(0.025 * boots.length)]!, high: boots[Math.floor(0.975 * boots.length)]! };
      });
  }
  return summary;
}

function median(v: number[]): number {
  if (!v.length) return 0;
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return Number((s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2).toFixed(1));
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** "3/164 = 1.8% (95% CI 0.6–5.2%)": a rate with its Wilson interval, as every summary line writes it. */
export const formatRate = (r: Rate): string => `${r.passed}/${r.of} = ${pct(r.rate)} (95% CI ${pct(r.low)}–${pct(r.high)})`;

/** The words a round's line starts with: with feedback a round builds on the last; without, it is one more independent draw. */
export const roundWords = (noFeedback: boolean): string => (noFeedback ? 'pass within draft round' : 'pass after round');

/** The summary as a few lines of text, labelled when the loop was gated on the hidden tests. */
export function formatSummary(s: Summary, suite: string): string {
  const label = s.oracle ? ' [ORACLE: the loop was gated on the hidden tests; not comparable with visible-test results]' : '';
  const lines = [`${suite}: ${s.tasks} task(s) × ${s.samples} sample(s)${label}`];
  const what = roundWords(s.noFeedback);
  if (s.samplesJudged) lines.push('  (samples produced elsewhere, judged by the hidden tests: no loop ran)');
  if (s.noFeedback) lines.push('  (no feedback: every round drafted from the same prompt, i.e. resampling at the same budget)');
  for (const r of s.byRound) lines.push(`  ${what} ${r.round}: ${formatRate(r)}`);
  for (const p of s.passAtK ?? []) lines.push(`  pass@${p.k}: ${pct(p.value)} (95% CI ${pct(p.low)}–${pct(p.high)})`);
  if (s.hiddenOnly !== undefined) lines.push(`  judged by hidden tests alone (no visible example): ${s.hiddenOnly} task(s)`);
  if (s.tokensPerSolved !== undefined)
    lines.push(`  per solved problem: ${s.tokensPerSolved} tokens, ${s.secondsPerSolved} s; median ${s.medianSecondsPerRun} s per run`);
  return lines.join('\n');
}
