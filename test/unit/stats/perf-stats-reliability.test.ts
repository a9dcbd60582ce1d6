import { describe, it, expect } from 'vitest';
import { reliabilityReasons, spearmanVsIndex } from '../../../core/stats/perf/reliability.js';
import { simulatePairs } from '../../../core/stats/perf/synthetic-pairs.js';
import { decideMetric } from '../../../core/stats/perf-stats.js';

describe('spearmanVsIndex', () => {
  it('is ±1 for monotone series and 0 for a constant one', () => {
    expect(spearmanVsIndex([1, 2, 5, 9])).toBeCloseTo(1, 12);
    expect(spearmanVsIndex([9, 5, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearmanVsIndex([3, 3, 3])).toBe(0);
  });
});

describe('reliabilityReasons', () => {
  it('leaves short runs out of the drift check', () => {
    // Seven pairs rising 10% each: a trend, but below the 8 pairs a drift verdict needs.
    const rising = Array.from({ length: 7 }, (_, i) => ({ base: 100 * 1.1 ** i, candidate: 100 * 1.1 ** i }));
    expect(reliabilityReasons(rising).some((r) => r.startsWith('drift'))).toBe(false);
    expect(reliabilityReasons([...rising, { base: 100 * 1.1 ** 7, candidate: 100 * 1.1 ** 7 }]).some((r) => r.startsWith('drift: base arm rose'))).toBe(true);
  });
});

describe('decideMetric: reliability flags', () => {
  it('flags monotone drift as unreliable without changing the paired verdict', () => {
    const d = decideMetric('drift', simulatePairs(2, { pairs: 20, ratio: 1, noise: 0.01, drift: 0.2 }));
    expect(d.unreliable).toBe(true);
    expect(d.reasons.some((r) => /^drift: base arm rose .*%/.test(r))).toBe(true);
    expect(d.reasons.some((r) => /^drift: candidate arm rose/.test(r))).toBe(true);
    expect(d.verdict).toBe('inconclusive');
  });

  it('flags a downward drift too', () => {
    const d = decideMetric('drift', simulatePairs(2, { pairs: 12, ratio: 1, noise: 0.005, drift: -0.1 }));
    expect(d.reasons.some((r) => /^drift: base arm fell/.test(r))).toBe(true);
  });

  it('flags within-arm CV above 10%', () => {
    const d = decideMetric('noisy', simulatePairs(4, { pairs: 20, ratio: 1, noise: 0.2 }));
    expect(d.unreliable).toBe(true);
    expect(d.reasons.some((r) => /arm CV \d+\.\d% > 10%/.test(r))).toBe(true);
  });

  it('leaves a quiet, stable run reliable', () => {
    const d = decideMetric('quiet', simulatePairs(4, { pairs: 20, ratio: 1, noise: 0.01 }));
    expect(d.unreliable).toBe(false);
    expect(d.reasons).toEqual([]);
  });
});
