import { z } from 'zod';
import { median } from '../stats/bench-stats.js';
import type { MetricDecision } from '../stats/perf-stats.js';
import type { FeatureDim, Features } from './types.js';

export type { FeatureDim } from './types.js';

// What the search optimises and where a program sits in the MAP-Elites grid.
// The objective is one metric of the benchmark (by default its first, the
// gate's primary); the grid's dimensions are descriptors of a program, never
// its fitness: code size, diff size, or any metric the benchmark prints.

export const DEFAULT_DIMS: readonly FeatureDim[] = ['size', 'diff'];

const METRIC_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

const DimSchema = z.string().refine((d) => d === 'size' || d === 'diff' || (d.startsWith('metric:') && METRIC_NAME.test(d.slice(7))), {
  message: 'a feature is size, diff or metric:<name> (a metric the benchmark prints)',
});

/** `--features size,metric:memory`: one to three distinct dimensions. */
export const FeatureDimsSchema = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(DimSchema)
      .min(1, 'name at least one feature: size, diff or metric:<name>')
      .max(3, 'at most three features: a grid of more dimensions is too sparse to fill')
      .refine((ds) => new Set(ds).size === ds.length, { message: 'a feature is named twice' }),
  )
  .transform((ds) => ds as FeatureDim[]);

export const MetricNameSchema = z.string().regex(METRIC_NAME, 'a metric name is letters, digits, _ . - (as the benchmark prints it)');

/** The metrics the grid reads, without their `metric:` prefix. */
export function featureMetrics(dims: readonly FeatureDim[]): string[] {
  return dims.filter((d) => d.startsWith('metric:')).map((d) => d.slice(7));
}

/** A ratio to the base in bins of ×1.25 (… 0.8–1 → -1, 1–1.25 → 0, …), clamped to ±8. */
function ratioBin(ratio: number): number {
  const r = Number.isFinite(ratio) && ratio > 0 ? ratio : 1e-6;
  return Math.max(-8, Math.min(8, Math.floor(Math.log(r) / Math.log(1.25))));
}

/** The cell's key: with the default dimensions, `s<size bin>:d<diff bin>` (the key older searches stored). */
export function cellKey(f: Features, baseSizeBytes: number, dims: readonly FeatureDim[] = DEFAULT_DIMS): string {
  return dims
    .map((d) => {
      if (d === 'size') return `s${ratioBin(f.sizeBytes / Math.max(1, baseSizeBytes))}`;
      if (d === 'diff') return `d${f.diffLines <= 5 ? 0 : f.diffLines <= 20 ? 1 : f.diffLines <= 60 ? 2 : 3}`;
      const name = d.slice(7);
      return `${name}${ratioBin(f.metrics?.[name] ?? 1)}`;
    })
    .join(':');
}

export type Objective = { ok: true; decision: MetricDecision } | { ok: false; reason: string };

/** The decision the search scores by: the named metric's, or the first (the gate's primary). */
export function objectiveOf(decisions: readonly MetricDecision[] | undefined, metric?: string): Objective {
  const decision = metric ? decisions?.find((d) => d.name === metric) : decisions?.[0];
  if (decision && Number.isFinite(decision.speedup)) return { ok: true, decision };
  if (!decisions?.length) return { ok: false, reason: 'no measurement' };
  if (!decision) return { ok: false, reason: `the benchmark reported no metric "${metric}" (it reported ${decisions.map((d) => d.name).join(', ')})` };
  return { ok: false, reason: `${decision.name} could not be measured (${decision.why})` };
}

/** Each grid metric as the candidate's median over the base's median (1 = as the base), from the benchmark's pairs. */
export function metricFeatures(
  samples: Record<string, Array<{ base: number; candidate: number }>> | undefined,
  names: readonly string[],
): Record<string, number> | undefined {
  if (!names.length) return undefined;
  return Object.fromEntries(
    names.map((n) => {
      const pairs = samples?.[n] ?? [];
      const ratio = pairs.length ? median(pairs.map((p) => p.candidate)) / median(pairs.map((p) => p.base)) : NaN;
      return [n, Number.isFinite(ratio) ? ratio : 1];
    }),
  );
}

/** Names the search needs from the benchmark and it does not print: refused before the search starts. */
export function missingObjectiveMetrics(reported: readonly string[], metric: string | undefined, dims: readonly FeatureDim[]): string[] {
  const have = new Set(reported);
  return [...new Set([...(metric ? [metric] : []), ...featureMetrics(dims)])].filter((n) => !have.has(n));
}

/** A cell key's bins, one per dimension, in order. */
export function cellBins(cell: string): number[] {
  return cell.split(':').map((part) => Number(/(-?\d+)$/.exec(part)?.[1] ?? NaN));
}

/** How a report names a dimension's axis. */
export function dimTitle(d: FeatureDim): string {
  return d === 'size' ? 'code size bin (×1.25)' : d === 'diff' ? 'diff size bin' : `${d.slice(7)} bin (×1.25 of the base)`;
}
