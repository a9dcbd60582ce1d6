// What a draft activity is asked and answers.
import type { CandidateStatus, DraftSlotPlan } from '../run/types.js';
import type { FileSnapshot } from './git.js';

export interface FeedbackItem {
  candidate: string;
  status: CandidateStatus;
  message: string;
}

export interface DraftRequest {
  candidateId: string;
  slot: DraftSlotPlan;
  goal: string;
  files: FileSnapshot[];
  allowed: string[];
  hints: string[];
  feedback: FeedbackItem[];
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
}
