import { describe, expect, it } from 'vitest';
import { countPrimesBelow } from '../src/primes.js';

describe('countPrimesBelow', () => {
  it('handles tiny limits', () => {
    expect(countPrimesBelow(0)).toBe(0);
    expect(countPrimesBelow(2)).toBe(0);
    expect(countPrimesBelow(3)).toBe(1);
  });
  it('counts known values', () => {
    expect(countPrimesBelow(10)).toBe(4);
    expect(countPrimesBelow(100)).toBe(25);
    expect(countPrimesBelow(1000)).toBe(168);
    expect(countPrimesBelow(7920)).toBe(1000);
  });
});
