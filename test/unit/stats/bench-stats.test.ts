import { describe, it, expect } from 'vitest';
import { median, formatSpeedup } from '../../../core/stats/bench-stats.js';

describe('median', () => {
  it('takes the middle value of an odd sample, whatever the order', () => {
    expect(median([310, 120, 250])).toBe(250);
    expect(median([5])).toBe(5);
  });

  it('averages the two middle values of an even sample', () => {
    expect(median([40, 10, 30, 20])).toBe(25);
  });

  it('sorts numerically, not as strings', () => {
    expect(median([9, 100, 20])).toBe(20);
  });

  it("does not reorder the caller's array", () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });

  it('throws on an empty sample', () => {
    expect(() => median([])).toThrow(/empty/);
  });
});

describe('formatSpeedup', () => {
  it('formats faster and slower with two decimals', () => {
    expect(formatSpeedup(1.5)).toBe('1.50× faster');
    expect(formatSpeedup(0.5)).toBe('2.00× slower');
    expect(formatSpeedup(0.8)).toBe('1.25× slower');
  });

  it('counts parity as faster', () => {
    expect(formatSpeedup(1)).toBe('1.00× faster');
  });

  it('says n/a for non-finite values', () => {
    expect(formatSpeedup(Number.POSITIVE_INFINITY)).toBe('n/a');
    expect(formatSpeedup(Number.NaN)).toBe('n/a');
  });
});
