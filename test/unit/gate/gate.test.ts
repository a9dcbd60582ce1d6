import { describe, it, expect } from 'vitest';
import { testGate, perfGate, pickBest } from '../../../core/gate/gate.js';
import type { BenchRunResult, TestRunResult } from '../../../core/contracts/sandbox.js';
import type { TestCounts } from '../../../core/gate/test-report.js';
import type { MetricDecision } from '../../../core/stats/perf-stats.js';

const counts = (passed: number, failed: number, skipped = 0): TestCounts => ({ passed, failed, skipped, total: passed + failed + skipped, runner: 'vitest' });

function testRun(r: Partial<TestRunResult>): TestRunResult {
  return { exitCode: 0, timedOut: false, durationMs: 1200, output: '', passed: true, violations: [], sandbox: 'bwrap', ...r };
}

describe('testGate', () => {
  it('accepts exit code 0 with no failures', () => {
    expect(testGate(testRun({ exitCode: 0, counts: counts(5, 0) }))).toEqual({ accepted: true, status: 'passed', reason: 'tests 5 passed' });
  });

  it('accepts exit code 0 when the output had no recognisable counts', () => {
    expect(testGate(testRun({ exitCode: 0, counts: undefined }))).toEqual({ accepted: true, status: 'passed', reason: 'tests passed' });
  });

  it('rejects exit code 0 when the runner still reported failed tests', () => {
    const v = testGate(testRun({ exitCode: 0, counts: counts(3, 2) }));
    expect(v.accepted).toBe(false);
    expect(v.status).toBe('tests-failed');
    expect(v.reason).toBe('tests 3 passed, 2 failed');
  });

  it('rejects a non-zero exit code', () => {
    expect(testGate(testRun({ exitCode: 1, counts: counts(4, 1) }))).toEqual({ accepted: false, status: 'tests-failed', reason: 'tests 4 passed, 1 failed' });
    expect(testGate(testRun({ exitCode: 2 }))).toEqual({ accepted: false, status: 'tests-failed', reason: 'tests failed (exit 2)' });
  });

  it('rejects a run killed by a signal', () => {
    expect(testGate(testRun({ exitCode: null, signal: 'SIGKILL' }))).toMatchObject({ accepted: false, reason: 'tests failed (exit signal)' });
  });

  it('rejects a timed-out run, naming the wall time in seconds', () => {
    // Even with exit code 0 and green counts: a timeout is never a pass.
    const v = testGate(testRun({ timedOut: true, exitCode: 0, durationMs: 300_400, counts: counts(5, 0) }));
    expect(v).toEqual({ accepted: false, status: 'tests-failed', reason: 'tests killed after 300 s wall time' });
  });
});

