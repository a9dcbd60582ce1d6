// A statistical performance gate for interleaved A/B benchmark pairs.
//
// Why this shape: on a noisy shared 2-core machine the load changes from
// second to second, so base (A) and candidate (B) run back to back in pairs
// and we compare *within* a pair. Per pair we take the log ratio
// r = ln(base / candidate): logs make a 2× speedup and a 2× slowdown
// symmetric and turn "ratio" questions into "shift" questions.
//   - estimate: Hodges–Lehmann (median of Walsh averages) of r, robust to the
//     odd 10× outlier yet far less jumpy than the plain median;
//   - significance: Wilcoxon signed-rank test on r (exact for small samples,
//     conditional on ties; normal approximation beyond);
//   - interval: seeded percentile bootstrap of the Hodges–Lehmann estimate.
// A verdict needs both: p < alpha (the false-alarm guard) and a CI wholly
// outside the ±noiseMargin band (the "is it big enough to matter" guard).
// The two back each other up: a percentile bootstrap is too narrow on a
// handful of pairs, which the exact test catches (at alpha 0.01 no verdict
// is possible below 8 pairs), while a tiny but real change passes the test
// and is stopped by the margin.
//
// Caller's side of the bargain: the test assumes that, absent a real change,
// r is as likely positive as negative. Alternate or randomise which arm runs
// first within a pair, or a warm-cache "second run" bonus looks like a change.
//
// Invalid input policy: a NaN, ±Infinity, zero or negative measurement in
// any pair makes the whole metric inconclusive and unreliable (with a reason);
// we never judge on the surviving pairs, because a candidate that breaks some
// runs must not be rewarded by having those runs dropped. Bad *options* are
// programmer errors and throw a RangeError.
//
// This file is the decision: options, the verdict rule, Holm across metrics,
// adaptive stopping and how a decision reads. The statistics it decides with
// live beside it in perf/: pairs.ts (the log ratios), hodges-lehmann.ts (the
// estimate and its bootstrap interval), wilcoxon.ts (the test), reliability.ts
// (spread and drift), numeric.ts (what those share).

import { median } from './bench-stats.js';
import { bootstrapHodgesLehmannCI, hodgesLehmann } from './perf/hodges-lehmann.js';
import { isValidMeasurement, logRatios, type Pair } from './perf/pairs.js';
import { reliabilityReasons } from './perf/reliability.js';
import { wilcoxonSignedRank } from './perf/wilcoxon.js';

export type { Pair } from './perf/pairs.js';

export type Verdict = 'faster' | 'slower' | 'inconclusive';

export interface MetricDecision {
  name: string;
  verdict: Verdict;
  /** Estimated speedup base/candidate (> 1 = candidate better), exp of the Hodges–Lehmann estimate of per-pair log ratios. NaN when the input was invalid. */
  speedup: number;
  /** Percentile-bootstrap interval of the speedup at level `confidence`. */
  ci: [number, number];
  /** Confidence level of `ci` (default 0.95). */
  confidence: number;
  /** Two-sided Wilcoxon signed-rank p-value; Holm-adjusted when it comes from decideMetrics. */
  pValue: number;
  /** The unadjusted p-value, set only by decideMetrics (Holm). */
  rawPValue?: number;
  pairs: number;
  method: string;
  /** Within-arm spread too high, drift detected, or invalid measurements. Never changes the verdict by itself. */
  unreliable: boolean;
  /** Why the decision is unreliable (empty when reliable). */
  reasons: string[];
  /** One line on why the verdict is what it is (p vs alpha, CI vs margin). */
  why: string;
  /** Set on a metric the benchmark printed: its own timer, which does not count what ran before it (imports, set-up). */
  scope?: 'in-process';
}

export interface GateOptions {
  /** Significance level for the Wilcoxon test (default 0.01). */
  alpha: number;
  /** A change within ±noiseMargin (default 0.02 = ±2%) counts as no change. */
  noiseMargin: number;
  /** Seed of the bootstrap PRNG: same seed, same pairs → same decision. */
  seed: number;
  /** Bootstrap resamples (default 2000). */
  bootstrapResamples: number;
  /** Default true (times, instruction counts); false for throughput-like metrics. */
  lowerIsBetter?: boolean;
  /** Level of the reported bootstrap interval (default 0.95). */
  confidence?: number;
}

