// A round: the candidates each draft slot asks for, and what all of them
// start from (the baseline, the hints and the feedback so far).
import { upsertSearchAttributes } from '@temporalio/workflow';
import type { FeedbackItem } from '../../core/contracts/draft.js';
import type { RequiredTests } from '../../core/gate/required-tests.js';
import type { DraftContext } from '../../core/contracts/draft-context.js';
import type { PrepareResult } from '../../core/contracts/git.js';
import type { TestRunResult } from '../../core/contracts/sandbox.js';
import type { WorkspaceSpec } from '../../core/contracts/workspace.js';
import { OURO_ROUND } from '../../core/run/search-attributes.js';
import type { CandidateRow, DraftSlotPlan } from '../../core/run/types.js';
import { publish, type Run } from './run.js';

/** What every candidate starts from and is held to: the base, and its tests' lookups and counts. */
export interface Baseline {
  base: PrepareResult;
  probes: TestRunResult['probes'];
  baseCounts: TestRunResult['counts'];
  /** The base as data, when candidates travel as patches: sandbox hosts rebuild workspaces from it. */
  baseSpec?: WorkspaceSpec;
  /** What drafts may change: the user's globs or the chosen files (absent before issue 26: the run's --files). */
  allowed?: string[];
  /** Each draft slot's tests and map, by slot index (absent before issue 26). */
  contexts?: DraftContext[];
  /** A fix from protected test files the base could not build: each of their tests must run and pass (patched 'ouro-fix-unbuilt-tests'). */
  requiredTests?: RequiredTests;
}

/** What every candidate of a round starts from: the baseline, and the hints and feedback so far. */
export interface RoundView extends Baseline {
  round: number;
  hints: string[];
  feedback: FeedbackItem[];
}

/** A candidate whose tests passed: its worktree and diff, on to the benchmark and the commit. */
export interface Survivor {
  row: CandidateRow;
  dir: string;
  diff: string;
  /** The candidate as data, and the tree its tests ran on (what the commit must be). */
  spec?: WorkspaceSpec;
  testedTree?: string;
}

/** Round `round`'s candidates and what they start from; none when no slot's queue is served. */
export function startRound(run: Run, round: number, baseline: Baseline): { rows: CandidateRow[]; view: RoundView } | undefined {
  const { input, status, feedback } = run;
  status.round = round;
  status.phase = 'drafting';
  upsertSearchAttributes([{ key: OURO_ROUND, value: round }]);
  const rows = planRound(round, input.drafts).filter((row) => !run.unserved.has(row.slot));
  if (!rows.length) return undefined;
  status.candidates.push(...rows);
  publish(run);
  const view: RoundView = {
    ...baseline,
    round,
    hints: [...status.hints],
    feedback: input.noFeedback ? feedback.filter((f) => f.candidate === 'baseline') : feedback.slice(-12),
  };
  return { rows, view };
}

/** Why no candidate could be drafted: each unserved queue, once. */
export const unservedReason = (run: Run): string => [...new Set(run.unserved.values())].join('\n');

function planRound(round: number, slots: DraftSlotPlan[]): CandidateRow[] {
  const rows: CandidateRow[] = [];
  let index = 1;
  slots.forEach((slot, slotIndex) => {
    for (let i = 0; i < slot.count; i++, index++) {
      rows.push({ id: `r${round}c${index}`, round, index, slot: slotIndex, provider: slot.provider, model: slot.model, status: 'drafting' });
    }
  });
  return rows;
}
