import { describe, expect, it } from 'vitest';
import { KEEP_VALUES, missingMetrics, planPairs, recordBaseRuns, type BaseRun } from '../../../core/stats/baseline-cache.js';
import { baselineId, baselineKey } from '../../../adapters/stores/baseline-key.js';

const id = baselineId('a'.repeat(40), 'node bench.js', 'wall');
const now = new Date('2026-11-24T10:00:00Z');
const run = (seconds: number, value = seconds * 1000): BaseRun => ({ seconds, values: { 'wall-time': { value, lowerIsBetter: true } } });

describe('baseline cache', () => {
  it('keys on commit, command and mode together', () => {
    const k = baselineKey(id.baseSha, id.command, id.mode);
    expect(baselineKey(id.baseSha, id.command, id.mode)).toBe(k);
    expect(baselineKey('b'.repeat(40), id.command, id.mode)).not.toBe(k);
    expect(baselineKey(id.baseSha, 'node other.js', id.mode)).not.toBe(k);
    expect(baselineKey(id.baseSha, id.command, 'instructions')).not.toBe(k);
  });

  it('keeps the keys that name the cache files already on disk (the first 32 hex digits of sha256 over sha, mode, command)', () => {
    expect(baselineKey('a'.repeat(40), 'node bench.js', 'wall')).toBe('7fb9f6bb14e2821afe3325e0f59d73cf');
    expect(baselineKey('0123456789abcdef0123456789abcdef01234567', 'npm run bench -- --json', 'instructions')).toBe('0ce559b90e3c65b1fbbffe550890e06b');
    expect(id).toEqual({ key: '7fb9f6bb14e2821afe3325e0f59d73cf', baseSha: 'a'.repeat(40), command: 'node bench.js', mode: 'wall' });
    expect(recordBaseRuns(undefined, id, [run(1)], now)?.key).toBe('7fb9f6bb14e2821afe3325e0f59d73cf');
  });

  it('an unknown base is warmed up and keeps the requested pair budget', () => {
    expect(planPairs(undefined, { minPairs: 10, maxPairs: 30, budgetSeconds: 60 })).toEqual({ warmUpBase: true, maxPairs: 30 });
  });

  it('a known base skips its warm-up in a checkout warmed before, and caps pairs to what fits the budget, never below the minimum', () => {
    const entry = recordBaseRuns(undefined, id, [run(1), run(1), run(1)], now, '/w/run1/base')!;
    expect(entry.runs).toBe(3);
    expect(entry.runSeconds).toBe(1);
    // 60 s budget, 1 s per run: one candidate warm-up, then 2 s per pair → 29 pairs.
    expect(planPairs(entry, { minPairs: 10, maxPairs: 30, budgetSeconds: 60, dir: '/w/run1/base' })).toEqual({ warmUpBase: false, maxPairs: 29 });
    // Another run's fresh worktree of the same commit: calibrated, but its files are cold.
    expect(planPairs(entry, { minPairs: 10, maxPairs: 30, budgetSeconds: 60, dir: '/w/run2/base' })).toEqual({ warmUpBase: true, maxPairs: 29 });
    expect(planPairs(entry, { minPairs: 10, maxPairs: 30, budgetSeconds: 600 }).maxPairs).toBe(30);
    expect(planPairs(entry, { minPairs: 10, maxPairs: 30, budgetSeconds: 5 }).maxPairs).toBe(10);
  });

  it('folds new runs in, keeps only the most recent values, and damps the calibration', () => {
    let entry = recordBaseRuns(undefined, id, [run(2)], now)!;
    entry = recordBaseRuns(
      entry,
      id,
      Array.from({ length: KEEP_VALUES + 5 }, (_, i) => run(4, i)),
      now,
    )!;
    expect(entry.runs).toBe(KEEP_VALUES + 6);
    const recent = entry.metrics['wall-time']!.recent;
    expect(recent).toHaveLength(KEEP_VALUES);
    expect(recent.at(-1)).toBe(KEEP_VALUES + 4);
    expect(entry.runSeconds).toBe(3); // median of the old 2 s and the new 4 s
    expect(recordBaseRuns(entry, id, [], now)).toBe(entry);
  });

  it('names metrics the base reported that a candidate dropped', () => {
    const entry = recordBaseRuns(undefined, id, [{ seconds: 1, values: { a: { value: 1, lowerIsBetter: true }, b: { value: 2, lowerIsBetter: false } } }], now);
    expect(missingMetrics(entry, ['a'])).toEqual(['b']);
    expect(missingMetrics(entry, ['a', 'b', 'c'])).toEqual([]);
    expect(missingMetrics(undefined, [])).toEqual([]);
  });
});
