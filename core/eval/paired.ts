// Two evals of the same tasks side by side (`ouro eval report <id> --compare
// <other>`), paired row by row: the same task × sample in both. McNemar's
// exact test asks whether one arm solves rows the other does not more often
// than chance allows: only the discordant pairs count, and under the null
// each is equally likely to go either way, so the p-value is a two-sided
// binomial test at p = ½ on them. Exact at any size (log-space sums), and
// pure: the report and the CLI both print what compareEvals returns.
import { baseBroken, formatRate, passedBy, roundWords, type Summary } from './metrics.js';
import { rowKey, type EvalRow } from './types.js';

export interface McNemar {
  /** Pairs both arms passed, only A passed, only B passed, neither passed. */
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
  /** Two-sided exact p-value (1 when there is no discordant pair). */
  pValue: number;
}

/** log(e^a + e^b) without overflow or underflow. */
function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const hi = Math.max(a, b);
  return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
}

/**
 * P(X ≤ k) for X ~ Binomial(n, ½), summed in log space: log C(n, i) grows by
 * log((n − i + 1) / i) from i − 1 to i, and 2^−n is −n·log 2, so nothing
 * under- or overflows however large n is.
 */
export function binomialHalfCdf(k: number, n: number): number {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(k)) throw new RangeError(`binomialHalfCdf: k and n must be integers, n ≥ 0 (k=${k}, n=${n})`);
  if (k < 0) return 0;
  if (k >= n) return 1;
  let logTerm = -n * Math.LN2;
  let logSum = logTerm;
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log((n - i + 1) / i);
    logSum = logAdd(logSum, logTerm);
  }
  return Math.min(1, Math.exp(logSum));
}

/** The exact two-sided binomial test at p = ½: twice the smaller tail, at most 1 (the distribution is symmetric). */
export function binomialTestHalf(k: number, n: number): number {
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialHalfCdf(Math.min(k, n - k), n));
}

/** McNemar's exact test on paired outcomes: a[i] and b[i] are the same task × sample in arms A and B. */
export function mcnemar(a: readonly boolean[], b: readonly boolean[]): McNemar {
  if (a.length !== b.length) throw new RangeError(`mcnemar: the arms must be paired (${a.length} outcomes against ${b.length})`);
  const counts = { both: 0, onlyA: 0, onlyB: 0, neither: 0 };
  a.forEach((x, i) => {
    const y = b[i]!;
    if (x && y) counts.both++;
    else if (x) counts.onlyA++;
    else if (y) counts.onlyB++;
    else counts.neither++;
  });
  return { ...counts, pValue: binomialTestHalf(counts.onlyA, counts.onlyA + counts.onlyB) };
}

/** The rows of two evals paired by task × sample; a row in one eval only is left out, and counted. */
export function pairRows(a: readonly EvalRow[], b: readonly EvalRow[]): { pairs: Array<[EvalRow, EvalRow]>; onlyInA: number; onlyInB: number } {
  const inB = new Map(b.map((r) => [rowKey(r.task, r.sample), r]));
  const pairs: Array<[EvalRow, EvalRow]> = [];
  for (const r of a) {
    const other = inB.get(rowKey(r.task, r.sample));
    if (other) pairs.push([r, other]);
  }
  return { pairs, onlyInA: a.length - pairs.length, onlyInB: b.length - pairs.length };
}

export interface Arm {
  id: string;
  /** "feedback" or "resampling" (a `--no-feedback` eval), or the id when both arms are of one kind. */
  label: string;
  summary: Summary;
}

export interface Comparison {
  a: Arm;
  b: Arm;
  pairs: number;
  /** Rows left out of the paired test: in A only, in B only. */
  onlyInA: number;
  onlyInB: number;
  /** Pairs left out because either arm's base was broken (no fair try on one side). */
  baseBroken?: number;
  /** Pass by round r (a candidate of round ≤ r committed and judged correct), r = 1..R, on the pairs. */
  byRound: Array<{ round: number } & McNemar>;
  /** Pass after the final round (the verdict), on the pairs. */
  final: McNemar;
  /** The final round's number when both evals could take the same rounds; otherwise undefined ("the final round"). */
  finalRound?: number;
}

