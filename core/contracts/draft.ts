// What a draft activity is asked and answers.
import type { DraftSlotPlan } from './target.js';
import type { DraftContext, FeedbackItem, FileSnapshot } from './draft-context.js';
import type { EditFormat } from '../edits/formats/index.js';

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
  /**
   * The draft's line for its candidate's context report: what the budget's feedback share cut ("feedback: trimmed to … of … tokens")
   * and, from the embedded chat model, an edit format other than whole files and why ("search-replace: x.py is ~2,900 tokens, the reply cap is 1,024"); absent where neither.
   */
  feedbackCut?: string;
  /**
   * The format the draft asked its model for, where the draft chose it (the embedded chat model: search-replace for files
   * longer than its reply cap); the workflow hands it to the apply step, which then lets a whole-file block only create a file
   * (core/edits/formats/asked-format.ts). Absent: the slot's edit format was asked, and either format is read.
   */
  editFormat?: EditFormat;
}
