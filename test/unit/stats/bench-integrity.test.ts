import { describe, expect, it } from 'vitest';
import { describeIntegrity, digestMismatch, drewFromSeed, integrityGaps, parseDigest } from '../../../core/stats/bench-integrity.js';
import { measure, PROCESS_METRIC } from '../../../core/stats/bench-measure.js';
import { formatDecision, minPairsForVerdict, type MetricDecision } from '../../../core/stats/perf-stats.js';
import { perfGate } from '../../../core/gate/gate.js';

describe('the digest line', () => {
  it('reads {"ouro-digest", "ouro-seed"} among other output; no line: undefined', () => {
    const out = 'warming up\n{"name":"primes","value":3}\n{"ouro-digest": "1438,1500", "ouro-seed": "42"}\n';
    expect(parseDigest(out)).toEqual({ digest: '1438,1500', seed: '42' });
    expect(parseDigest('{"ouro-digest":"abc"}')).toEqual({ digest: 'abc' });
    expect(parseDigest('{"ouro-digest":"abc","ouro-seed":7}')).toEqual({ digest: 'abc', seed: '7' });
    expect(parseDigest('{"name":"x","value":1}\nouro-digest in prose\n{ouro-digest broken json')).toBeUndefined();
  });
  it("refuses a second digest line (code under test printing the base's) and an empty or non-text digest", () => {
    expect(parseDigest('{"ouro-digest":"real","ouro-seed":"1"}\n{"ouro-digest":"fake","ouro-seed":"1"}')).toMatch(/more than one "ouro-digest" line/);
    expect(parseDigest('{"ouro-digest":""}')).toMatch(/holds no text/);
    expect(parseDigest('{"ouro-digest":1438}')).toMatch(/holds no text/);
    expect(parseDigest('{"ouro-digest":null}')).toMatch(/holds no text/);
  });
});

describe('the pair of digests', () => {
  const base = { digest: 'a1', seed: '9' };
  it('passes equal results on the same seed, and a benchmark without the protocol on both sides', () => {
    expect(digestMismatch('9', base, { digest: 'a1', seed: '9' })).toBeUndefined();
    expect(digestMismatch('9', undefined, undefined)).toBeUndefined();
  });
  it('refuses different results, a missing line on either side, and a candidate naming another seed', () => {
    expect(digestMismatch('9', base, { digest: 'a2', seed: '9' })).toMatch(/results differ from the base's on the same inputs \(seed 9\)/);
    expect(digestMismatch('9', base, undefined)).toMatch(/printed no "ouro-digest" line where the base's did/);
    expect(digestMismatch('9', undefined, base)).toMatch(/the base's benchmark does not print/);
    expect(digestMismatch('9', base, { digest: 'a1', seed: '8' })).toMatch(/names the seed 8, not this run's 9/);
    expect(digestMismatch('9', base, { digest: 'a1' })).toMatch(/names the seed \(none\)/);
    expect(digestMismatch('9', base, { digest: 'x'.repeat(100), seed: '9' })).toMatch(/x{40}…/);
  });
  it('a base that does not echo its seed is no seeded benchmark', () => {
    expect(drewFromSeed('9', base)).toBe(true);
    expect(drewFromSeed('9', { digest: 'a1' })).toBe(false);
    expect(drewFromSeed('9', undefined)).toBe(false);
  });
  it('says what a measurement could not exclude', () => {
    expect(integrityGaps({ seeded: true, outputsCompared: true, isolated: true })).toEqual([]);
    expect(describeIntegrity({ seeded: true, outputsCompared: true, isolated: true })).toBe(
      "fresh inputs per pair (OURO_BENCH_SEED), results equal to the base's, no state between runs",
    );
    const none = describeIntegrity({ seeded: false, outputsCompared: false, isolated: false });
    expect(none).toMatch(/^no integrity check held; not checked: inputs special-cased/);
    expect(none).toMatch(/not compared/);
    expect(none).toMatch(/sandbox degraded/);
  });
});

describe('metrics mode times the whole process', () => {
  it('puts the process wall time first; the printed metrics follow, marked in-process', () => {
    const m = measure('metrics', '{"name":"primes","value":2,"unit":"ms"}\n', 640);
    expect(m).toEqual({
      [PROCESS_METRIC]: { value: 640, unit: 'ms', lowerIsBetter: true },
      primes: { value: 2, unit: 'ms', lowerIsBetter: true, scope: 'in-process' },
    });
    expect(Object.keys(m)[0]).toBe(PROCESS_METRIC);
  });
  it("refuses a printed metric that takes the process metric's name", () => {
    expect(measure('metrics', `{"name":"${PROCESS_METRIC}","value":0.1}\n`, 640)).toMatch(/the name of the process time Ouro measures itself/);
  });
  it('a decision on an in-process metric says so wherever it is shown', () => {
    const d = decision('faster', 133154, [120000, 140000], 'primes');
    expect(formatDecision({ ...d, scope: 'in-process' })).toMatch(/timed by the benchmark's own timer: imports and set-up not counted$/);
    expect(formatDecision(d)).not.toMatch(/own timer/);
  });
});

function decision(verdict: MetricDecision['verdict'], speedup: number, ci: [number, number], name = PROCESS_METRIC, pairs = 12): MetricDecision {
  return { name, verdict, speedup, ci, confidence: 0.95, pValue: 0.03, pairs, method: 'wilcoxon-exact+bootstrap', unreliable: false, reasons: [], why: '' };
}

describe('one gate, one story: a goal is met by a verdict of faster', () => {
  it('the exact signed-rank test needs 8 pairs to reach alpha 0.01 (its smallest p is 2^(1-n))', () => {
    expect(minPairsForVerdict()).toBe(8);
    expect(minPairsForVerdict(0.05)).toBe(6);
  });
  it('"no clear change (2.96×, CI 2.79–3.14×)" over 6 pairs: promoted by the interval alone, refused with the verdict required', () => {
    const sixPairs = { ok: true, decisions: [decision('inconclusive', 2.96, [2.79, 3.14], PROCESS_METRIC, 6)] };
    expect(perfGate(sixPairs, { speedupGoal: 1.02 })).toMatchObject({ accepted: true, reason: expect.stringMatching(/^no clear change/) });
    const v = perfGate(sixPairs, { speedupGoal: 1.02, requireVerdict: true });
    expect(v).toMatchObject({ accepted: false, status: 'below-goal' });
    expect(v.reason).toMatch(/needs a verdict of faster: 6 pairs can never be significant \(at least 8 are needed\)/);
  });
  it('a significant speedup past the goal passes, and its reason reads "faster"', () => {
    const v = perfGate({ ok: true, decisions: [decision('faster', 2.4, [2.1, 2.7])] }, { speedupGoal: 1.02, requireVerdict: true });
    expect(v).toMatchObject({ accepted: true, status: 'passed' });
    expect(v.reason).toMatch(/^2\.40× faster/);
    // Faster, but its interval short of the goal: still refused.
    expect(perfGate({ ok: true, decisions: [decision('faster', 1.3, [1.1, 1.5])] }, { speedupGoal: 1.2, requireVerdict: true }).accepted).toBe(false);
  });
  it('without a goal the verdict is not required (a fix that is not slower passes)', () => {
    expect(perfGate({ ok: true, decisions: [decision('inconclusive', 1.0, [0.97, 1.03])] }, { requireVerdict: true }).accepted).toBe(true);
  });
});
