import { describe, expect, it } from 'vitest';
import { largest } from '../src/largest.js';

describe('largest', () => {
  it('finds the largest number wherever it is', () => {
    expect(largest([3, 9, 2])).toBe(9);
    expect(largest([9, 3, 2])).toBe(9);
    expect(largest([2, 3, 9])).toBe(9);
  });
  it('handles negatives and a single element', () => {
    expect(largest([-5, -2, -9])).toBe(-2);
    expect(largest([7])).toBe(7);
  });
  it('agrees with Math.max on many inputs', () => {
    for (let n = 1; n < 50; n++) {
      const xs = Array.from({ length: n }, (_, i) => ((i * 7919) % 101) - 50);
      expect(largest(xs)).toBe(Math.max(...xs));
    }
  });
});
