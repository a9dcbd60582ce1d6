import { describe, expect, it } from 'vitest';
import { mutationGoal, recentFailures, UNCHANGED_IS_REJECTED } from '../../../core/evolve/prompt.js';
import type { Evaluation } from '../../../core/evolve/types.js';
import { program } from '../../helpers/evolve.js';

const failed = (index: number, parent: string, reason = `r${index}`): Evaluation => ({
  index,
  programId: `p${index}`,
  parent,
  island: 0,
  provider: 'local',
  outcome: 'tests-failed',
  reason,
  tokens: 1,
  atMs: index,
});

describe('mutationGoal: a copy is no mutation', () => {
  it('ends every brief by asking for a changed program and saying that a copy is rejected', () => {
    for (const metric of [undefined, 'sum_radii']) {
      const text = mutationGoal('g', program('p2', 1.5), [{ program: program('p1', 1.2), diff: '+x' }], metric);
      expect(text.endsWith(UNCHANGED_IS_REJECTED)).toBe(true);
    }
    expect(UNCHANGED_IS_REJECTED).toMatch(/changed program.*repeats the files shown is rejected/);
  });
});

describe('recentFailures: what broke when this parent was changed comes first', () => {
  const evals: Evaluation[] = [
    failed(1, 'p9'),
    failed(2, 'base'),
    { ...failed(3, 'p9'), outcome: 'scored', reason: undefined, score: 1.1 },
    failed(4, 'p7'),
    failed(5, 'p7'),
    failed(6, 'p7'),
    failed(7, 'p8'),
  ];
  const ids = (items: ReturnType<typeof recentFailures>) => items.map((f) => f.candidate);

  it("keeps the parent's own failed children even when newer failures of others would push them out, newest last", () => {
    expect(ids(recentFailures(evals, 2))).toEqual(['p6', 'p7']);
    expect(ids(recentFailures(evals, 2, 'p9'))).toEqual(['p7', 'p1']);
    expect(ids(recentFailures(evals, 4, 'base'))).toEqual(['p5', 'p6', 'p7', 'p2']);
  });

  it('fills with the latest others, and never shows more than the count of the parent own', () => {
    expect(ids(recentFailures(evals, 2, 'p7'))).toEqual(['p5', 'p6']);
    expect(ids(recentFailures(evals, 4, 'p-none'))).toEqual(ids(recentFailures(evals, 4)));
    expect(recentFailures([], 4, 'base')).toEqual([]);
  });
});
