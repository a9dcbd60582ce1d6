import { describe, expect, it } from 'vitest';
import { insertProgram, newArchive } from '../../../core/evolve/archive.js';
import { mutationGoal } from '../../../core/evolve/prompt.js';
import { pickLineage, seeded } from '../../../core/evolve/sampling.js';
import { program } from '../../helpers/evolve.js';

function archive() {
  const state = newArchive(program('base', 1, { generation: 0, features: { sizeBytes: 1000, diffLines: 0 } }), 1, 0);
  insertProgram(state, program('p1', 1.2));
  insertProgram(state, program('p2', 1.5, { features: { sizeBytes: 2000, diffLines: 40 } }));
  insertProgram(state, program('p3', 1.1, { features: { sizeBytes: 600, diffLines: 2 } }));
  return state;
}

describe('pickLineage: parents by strategy', () => {
  it('greedy always takes the best so far, shows nothing beside it, keeps the failures as feedback', () => {
    const random = seeded(3);
    for (let i = 0; i < 50; i++)
      expect(pickLineage('greedy', archive(), 0, 0.2, random)).toMatchObject({ parent: { id: 'p2' }, inspirations: [], feedback: true });
  });

  it('sample always starts from the base and shows nothing at all: every draft independent', () => {
    const random = seeded(3);
    for (let i = 0; i < 50; i++)
      expect(pickLineage('sample', archive(), 0, 0.2, random)).toMatchObject({ parent: { id: 'base' }, inspirations: [], feedback: false });
  });

  it('evolve draws parents across the archive (not only the best) with inspirations that are never the parent', () => {
    const random = seeded(3);
    const parents = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { parent, inspirations, feedback } = pickLineage('evolve', archive(), 0, 0.2, random);
      parents.add(parent.id);
      expect(inspirations.length).toBe(2);
      expect(inspirations.map((p) => p.id)).not.toContain(parent.id);
      expect(feedback).toBe(true);
    }
    expect(parents.size).toBeGreaterThan(2);
  });

  it('only evolve draws randomness: greedy and sample leave the generator where it was', () => {
    let draws = 0;
    const counting = () => (draws++, 0.5);
    pickLineage('greedy', archive(), 0, 0.2, counting);
    pickLineage('sample', archive(), 0, 0.2, counting);
    expect(draws).toBe(0);
  });
});

describe('mutationGoal: the score the model is told to raise', () => {
  it('speaks of speed by default and of the named metric when the search maximises one', () => {
    const parent = program('p2', 1.5);
    expect(mutationGoal('g', parent, [])).toMatch(/1\.50× the original's speed.*make it faster/);
    const metric = mutationGoal('g', parent, [{ program: program('p1', 1.2), diff: '+x' }], 'sum_radii');
    expect(metric).toMatch(/scores 1\.50× the original's sum_radii \(higher is better\)\. Change it to improve that score/);
    expect(metric).toMatch(/their score and what they changed/);
    expect(metric).not.toMatch(/faster/);
  });
});
