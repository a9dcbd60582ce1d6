import { rowKey, type EvalRow } from './types.js';

/** Run outcomes a user may ask to run again (`ouro eval --redo`): the loop's own, and `failed` for a run that failed as a workflow. */
export const REDO_OUTCOMES = ['no-worker', 'failed', 'cancelled', 'baseline-broken', 'no-candidate-passed', 'committed'] as const;
export type RedoOutcome = (typeof REDO_OUTCOMES)[number];

/** What to redo: rows that ended with these outcomes, or (after continue-as-new) the keys still owed a rerun. */
export interface RedoRequest {
  outcomes?: readonly string[];
  keys?: readonly string[];
}

export interface ResumePlan {
  /** Finished rows that count as they are. */
  kept: EvalRow[];
  /** Task × sample keys whose saved row is set aside: they run again. */
  redoKeys: string[];
}

/**
 * Which of an eval's saved rows stand when it (re)starts. Rows for tasks the
 * eval no longer asks for are ignored; rows the user asked to redo are set
 * aside, and their keys are carried across continue-as-new until each has a
 * new row, so a rerun is owed exactly once however the eval is split.
 */
export function resumePlan(saved: readonly EvalRow[], wanted: ReadonlySet<string>, redo: RedoRequest = {}): ResumePlan {
  const outcomes = new Set(redo.outcomes ?? []);
  const owed = new Set(redo.keys ?? []);
  const kept: EvalRow[] = [];
  const redoKeys: string[] = [];
  for (const row of saved) {
    const key = rowKey(row.task, row.sample);
    if (!wanted.has(key)) continue;
    if (owed.has(key) || outcomes.has(row.runOutcome)) redoKeys.push(key);
    else kept.push(row);
  }
  return { kept, redoKeys };
}
