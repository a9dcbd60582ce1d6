// What a model drafts from: the files as they stand at the base, and what
// became of earlier candidates. A leaf module (it imports nothing), so that
// core/edits can build prompts from these shapes without reaching back into
// the run's types, which themselves name the edit formats.

export interface FileSnapshot {
  path: string;
  content: string;
}

export type CandidateStatus =
  | 'pending'
  | 'drafting'
  | 'testing'
  | 'benchmarking'
  | 'draft-failed'
  | 'malformed'
  | 'refused'
  | 'tests-failed'
  | 'slower'
  | 'below-goal'
  | 'unreliable'
  | 'dropped'
  | 'passed'
  | 'not-best'
  | 'committed';

/** An earlier candidate's fate, as the next draft is told it. */
export interface FeedbackItem {
  candidate: string;
  status: CandidateStatus;
  message: string;
}
