import { describe, expect, it } from 'vitest';
import { cellOf, insertProgram, newArchive } from '../../../core/evolve/archive.js';
import { cellBins, cellKey, FeatureDimsSchema, metricFeatures, missingObjectiveMetrics, objectiveOf } from '../../../core/evolve/features.js';
import type { MetricDecision } from '../../../core/stats/perf-stats.js';
import { BASE_PROGRAM } from '../../helpers/evolve.js';

const decision = (name: string, speedup: number): MetricDecision => ({
  name,
  verdict: 'faster',
  speedup,
  ci: [speedup * 0.9, speedup * 1.1],
  confidence: 0.95,
  pValue: 0.001,
  pairs: 10,
  method: 'wilcoxon+bootstrap',
  unreliable: false,
  reasons: [],
  why: '',
});

describe('the objective (--metric)', () => {
  it('is the benchmark’s first metric by default and the named one when asked', () => {
    const ds = [decision('ms', 1.5), decision('memory', 0.8)];
    expect(objectiveOf(ds)).toMatchObject({ ok: true, decision: { name: 'ms', speedup: 1.5 } });
    expect(objectiveOf(ds, 'memory')).toMatchObject({ ok: true, decision: { name: 'memory', speedup: 0.8 } });
  });

  it('names what the benchmark did report when the metric is missing, and refuses an unmeasurable one', () => {
    expect(objectiveOf([decision('ms', 1.2)], 'score')).toEqual({ ok: false, reason: 'the benchmark reported no metric "score" (it reported ms)' });
    expect(objectiveOf([], 'score')).toEqual({ ok: false, reason: 'no measurement' });
    expect(objectiveOf(undefined)).toEqual({ ok: false, reason: 'no measurement' });
    expect(objectiveOf([{ ...decision('ms', NaN), why: 'invalid input' }])).toEqual({ ok: false, reason: 'ms could not be measured (invalid input)' });
  });

  it('lists the metrics a search needs that the base’s benchmark does not print', () => {
    expect(missingObjectiveMetrics(['ms', 'bytes'], 'ms', ['size', 'metric:bytes'])).toEqual([]);
    expect(missingObjectiveMetrics(['ms'], 'score', ['metric:bytes', 'diff'])).toEqual(['score', 'bytes']);
    expect(missingObjectiveMetrics(['ms'], undefined, ['size', 'diff'])).toEqual([]);
  });
});

describe('the grid’s dimensions (--features)', () => {
  it('parses size, diff and metric:<name>, and refuses what it cannot bin', () => {
    expect(FeatureDimsSchema.parse('size, metric:bytes')).toEqual(['size', 'metric:bytes']);
    const bad = ['', 'size,size', 'colour', 'metric:', 'metric:a b', 'size,diff,metric:a,metric:b', 'metric:' + 'x'.repeat(65)];
    for (const input of bad) expect(FeatureDimsSchema.safeParse(input).success, input).toBe(false);
    expect(FeatureDimsSchema.safeParse('size,size').error?.issues[0]?.message).toBe('a feature is named twice');
  });

  it('keeps the key older searches stored for the default grid', () => {
    expect(cellKey({ sizeBytes: 1300, diffLines: 30 }, 1000)).toBe('s1:d2');
    expect(cellKey({ sizeBytes: 1300, diffLines: 30 }, 1000, ['size', 'diff'])).toBe('s1:d2');
  });

  it('bins a metric by ×1.25 of the base, a missing value as the base', () => {
    expect(cellKey({ sizeBytes: 1000, diffLines: 3, metrics: { bytes: 2 } }, 1000, ['metric:bytes', 'size'])).toBe('bytes3:s0');
    expect(cellKey({ sizeBytes: 1000, diffLines: 3 }, 1000, ['metric:bytes'])).toBe('bytes0');
    expect(cellKey({ sizeBytes: 1000, diffLines: 3, metrics: { bytes: 0 } }, 1000, ['metric:bytes'])).toBe('bytes-8');
    expect(cellBins('bytes-3:s0:d2')).toEqual([-3, 0, 2]);
  });

  it('takes a grid metric as the candidate’s median over the base’s', () => {
    const samples = {
      bytes: [
        { base: 100, candidate: 50 },
        { base: 100, candidate: 60 },
        { base: 120, candidate: 40 },
      ],
      ms: [],
    };
    expect(metricFeatures(samples, ['bytes'])).toEqual({ bytes: 0.5 });
    expect(metricFeatures(samples, ['ms', 'absent'])).toEqual({ ms: 1, absent: 1 });
    expect(metricFeatures(samples, [])).toBeUndefined();
  });

  it('files programs by the search’s own dimensions: two programs of one size but different memory are both kept', () => {
    const base = { ...BASE_PROGRAM, features: { sizeBytes: 1000, diffLines: 0, metrics: { bytes: 1 } } };
    const state = newArchive(base, 1, 0, { dims: ['size', 'metric:bytes'], metric: 'ms' });
    const lean = { ...base, id: 'p1', score: 1.1, features: { sizeBytes: 1000, diffLines: 4, metrics: { bytes: 0.5 } } };
    const fast = { ...base, id: 'p2', score: 1.6, features: { sizeBytes: 1000, diffLines: 4, metrics: { bytes: 1.0 } } };
    expect(insertProgram(state, lean).elite).toBe(true);
    expect(insertProgram(state, fast).elite).toBe(true);
    expect(Object.values(state.grids[0]!).sort()).toEqual(['p1', 'p2']);
    expect(cellOf(state, lean.features)).toBe('s0:bytes-4');
    // With the default grid the two share a cell and the leaner, slower one is dropped.
    const plain = newArchive(base, 1, 0);
    insertProgram(plain, lean);
    insertProgram(plain, fast);
    expect(Object.values(plain.grids[0]!).sort()).toEqual(['p2']);
  });
});
