// What the git queue's gatherContext activity is asked and answers: after the
// base's tests ran, the files a draft may change (the user's, or chosen from
// the goal, the map and the failing tests), and per model window the tests,
// the map and the report of what was cut (core/context/).
import type { ChosenFile, DraftContext, FileSnapshot } from './draft-context.js';
import type { DraftSlotPlan } from './target.js';

/** A model's window: what a draft's prompt and reply share. */
export interface ModelWindow {
  contextTokens: number;
  maxOutputTokens: number;
}

export interface GatherContextRequest {
  repo: string;
  baseSha: string;
  goal: string;
  /** The globs the user named (--files); empty: Ouro chooses the files to change. */
  files: string[];
  protectedPaths: string[];
  /** A red base's failure excerpt (--fix): its failing tests steer the choice and are shown first. */
  failure?: string;
  /** The run's draft slots: one context is fitted to each slot's model window. */
  slots: Array<Pick<DraftSlotPlan, 'provider' | 'maxOutputTokens' | 'contextTokens'>>;
}

export interface GatherContextResult {
  /** What drafts may change: the user's globs, or the chosen files' paths. */
  allowed: string[];
  /** With no --files: the files chosen, with why, and their contents as drafts see them. */
  chosen?: ChosenFile[];
  files?: FileSnapshot[];
  /** One per slot, in order. */
  contexts: DraftContext[];
}
