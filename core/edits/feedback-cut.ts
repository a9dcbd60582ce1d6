// What the budget's feedback share (core/context/budget.ts) cut from a draft's feedback, for the
// candidate's context report beside the tests and map cut for the same window. Each prompt builder
// renders feedback its own way; the cut is what its rendering at the share leaves out of it whole.
import { feedbackCut } from '../context/budget.js';

/** Feedback as a prompt shows it, and the report's line for what the share cut from it (undefined where it all fit). */
export interface FittedFeedback {
  text: string;
  cut: string | undefined;
}

/** Feedback rendered once, whole, then fitted: the prompt and the report read the same rendering. */
export function fitRendered(whole: string, fit: (whole: string) => string): FittedFeedback {
  const text = fit(whole);
  return { text, cut: feedbackCut(text, whole) };
}