describe('perfGate', () => {
  const decision = (verdict: MetricDecision['verdict'], speedup: number, ci: [number, number], name = 'wall-time'): MetricDecision => ({
    name,
    verdict,
    speedup,
    ci,
    confidence: 0.95,
    pValue: 0.001,
    pairs: 12,
    method: 'wilcoxon+bootstrap',
    unreliable: false,
    reasons: [],
    why: '',
  });
  const bench = (...decisions: MetricDecision[]): BenchRunResult => ({ ok: true, decisions });

  it('holds the goal to the named metric when one is given; a slower other metric still refuses', () => {
    const twoMetrics = bench(decision('inconclusive', 1.0, [0.98, 1.02]), decision('faster', 1.5, [1.4, 1.6], 'bytes'));
    expect(perfGate(twoMetrics, { speedupGoal: 1.02 }).accepted).toBe(false);
    expect(perfGate(twoMetrics, { speedupGoal: 1.02, metric: 'bytes' })).toMatchObject({ accepted: true, status: 'passed' });
    expect(perfGate(twoMetrics, { speedupGoal: 1.02, metric: 'heap' })).toEqual({
      accepted: false,
      status: 'slower',
      reason: 'benchmark failed: no metric "heap" in its report',
    });
    const slowerWall = bench(decision('slower', 0.7, [0.6, 0.8]), decision('faster', 1.5, [1.4, 1.6], 'bytes'));
    expect(perfGate(slowerWall, { speedupGoal: 1.02, metric: 'bytes' })).toMatchObject({ accepted: false, status: 'slower' });
  });

  it('passes without a benchmark when no speedup was asked', () => {
    expect(perfGate(undefined, {})).toEqual({ accepted: true, status: 'passed', reason: 'no benchmark configured' });
  });

  it('fails without a benchmark when a speedup was asked', () => {
    expect(perfGate(undefined, { speedupGoal: 1.2 })).toEqual({ accepted: false, status: 'below-goal', reason: 'a speedup was asked but no benchmark ran' });
  });

  it('rejects a failed benchmark with its message', () => {
    expect(perfGate({ ok: false, message: 'candidate benchmark exited 1: boom' }, {})).toEqual({
      accepted: false,
      status: 'slower',
      reason: 'benchmark failed: candidate benchmark exited 1: boom',
    });
    expect(perfGate({ ok: true }, {})).toMatchObject({ accepted: false, reason: 'benchmark failed: no measurement' });
  });

  it('rejects when any metric is judged slower, naming it', () => {
    const v = perfGate(bench(decision('faster', 1.3, [1.25, 1.35]), decision('slower', 0.8, [0.78, 0.82], 'memory')), {});
    expect(v.accepted).toBe(false);
    expect(v.status).toBe('slower');
    expect(v.reason).toMatch(/^memory: 1\.25× slower, 95% CI/);
  });

  it('commits an unreliable decision that is not slower, saying so; --require-reliable refuses it', () => {
    const shaky = { ...decision('faster', 1.3, [1.2, 1.4]), unreliable: true, reasons: ['within-arm spread 31%'] };
    const allowed = perfGate(bench(shaky), { speedupGoal: 1.1 });
    expect(allowed).toMatchObject({ accepted: true, status: 'passed' });
    expect(allowed.reason).toMatch(/unreliable: within-arm spread 31%/);
    const refused = perfGate(bench(shaky), { speedupGoal: 1.1, requireReliable: true });
    expect(refused).toMatchObject({ accepted: false, status: 'unreliable' });
    expect(refused.reason).toMatch(/^wall-time: .*unreliable: within-arm spread 31%; --require-reliable refuses/);
    expect(perfGate(bench(decision('faster', 1.3, [1.2, 1.4])), { requireReliable: true })).toMatchObject({ accepted: true });
  });

  it('passes an inconclusive change when no goal was asked (no regression shown)', () => {
    expect(perfGate(bench(decision('inconclusive', 0.99, [0.97, 1.01])), {})).toMatchObject({ accepted: true, status: 'passed' });
  });

  it("meets a goal only when the interval's lower end reaches it", () => {
    expect(perfGate(bench(decision('faster', 1.3, [1.15, 1.45])), { speedupGoal: 1.2 })).toMatchObject({ accepted: false, status: 'below-goal' });
    expect(perfGate(bench(decision('faster', 1.3, [1.21, 1.39])), { speedupGoal: 1.2 })).toMatchObject({ accepted: true, status: 'passed' });
    expect(perfGate(bench(decision('faster', 1.3, [1.21, 1.39])), { speedupGoal: 1.2 }).reason).toMatch(/^1\.30× faster, 95% CI 1\.21–1\.39×, 12 pairs/);
  });
});

describe('pickBest', () => {
  it('returns undefined for no candidates', () => {
    expect(pickBest([])).toBeUndefined();
  });

  it('picks the highest speedup', () => {
    const list = [
      { id: 'a', speedup: 1.1 },
      { id: 'b', speedup: 1.6 },
      { id: 'c', speedup: 1.3 },
    ];
    expect(pickBest(list)?.id).toBe('b');
  });

  it('keeps the earliest candidate on ties', () => {
    const list = [
      { id: 'a', speedup: 1.1 },
      { id: 'b', speedup: 1.4 },
      { id: 'c', speedup: 1.4 },
    ];
    expect(pickBest(list)?.id).toBe('b');
  });

  it('treats a missing speedup as 1× (ties with 1, beats a slowdown)', () => {
    expect(pickBest([{ id: 'a' }, { id: 'b', speedup: 1 }])?.id).toBe('a');
    expect(pickBest([{ id: 'a', speedup: 0.97 }, { id: 'b' }])?.id).toBe('b');
    expect(pickBest([{ id: 'a' }, { id: 'b', speedup: 1.01 }])?.id).toBe('b');
  });
});

describe('testGate: sandbox guard and test anchors', () => {
  it('refuses a run whose guard saw a violation, even if the suite passed', () => {
    const v = testGate(testRun({ counts: counts(5, 0), violations: ['changed the protected file test/a.test.ts during its run'] }));
    expect(v).toEqual({ accepted: false, status: 'refused', reason: 'the candidate changed the protected file test/a.test.ts during its run' });
  });
  it('rejects a green run that ran fewer tests than the base', () => {
    const v = testGate(testRun({ counts: counts(3, 0) }), counts(4, 1));
    expect(v.accepted).toBe(false);
    expect(v.reason).toBe('ran 3 tests where the base ran 5: tests may not be skipped or removed');
  });
  it('rejects a green run without a runner summary when the base printed one', () => {
    const v = testGate(testRun({ counts: undefined }), counts(5, 0));
    expect(v.accepted).toBe(false);
    expect(v.reason).toMatch(/summary is missing/);
  });
  it('accepts as many or more tests than the base', () => {
    expect(testGate(testRun({ counts: counts(6, 0) }), counts(5, 0)).accepted).toBe(true);
  });
  it('says when a failing candidate tried to write outside its workspace', () => {
    const v = testGate(testRun({ exitCode: 1, counts: counts(4, 1), output: "Error: EROFS: read-only file system, open '/etc/x'" }));
    expect(v.reason).toMatch(/tried to write a read-only path/);
  });
});
