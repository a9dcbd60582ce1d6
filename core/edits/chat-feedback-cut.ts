// The embedded chat model's line for the report. Its prompt builder (chat-model/chat-prompt.ts)
// shares the feedback's room between attempts, so its fitted text is not a cut of one whole
// rendering: this renders the feedback at the share and unbounded, beside the builder's own render.
import { feedbackCut } from '../context/budget.js';
import type { FeedbackItem } from '../contracts/draft-context.js';
import { chatFeedback } from './chat-model/chat-prompt.js';

/** What the chat prompt's feedback share cut; undefined where it all fit. */
export function chatFeedbackCut(items: FeedbackItem[], feedbackChars: number): string | undefined {
  return feedbackCut(chatFeedback(items, feedbackChars), chatFeedback(items, Number.MAX_SAFE_INTEGER));
}
