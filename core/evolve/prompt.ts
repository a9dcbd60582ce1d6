import type { FeedbackItem } from '../contracts/draft.js';
import type { CandidateStatus } from '../run/types.js';
import type { Evaluation, Program } from './types.js';

// What the model is told when it drafts a mutation: the goal, the parent's
// score, what the best other programs changed and how they scored; the latest
// failures travel as feedback.

const fmt = (score: number) => `${score.toFixed(2)}×`;

/** The draft's goal; `metric` names the score when it is not speed (the search's --metric). */
export function mutationGoal(goal: string, parent: Program, inspirations: Array<{ program: Program; diff: string }>, metric?: string): string {
  const standing = metric
    ? `which scores ${fmt(parent.score)} the original's ${metric} (higher is better). Change it to improve that score; every test must still pass.`
    : `which runs at ${fmt(parent.score)} the original's speed (higher is better). Change it to make it faster; every test must still pass.`;
  const lines = [goal, '', `The files shown are program ${parent.id} (generation ${parent.generation}), ${standing}`];
  const shown = inspirations.filter((i) => i.diff.trim());
  if (shown.length) {
    lines.push('', `Other programs of the search, their ${metric ? 'score' : 'speed'} and what they changed from the original:`);
    for (const i of shown) lines.push(`${i.program.id} (${fmt(i.program.score)}):`, '```diff', i.diff.trimEnd(), '```');
  }
  return lines.join('\n');
}

const STATUS: Record<Evaluation['outcome'], CandidateStatus> = {
  scored: 'passed',
  malformed: 'malformed',
  refused: 'refused',
  'tests-failed': 'tests-failed',
  'bench-failed': 'slower',
  'draft-failed': 'draft-failed',
};

/** The latest failed evaluations, as the loop's feedback items (newest last). */
export function recentFailures(evaluations: Evaluation[], count = 4): FeedbackItem[] {
  return evaluations
    .filter((e) => e.outcome !== 'scored' && e.reason)
    .slice(-count)
    .map((e) => ({ candidate: e.programId, status: STATUS[e.outcome], message: e.reason! }));
}

/** Lines a patch adds or removes (its file headers aside). */
export function changedLines(patch: string | undefined): number {
  if (!patch) return 0;
  return patch.split('\n').filter((l) => (l.startsWith('+') && !l.startsWith('+++')) || (l.startsWith('-') && !l.startsWith('---'))).length;
}
