// What a draft activity is asked and answers.
import type { DraftSlotPlan } from './target.js';
import type { DraftContext, FeedbackItem, FileSnapshot } from './draft-context.js';

export type { FeedbackItem } from './draft-context.js';

export interface DraftRequest {
  candidateId: string;
  slot: DraftSlotPlan;
  goal: string;
  files: FileSnapshot[];
  allowed: string[];
  hints: string[];
  feedback: FeedbackItem[];
  /** Tests, the repository's map and what was cut, fitted to this slot's model (absent in runs before issue 26). */
  context?: DraftContext;
  /** The longest reply kept; a longer one fails as draft-failed (default 256 KiB). */
  maxReplyBytes?: number;
}

export interface DraftResult {
  text: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  firstTokenMs?: number;
  /** What the budget's feedback share cut from this draft's feedback ("feedback: trimmed to … of … tokens"); absent where it all fit. */
  feedbackCut?: string;
}
