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

/** A file Ouro chose to change when the user named none, and why (the ranking's reasons). */
export interface ChosenFile {
  path: string;
  reasons: string[];
}

/**
 * What a draft sees beyond the files it may change, fitted to its model's context: the tests that
 * exercise those files (read-only), a map of the rest of the repository, and what was left out.
 */
export interface DraftContext {
  /** The model context this was fitted to, in tokens (prompt and reply). */
  contextTokens: number;
  /** Test files that exercise the files to change, most relevant first: shown, never editable. */
  tests: FileSnapshot[];
  /** The rendered map of the other files (signatures only); absent when there is none. */
  map?: string;
  /** What was shown and cut, in words ("map: 40 files shown, 212 omitted", "tests: tests/test_x.py cut"). */
  report: string[];
  /**
   * Per file to change too long for its share, the parts the goal and the failing tests point at
   * (core/context/file-focus.ts): a prompt that must cut the file shows these instead of its head and
   * tail. Absent (older contexts, or every file fits): the head and tail, as before.
   */
  focus?: FileFocus[];
}

/** A long file's definitions as windows of lines, most relevant to the goal first. */
export interface FileFocus {
  path: string;
  /** The file's line count when the windows were taken: windows of another version are not used. */
  lines: number;
  windows: FocusWindow[];
}

/** The lines from a definition to the next one (1-based, inclusive), the names defined there and how much the goal and failing tests point at them (0: not at all). */
export interface FocusWindow {
  from: number;
  to: number;
  names: string[];
  score: number;
}
