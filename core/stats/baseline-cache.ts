// What Ouro remembers about a baseline between benchmark decisions: the
// base has been warmed up on this host, how long one run takes (calibration
// of the pair budget), which metrics it reports, and its recent values.
// Decisions never compare against these remembered values: every decision
// still measures the base in interleaved pairs alongside its candidate.
// Only the warm-up and the calibration are reused.
import { z } from 'zod';
import { median } from './bench-stats.js';

/** Recent base values kept per metric: enough to see drift between decisions, small on disk. */
export const KEEP_VALUES = 60;
/** Warmed checkouts remembered per base: one per recent run is plenty. */
export const KEEP_DIRS = 20;

export const BaselineEntrySchema = z.object({
  key: z.string(),
  baseSha: z.string(),
  command: z.string(),
  mode: z.string(),
  /** Base runs measured on this host so far (warm-ups included). */
  runs: z.number().int().nonnegative(),
  /** Median seconds of one base run, the calibration for the pair budget. */
  runSeconds: z.number().nonnegative(),
  metrics: z.record(z.string(), z.object({ lowerIsBetter: z.boolean(), recent: z.array(z.number()) })),
  /** Checkouts of this base already warmed up on this host (a new worktree's files start cold). */
  warmDirs: z.array(z.string()).default([]),
  updatedAt: z.string(),
});
export type BaselineEntry = z.infer<typeof BaselineEntrySchema>;

/**
 * Which baseline an entry remembers: the same commit benchmarked by the same command in the same mode,
 * and the key that names it on disk (adapters/stores/baseline-key.ts hashes the three into it).
 */
export interface BaselineId {
  key: string;
  baseSha: string;
  command: string;
  mode: string;
}

export interface BaseRun {
  seconds: number;
  values: Record<string, { value: number; lowerIsBetter: boolean }>;
}

/** Folds a decision's base runs into the entry (a fresh entry when there was none). */
export function recordBaseRuns(prev: BaselineEntry | undefined, id: BaselineId, runs: readonly BaseRun[], now: Date, dir?: string): BaselineEntry | undefined {
  if (runs.length === 0) return prev;
  const metrics: BaselineEntry['metrics'] = structuredClone(prev?.metrics ?? {});
  for (const run of runs) {
    for (const [name, m] of Object.entries(run.values)) {
      const slot = (metrics[name] ??= { lowerIsBetter: m.lowerIsBetter, recent: [] });
      slot.recent.push(m.value);
      if (slot.recent.length > KEEP_VALUES) slot.recent.splice(0, slot.recent.length - KEEP_VALUES);
    }
  }
  const seconds = runs.map((r) => r.seconds);
  // Weigh the new runs with the old calibration so one slow decision does not swing the budget.
  const runSeconds = prev ? median([prev.runSeconds, median(seconds)]) : median(seconds);
  return {
    ...id,
    runs: (prev?.runs ?? 0) + runs.length,
    runSeconds,
    metrics,
    warmDirs: [...new Set([...(prev?.warmDirs ?? []), ...(dir ? [dir] : [])])].slice(-KEEP_DIRS),
    updatedAt: now.toISOString(),
  };
}

export interface PairPlan {
  /** Whether the base still needs its unmeasured warm-up run on this host. */
  warmUpBase: boolean;
  /** Pairs that fit the time budget at the calibrated speed (never below the minimum). */
  maxPairs: number;
}

/**
 * How to measure the next decision. A checkout of the base that ran here
 * before needs no warm-up; the base's calibrated run time caps the pairs to what fits the budget,
 * so a slow benchmark stops at a planned pair instead of being cut off
 * mid-pair by the deadline.
 */
export function planPairs(entry: BaselineEntry | undefined, req: { minPairs: number; maxPairs: number; budgetSeconds: number; dir?: string }): PairPlan {
  if (!entry || entry.runs === 0) return { warmUpBase: true, maxPairs: req.maxPairs };
  // Calibration holds for any checkout of the base; the warm-up only for one that ran here before.
  const warmUpBase = req.dir === undefined || !entry.warmDirs.includes(req.dir);
  // One candidate warm-up plus two runs per pair; the candidate is assumed as slow as the base.
  const perPair = 2 * entry.runSeconds;
  const fit = perPair > 0 ? Math.floor((req.budgetSeconds - entry.runSeconds) / perPair) : req.maxPairs;
  return { warmUpBase, maxPairs: Math.max(req.minPairs, Math.min(req.maxPairs, fit)) };
}

/** Metrics the base reported before that the candidate's run no longer prints. */
export function missingMetrics(entry: BaselineEntry | undefined, reported: readonly string[]): string[] {
  if (!entry) return [];
  const have = new Set(reported);
  return Object.keys(entry.metrics).filter((name) => !have.has(name));
}