const kind = (s: Summary) => (s.noFeedback ? 'resampling' : 'feedback');

/** A against B, each with its own summary (its rates and their Wilson intervals, over all its rows) and the paired tests. */
export function compareEvals(
  a: { id: string; rows: readonly EvalRow[]; summary: Summary },
  b: { id: string; rows: readonly EvalRow[]; summary: Summary },
): Comparison {
  const { pairs: all, onlyInA, onlyInB } = pairRows(a.rows, b.rows);
  const pairs = all.filter(([x, y]) => !baseBroken(x) && !baseBroken(y));
  const sameKind = kind(a.summary) === kind(b.summary);
  const label = (arm: { id: string; summary: Summary }) => (sameKind ? arm.id : kind(arm.summary));
  const rounds = Math.max(a.summary.byRound.length, b.summary.byRound.length);
  const test = (pass: (r: EvalRow) => boolean) =>
    mcnemar(
      pairs.map(([x]) => pass(x)),
      pairs.map(([, y]) => pass(y)),
    );
  const lastRound = (rows: readonly EvalRow[]) => new Set(rows.map((r) => r.maxRounds ?? r.round ?? 1));
  const last = new Set([...lastRound(a.rows), ...lastRound(b.rows)]);
  return {
    a: { id: a.id, label: label(a), summary: a.summary },
    b: { id: b.id, label: label(b), summary: b.summary },
    pairs: pairs.length,
    onlyInA,
    onlyInB,
    ...(all.length > pairs.length ? { baseBroken: all.length - pairs.length } : {}),
    byRound: Array.from({ length: rounds }, (_, i) => ({ round: i + 1, ...test((r) => passedBy(r, i + 1)) })),
    final: test((r) => r.verdict === 'passed'),
    ...(last.size === 1 ? { finalRound: [...last][0]! } : {}),
  };
}

/** A p-value as a reader wants it: two significant digits, 1 as 1, the very small in exponent form. */
export function formatP(p: number): string {
  if (p >= 1) return '1';
  if (p < 0.001) return p.toExponential(1);
  return String(Number(p.toPrecision(2)));
}

/** The headline: "McNemar exact test, after round 3: feedback-only passes 14, resampling-only passes 5, p = 0.064". */
export function mcnemarLine(c: Comparison): string {
  const when = c.finalRound !== undefined ? `after round ${c.finalRound}` : 'after the final round';
  return `McNemar exact test, ${when}: ${c.a.label}-only passes ${c.final.onlyA}, ${c.b.label}-only passes ${c.final.onlyB}, p = ${formatP(c.final.pValue)}`;
}

/** The comparison as text (the CLI's output, and the report's summary block): B's rates by round, then the paired tests. */
export function formatComparison(c: Comparison): string {
  const name = (arm: Arm) => (arm.label === arm.id ? arm.id : `${arm.id} (${arm.label})`);
  const lines = [`against ${name(c.b)}:`];
  for (const r of c.b.summary.byRound) lines.push(`  ${roundWords(c.b.summary.noFeedback)} ${r.round}: ${formatRate(r)}`);
  const left = c.onlyInA || c.onlyInB ? `; left out, in one eval only: ${c.onlyInA} of ${c.a.id}, ${c.onlyInB} of ${c.b.id}` : '';
  const broken = c.baseBroken ? `; left out, a base broken in either: ${c.baseBroken}` : '';
  lines.push(`paired by task × sample: ${c.pairs} pair(s)${left}${broken}`);
  for (const r of c.byRound) {
    lines.push(
      `  by round ${r.round}: both ${r.both}, ${c.a.label} only ${r.onlyA}, ${c.b.label} only ${r.onlyB}, neither ${r.neither}; McNemar exact p = ${formatP(r.pValue)}`,
    );
  }
  lines.push(mcnemarLine(c));
  return lines.join('\n');
}
