import { describe, expect, it } from 'vitest';
import { resumePlan } from '../../../core/eval/resume.js';
import { rowKey, type EvalRow } from '../../../core/eval/types.js';

const row = (task: string, runOutcome: EvalRow['runOutcome'], sample = 0): EvalRow => ({
  task,
  sample,
  verdict: runOutcome === 'committed' ? 'passed' : 'failed',
  runOutcome,
  drafts: 1,
  tokens: { prompt: 1, completion: 1 },
  wallMs: 1,
  hidden: true,
  oracle: false,
  childId: `c-${task}`,
});
const saved = [row('T/1', 'committed'), row('T/2', 'no-worker'), row('T/3', 'failed'), row('T/4', 'no-candidate-passed'), row('T/9', 'no-worker')];
const wanted = new Set(['T/1', 'T/2', 'T/3', 'T/4', 'T/5'].map((t) => rowKey(t, 0)));

describe('resumePlan: which saved rows stand when an eval (re)starts', () => {
  it('without --redo every saved row of a wanted task stands; rows of tasks no longer asked for are ignored', () => {
    const plan = resumePlan(saved, wanted);
    expect(plan.kept.map((r) => r.task)).toEqual(['T/1', 'T/2', 'T/3', 'T/4']);
    expect(plan.redoKeys).toEqual([]);
  });

  it('--redo sets aside exactly the rows with those outcomes, and only for wanted tasks', () => {
    const plan = resumePlan(saved, wanted, { outcomes: ['no-worker', 'failed'] });
    expect(plan.kept.map((r) => r.task)).toEqual(['T/1', 'T/4']);
    // T/9 ended no-worker too, but this eval no longer asks for it.
    expect(plan.redoKeys).toEqual(['T/2#0', 'T/3#0']);
  });

  it('after continue-as-new the owed keys are set aside whatever their outcome; a key already rerun is not owed', () => {
    // T/2 was rerun before the split (its new row, committed, is the one the file now gives); T/3 is still owed.
    const afterSplit = [row('T/1', 'committed'), row('T/2', 'committed'), row('T/3', 'failed'), row('T/4', 'no-candidate-passed')];
    const plan = resumePlan(afterSplit, wanted, { keys: ['T/3#0'] });
    expect(plan.kept.map((r) => r.task)).toEqual(['T/1', 'T/2', 'T/4']);
    expect(plan.redoKeys).toEqual(['T/3#0']);
  });

  it('samples are told apart: only the sample that ended so is rerun', () => {
    const plan = resumePlan([row('T/1', 'committed', 0), row('T/1', 'no-worker', 1)], new Set(['T/1#0', 'T/1#1']), { outcomes: ['no-worker'] });
    expect(plan.kept.map((r) => r.sample)).toEqual([0]);
    expect(plan.redoKeys).toEqual(['T/1#1']);
  });
});
