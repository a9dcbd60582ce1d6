import { describe, expect, it } from 'vitest';
import { sumTo } from '../src/sum.js';

describe('sumTo', () => {
  it('is 0 below 1', () => {
    expect(sumTo(0)).toBe(0);
    expect(sumTo(-3)).toBe(0);
  });
  it('includes n itself', () => {
    expect(sumTo(1)).toBe(1);
    expect(sumTo(4)).toBe(10);
  });
  it('matches the closed form', () => {
    for (const n of [10, 99, 1000]) expect(sumTo(n)).toBe((n * (n + 1)) / 2);
  });
});
