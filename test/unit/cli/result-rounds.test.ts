import { describe, expect, it } from 'vitest';
import { describeResult } from '../../../cli/render.js';
import type { CandidateRow, RunResult } from '../../../core/run/types.js';
import { roundsDrafted } from '../../../core/views/status-view.js';

const row = (round: number, index: number): CandidateRow => ({
  id: `r${round}c${index}`,
  round,
  index,
  slot: 0,
  provider: 'gpu',
  model: 'm',
  status: 'dropped',
});

const result = (rounds: number, candidates: CandidateRow[]): RunResult => ({
  outcome: 'no-worker',
  rounds,
  candidates,
  tokens: { prompt: 0, completion: 0 },
});

describe('the rounds a result reports', () => {
  it('counts a round that drafted nothing (every queue unserved) not at all: round 1 drafted, round 2 found no worker', () => {
    const r = result(2, [row(1, 1), row(1, 2)]);
    expect(roundsDrafted(r)).toBe(1);
    expect(describeResult(r)).toMatch(/^rounds: {2}1, tokens/m);
  });

  it('counts every round that drafted, and none for a run that never drafted', () => {
    expect(roundsDrafted(result(3, [row(1, 1), row(2, 1), row(3, 1)]))).toBe(3);
    expect(roundsDrafted(result(0, []))).toBe(0);
    // A broken base ends before round 1 drafts.
    expect(roundsDrafted(result(1, []))).toBe(0);
    // Never more than the run says it reached.
    expect(roundsDrafted(result(1, [row(2, 1)]))).toBe(1);
  });
});