export const DEFAULT_GATE_OPTIONS: Readonly<Required<GateOptions>> = Object.freeze({
  alpha: 0.01,
  noiseMargin: 0.02,
  seed: 1,
  bootstrapResamples: 2000,
  lowerIsBetter: true,
  confidence: 0.95,
});

/** Fewest A/B pairs before a benchmark may stop early: early stops use alpha/5 = 0.002, which a signed-rank test cannot reach below 10 pairs. */
export const MIN_PAIRS = 10;

/** Fewest pairs at which the exact two-sided signed-rank test can reach `alpha` at all (its smallest p is 2^(1-n)): 8 at 0.01. */
export function minPairsForVerdict(alpha = DEFAULT_GATE_OPTIONS.alpha): number {
  let n = 1;
  while (2 ** (1 - n) >= alpha) n++;
  return n;
}

// ---------------------------------------------------------------------------
// Options

function resolveOptions(opts: Partial<GateOptions> | undefined): Required<GateOptions> {
  const o = { ...DEFAULT_GATE_OPTIONS, ...stripUndefined(opts ?? {}) };
  // Options are code, not data: a bad one is a bug, so fail loudly.
  if (!(o.alpha > 0 && o.alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${o.alpha}`);
  if (!(o.noiseMargin >= 0 && Number.isFinite(o.noiseMargin))) throw new RangeError(`noiseMargin must be a finite number >= 0, got ${o.noiseMargin}`);
  if (!(Number.isInteger(o.bootstrapResamples) && o.bootstrapResamples >= 1))
    throw new RangeError(`bootstrapResamples must be a positive integer, got ${o.bootstrapResamples}`);
  if (!(o.confidence > 0 && o.confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${o.confidence}`);
  if (!Number.isFinite(o.seed)) throw new RangeError(`seed must be a finite number, got ${o.seed}`);
  return o;
}

/** `{ alpha: undefined }` must mean "use the default", not "alpha is undefined". */
function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ---------------------------------------------------------------------------
// Decisions

/** The decision rule: significant AND the whole interval outside the ±margin band. */
function verdictFor(ci: [number, number], pValue: number, alpha: number, margin: number): { verdict: Verdict; why: string } {
  const band = `±${fmtPct(margin)} noise margin`;
  // Written as !(p < alpha) so that a NaN anywhere falls through to inconclusive.
  if (!(pValue < alpha)) return { verdict: 'inconclusive', why: `p=${fmtP(pValue)} ≥ alpha ${alpha}` };
  if (ci[0] > 1 + margin) return { verdict: 'faster', why: `p=${fmtP(pValue)} < alpha ${alpha} and CI above the ${band}` };
  if (ci[1] < 1 / (1 + margin)) return { verdict: 'slower', why: `p=${fmtP(pValue)} < alpha ${alpha} and CI below the ${band}` };
  return { verdict: 'inconclusive', why: `p=${fmtP(pValue)} < alpha ${alpha} but the CI overlaps the ${band}` };
}

function invalidPairsReason(pairs: readonly Pair[]): string | undefined {
  const bad = pairs.flatMap((p, i) => (isValidMeasurement(p.base) && isValidMeasurement(p.candidate) ? [] : [i]));
  if (bad.length === 0) return undefined;
  const shown = bad.slice(0, 5).map((i) => `#${i} (base ${pairs[i]!.base}, candidate ${pairs[i]!.candidate})`);
  return `invalid measurements (NaN, Infinity, zero or negative) in ${bad.length} of ${pairs.length} pairs: ${shown.join(', ')}${bad.length > 5 ? ', …' : ''}`;
}

function noDecision(name: string, pairs: number, confidence: number, reason: string): MetricDecision {
  return {
    name,
    verdict: 'inconclusive',
    speedup: Number.NaN,
    ci: [Number.NaN, Number.NaN],
    confidence,
    pValue: 1,
    pairs,
    method: 'none',
    unreliable: true,
    reasons: [reason],
    why: reason,
  };
}

/**
 * Decide one metric from interleaved pairs. See the file header for the
 * method; an empty or invalid input yields an inconclusive, unreliable
 * decision with speedup NaN rather than an exception.
 */
export function decideMetric(name: string, pairs: Pair[], opts?: Partial<GateOptions>): MetricDecision {
  const o = resolveOptions(opts);
  if (pairs.length === 0) return noDecision(name, 0, o.confidence, 'no pairs measured');
  const invalid = invalidPairsReason(pairs);
  if (invalid) return noDecision(name, pairs.length, o.confidence, invalid);

  const r = logRatios(pairs, o.lowerIsBetter);
  const speedup = Math.exp(hodgesLehmann(r));
  const [lo, hi] = bootstrapHodgesLehmannCI(r, o.confidence, o.bootstrapResamples, o.seed);
  const ci: [number, number] = [Math.exp(lo), Math.exp(hi)];
  const test = wilcoxonSignedRank(r);
  const { verdict, why } = verdictFor(ci, test.pValue, o.alpha, o.noiseMargin);
  const reasons = reliabilityReasons(pairs);
  return {
    name,
    verdict,
    speedup,
    ci,
    confidence: o.confidence,
    pValue: test.pValue,
    pairs: pairs.length,
    method: test.exact ? 'wilcoxon-exact+bootstrap' : 'wilcoxon+bootstrap',
    unreliable: reasons.length > 0,
    reasons,
    why,
  };
}

/** Holm–Bonferroni step-down adjusted p-values (same order as the input). */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p: Number.isNaN(p) ? 1 : p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0; // adjusted p-values must be monotone in the order of the raw ones
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/**
 * Decide several metrics together: testing five metrics at alpha each would
 * raise the odds of some false alarm towards 5·alpha, so p-values are
 * Holm-adjusted and a verdict survives only if its adjusted p < alpha.
 * Each metric gets its own bootstrap stream (seed + index).
 */
export function decideMetrics(metrics: Array<{ name: string; pairs: Pair[]; lowerIsBetter?: boolean }>, opts?: Partial<GateOptions>): MetricDecision[] {
  const o = resolveOptions(opts);
  const raw = metrics.map((m, i) => decideMetric(m.name, m.pairs, { ...o, lowerIsBetter: m.lowerIsBetter ?? o.lowerIsBetter, seed: o.seed + i }));
  const adjusted = holmAdjust(raw.map((d) => d.pValue));
  return raw.map((d, i) => applyHolm(d, adjusted[i]!, o.alpha));
}

function applyHolm(d: MetricDecision, adjustedP: number, alpha: number): MetricDecision {
  const out: MetricDecision = { ...d, rawPValue: d.pValue, pValue: adjustedP, method: d.method === 'none' ? d.method : `${d.method}+holm` };
  if (d.verdict !== 'inconclusive' && !(adjustedP < alpha)) {
    out.verdict = 'inconclusive';
    out.why = `Holm-adjusted p=${fmtP(adjustedP)} ≥ alpha ${alpha} (raw p=${fmtP(d.pValue)})`;
  }
  return out;
}

/** Default interim level as a fraction of alpha (Haybittle–Peto in spirit: strict early looks, nominal final one). */
export const INTERIM_ALPHA_FRACTION = 0.2;

/**
 * Adaptive stopping, asked after each new pair. Stops (after minPairs) when
 * the verdict is clear, when the CI lies wholly inside ±margin (clearly no
 * change), or when a measurement is invalid (more pairs cannot fix it); always
 * at maxPairs, where the caller decides at the full alpha.
 *
 * Why early verdicts use interimAlpha (default alpha/5) rather than alpha:
 * testing after every pair and stopping at the first significant look is
 * optional stopping. With plain alpha = 0.01, A/A runs at 10% noise stopped on
 * a false verdict ~5% of the time (measured, 10..30 and 8..50 pairs); at
 * alpha/5 that is ~1.5–2%, and ~0.7% at 5% noise. Exact Wilcoxon p-values are
 * at least 2^(1-n), so at alpha = 0.01 the earliest early verdict is at n = 10.
 */
export function shouldStop(
  pairs: Pair[],
  opts: Partial<GateOptions> & { minPairs: number; maxPairs: number; interimAlpha?: number },
): { stop: boolean; why: string } {
  const { minPairs, maxPairs, interimAlpha, ...rest } = opts;
  if (!(Number.isInteger(minPairs) && minPairs >= 1 && Number.isInteger(maxPairs) && maxPairs >= minPairs)) {
    throw new RangeError(`need integers 1 <= minPairs <= maxPairs, got ${minPairs} and ${maxPairs}`);
  }
  const n = pairs.length;
  if (n >= maxPairs) return { stop: true, why: `reached maxPairs (${maxPairs})` };
  if (n < minPairs) return { stop: false, why: `${n} of at least ${minPairs} pairs` };
  const o = resolveOptions(rest);
  const d = decideMetric('interim', pairs, { ...o, alpha: interimAlpha ?? o.alpha * INTERIM_ALPHA_FRACTION });
  if (d.method === 'none') return { stop: true, why: d.why };
  if (d.verdict !== 'inconclusive') return { stop: true, why: `clear verdict after ${n} pairs: ${formatDecision(d)}` };
  if (d.ci[0] >= 1 / (1 + o.noiseMargin) && d.ci[1] <= 1 + o.noiseMargin) {
    return { stop: true, why: `no change after ${n} pairs: CI ${fmtX(d.ci[0])}–${fmtX(d.ci[1])}× lies within ±${fmtPct(o.noiseMargin)}` };
  }
  return { stop: false, why: `undecided after ${n} pairs: ${d.why}` };
}

// ---------------------------------------------------------------------------
// Presentation and the naive baseline

function fmtX(x: number): string {
  return x.toFixed(2);
}

function fmtPct(x: number): string {
  return `${+(x * 100).toFixed(1)}%`;
}

function fmtP(p: number): string {
  return p >= 0.001 ? p.toFixed(3) : p.toExponential(1);
}

/** e.g. '1.23× faster, 95% CI 1.19–1.27×, 14 pairs (wilcoxon+bootstrap)'; unreliable decisions say so and why. */
export function formatDecision(d: MetricDecision): string {
  const level = `${+(d.confidence * 100).toFixed(1)}% CI`;
  if (!Number.isFinite(d.speedup)) return `no verdict, ${d.pairs} pairs: ${d.why}`;
  const scope = d.scope === 'in-process' ? "; timed by the benchmark's own timer: imports and set-up not counted" : '';
  const tail = `${d.pairs} pairs (${d.method})${d.unreliable ? `; unreliable: ${d.reasons.join('; ')}` : ''}${scope}`;
  const [lo, hi] = d.ci;
  if (d.verdict === 'faster') return `${fmtX(d.speedup)}× faster, ${level} ${fmtX(lo)}–${fmtX(hi)}×, ${tail}`;
  // A slowdown reads best as "1.50× slower", so invert the estimate and flip the interval.
  if (d.verdict === 'slower') return `${fmtX(1 / d.speedup)}× slower, ${level} ${fmtX(1 / hi)}–${fmtX(1 / lo)}×, ${tail}`;
  return `no clear change (${fmtX(d.speedup)}×, ${level} ${fmtX(lo)}–${fmtX(hi)}×), ${tail}`;
}

/**
 * The naive gate Ouro is replacing, kept for comparison: median of the first
 * k runs of each arm (k = the shorter arm), verdict when the ratio leaves
 * ±threshold. Lower is better. Invalid or empty input is inconclusive here too.
 */
export function naiveMedianGate(base: number[], candidate: number[], threshold: number): Verdict {
  const k = Math.min(base.length, candidate.length);
  if (k === 0) return 'inconclusive';
  const b = base.slice(0, k);
  const c = candidate.slice(0, k);
  if (![...b, ...c].every(isValidMeasurement)) return 'inconclusive';
  const speedup = median(b) / median(c);
  if (speedup > 1 + threshold) return 'faster';
  if (speedup < 1 / (1 + threshold)) return 'slower';
  return 'inconclusive';
}
