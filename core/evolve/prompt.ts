import type { FeedbackItem } from '../contracts/draft.js';
import type { CandidateStatus } from '../run/types.js';
import type { Evaluation, Program } from './types.js';

// What the model is told when it drafts a mutation: the goal, the parent's
// score, what the best other programs changed and how they scored; the latest
// failures travel as feedback. Measured with the embedded coder models, most
// drafts gave the program back unchanged, so the brief says plainly that a
// copy is rejected and ends by asking for a changed program.

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
  lines.push('', UNCHANGED_IS_REJECTED);
  return lines.join('\n');
}

/** A program given back as it was is refused at apply and spends a draft for nothing. */
export const UNCHANGED_IS_REJECTED =
  'Reply with a changed program, one that computes its result differently: a reply that repeats the files shown is rejected and wastes this try.';

const STATUS: Record<Evaluation['outcome'], CandidateStatus> = {
  scored: 'passed',
  malformed: 'malformed',
  refused: 'refused',
  'tests-failed': 'tests-failed',
  'bench-failed': 'slower',
  'draft-failed': 'draft-failed',
};

/**
 * The latest failed evaluations, as the loop's feedback items (newest last). Given the parent, its
 * own failed children are kept first (what broke when this very program was changed), the latest
 * others fill up to `count`.
 */
export function recentFailures(evaluations: Evaluation[], count = 4, parent?: string): FeedbackItem[] {
  const failed = evaluations.filter((e) => e.outcome !== 'scored' && e.reason);
  const own = parent === undefined ? [] : failed.filter((e) => e.parent === parent).slice(-count);
  const room = count - own.length;
  // The parent's own last: a chat model is shown only the newest attempts.
  const others = room > 0 ? failed.filter((e) => !own.includes(e)).slice(-room) : [];
  return [...others, ...own].map((e) => ({ candidate: e.programId, status: STATUS[e.outcome], message: e.reason! }));
}

/** Lines a patch adds or removes (its file headers aside). */
export function changedLines(patch: string | undefined): number {
  if (!patch) return 0;
  return patch.split('\n').filter((l) => (l.startsWith('+') && !l.startsWith('+++')) || (l.startsWith('-') && !l.startsWith('---'))).length;
}
