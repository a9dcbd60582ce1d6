import { describe, expect, it } from 'vitest';
import { cellOf, elites, insertProgram, migrate, newArchive } from '../../../core/evolve/archive.js';
import { changedLines, mutationGoal, recentFailures } from '../../../core/evolve/prompt.js';
import { budgetAllows, credit, draftCost, pickInspirations, pickParent, pickProvider, seeded } from '../../../core/evolve/sampling.js';
import type { Evaluation } from '../../../core/evolve/types.js';
import { program } from '../../helpers/evolve.js';

describe('the archive', () => {
  it('bins code size by ×1.25 around the base and diff size coarsely', () => {
    expect(cellOf({ baseSizeBytes: 1000 }, { sizeBytes: 1000, diffLines: 0 })).toBe('s0:d0');
    expect(cellOf({ baseSizeBytes: 1000 }, { sizeBytes: 1300, diffLines: 30 })).toBe('s1:d2');
    expect(cellOf({ baseSizeBytes: 1000 }, { sizeBytes: 500, diffLines: 200 })).toBe('s-4:d3');
  });

  it('keeps one elite per cell, the better one, and the best-ever apart from the grids', () => {
    const state = newArchive(program('base', 1, { features: { sizeBytes: 1000, diffLines: 0 } }), 2, 0);
    expect(insertProgram(state, program('p1', 1.2))).toEqual({ elite: true, newBest: true });
    expect(insertProgram(state, program('p2', 1.1))).toEqual({ elite: false, newBest: false });
    expect(insertProgram(state, program('p3', 1.5, { island: 1, features: { sizeBytes: 2000, diffLines: 100 } }))).toEqual({ elite: true, newBest: true });
    expect(elites(state, 0).map((p) => p.id)).toEqual(['p1', 'base']);
    expect(state.bestId).toBe('p3');
    // Migration: island 1's best enters island 0, island 0's best enters island 1.
    expect(migrate(state)).toBe(2);
    expect(elites(state, 0).map((p) => p.id)).toEqual(['p3', 'p1', 'base']);
  });
});

describe('sampling', () => {
  const state = newArchive(program('base', 1, { features: { sizeBytes: 1000, diffLines: 0 } }), 1, 0);
  insertProgram(state, program('p1', 2, { features: { sizeBytes: 1000, diffLines: 10 } }));
  insertProgram(state, program('p2', 1.5, { features: { sizeBytes: 1000, diffLines: 30 } }));

  it('draws parents by rank mostly, and explores every elite sometimes; the same seed, the same draws', () => {
    const draws = (seed: number, explore: number) => {
      const random = seeded(seed);
      return Array.from({ length: 600 }, () => pickParent(state, 0, explore, random).id);
    };
    const counts = (ids: string[]) => Object.fromEntries(['p1', 'p2', 'base'].map((id) => [id, ids.filter((x) => x === id).length]));
    const exploit = counts(draws(7, 0));
    expect(exploit.p1).toBeGreaterThan(exploit.p2!);
    expect(exploit.p2).toBeGreaterThan(exploit.base!);
    expect(draws(7, 0.2)).toEqual(draws(7, 0.2));
    expect(draws(7, 0.2)).not.toEqual(draws(8, 0.2));
  });

  it('inspirations are the best others plus one more, never the parent', () => {
    const p = pickInspirations(state, state.programs[1]!, 2, seeded(1));
    expect(p.map((x) => x.id)).not.toContain('p1');
    expect(p[0]!.id).toBe('p2');
    expect(p).toHaveLength(2);
  });

  it('the bandit tries each provider, then favours improvement per token', () => {
    const stats = {};
    expect(pickProvider(['gpu', 'openai'], stats)).toBe('gpu');
    credit(stats, 'gpu', 0.5, 1000);
    expect(pickProvider(['gpu', 'openai'], stats)).toBe('openai');
    credit(stats, 'openai', 0, 1000);
    for (let i = 0; i < 5; i++) {
      credit(stats, 'gpu', 0.3, 1000);
      credit(stats, 'openai', 0, 1000);
    }
    expect(pickProvider(['gpu', 'openai'], stats)).toBe('gpu');
  });
});

describe('the budget', () => {
  it('counts drafts started, reserves tokens for drafts still out, and stops at the hour', () => {
    expect(budgetAllows({ maxDrafts: 3 }, { drafts: 2, tokens: 0 }, 0, 0, 0)).toEqual({ ok: true });
    expect(budgetAllows({ maxDrafts: 3 }, { drafts: 3, tokens: 0 }, 0, 0, 0)).toMatchObject({ ok: false, reason: /draft budget \(3\)/ });
    expect(budgetAllows({ maxTokens: 10_000 }, { drafts: 0, tokens: 5000 }, 1, 2500, 0)).toMatchObject({ ok: true });
    expect(budgetAllows({ maxTokens: 10_000 }, { drafts: 0, tokens: 5001 }, 1, 2500, 0)).toMatchObject({ ok: false, reason: /token budget/ });
    expect(budgetAllows({ maxHours: 0.5 }, { drafts: 0, tokens: 0 }, 0, 0, 1_800_000)).toMatchObject({ ok: false, reason: /0.5 h/ });
    expect(budgetAllows({ maxCost: 1 }, { drafts: 0, tokens: 0, cost: 0.5 }, 1, 0, 0, 0.25)).toEqual({ ok: true });
    expect(budgetAllows({ maxCost: 1 }, { drafts: 0, tokens: 0, cost: 0.51 }, 1, 0, 0, 0.25)).toMatchObject({ ok: false, reason: /cost budget \(\$1\)/ });
    expect(draftCost({ input: 2, output: 8 }, 1_000_000, 500_000)).toBe(6);
  });
});

describe("the model's brief", () => {
  it("names the parent's speed and shows the inspirations' changes; failures become feedback", () => {
    const text = mutationGoal('Make it fast.', program('p4', 1.234, { generation: 3 }), [{ program: program('p9', 2), diff: '-a\n+b\n' }]);
    expect(text).toMatch(/^Make it fast\./);
    expect(text).toContain('program p4 (generation 3), which runs at 1.23× the original');
    expect(text).toContain('p9 (2.00×):\n```diff\n-a\n+b\n```');
    const evals: Evaluation[] = [
      { index: 1, programId: 'p1', parent: 'base', island: 0, provider: 'gpu', outcome: 'tests-failed', reason: 'red', tokens: 1, atMs: 1 },
      { index: 2, programId: 'p2', parent: 'base', island: 0, provider: 'gpu', outcome: 'scored', score: 1.1, tokens: 1, atMs: 2 },
    ];
    expect(recentFailures(evals)).toEqual([{ candidate: 'p1', status: 'tests-failed', message: 'red' }]);
    expect(changedLines('--- a/x\n+++ b/x\n@@\n-a\n+b\n+c\n context')).toBe(3);
  });
});
