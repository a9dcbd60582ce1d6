// What the budget's feedback share (core/context/budget.ts) cut from a draft's feedback, for the
// candidate's context report beside the tests and map cut for the same window. Each prompt style
// renders feedback its own way; the cut is what its rendering at the share leaves out of it whole.
import { feedbackCut } from '../context/budget.js';
import type { FeedbackItem } from '../contracts/draft-context.js';
import { chatFeedback } from './chat-model/chat-prompt.js';
import { renderFeedback } from './prompt.js';
import { compactFeedback } from './small-model/compact-prompt.js';

/** The prompt builders: an API model's (prompt.ts), an embedded chat model's, an embedded small model's. */
export type FeedbackStyle = 'api' | 'chat' | 'compact';

const RENDER: Record<FeedbackStyle, (items: FeedbackItem[], maxChars: number) => string> = {
  api: renderFeedback,
  chat: chatFeedback,
  compact: (items, maxChars) => compactFeedback(items, maxChars).join('\n'),
};

/** The report's line for feedback cut to `feedbackChars` in this style; undefined where it all fit. */
export function feedbackCutFor(style: FeedbackStyle, items: FeedbackItem[], feedbackChars: number): string | undefined {
  const render = RENDER[style];
  return feedbackCut(render(items, feedbackChars), render(items, Number.MAX_SAFE_INTEGER));
}
