// What the eval's activities are asked and answer: a task's repository made
// on the git queue, a sample read or committed there, and the hidden tests
// judged on the sandbox queue (one committed run, or a batch of samples).
import type { SuiteName } from '../eval/types.js';

export interface PrepareEvalTaskRequest {
  evalId: string;
  suite: SuiteName;
  suiteFile?: string;
  task: string;
  oracle: boolean;
}

export interface CommitCompletionRequest {
  evalId: string;
  suite: 'humaneval' | 'mbpp';
  samplesFile: string;
  line: number;
  sample: number;
}

/** One line of a samples file as read for judging: its completion, or why it cannot be judged. */
export type ReadSample = { line: number; task: string; completion: string } | { line: number; refused: string };

export interface JudgeRequest {
  suite: SuiteName;
  suiteFile?: string;
  task: string;
  repo: string;
  commit: string;
  /** Names the judge's scratch worktree (the task run's id). */
  label: string;
  timeoutSeconds?: number;
}

export interface JudgeResult {
  passed: boolean;
  reason: string;
}

export interface JudgeBatchRequest {
  suite: 'humaneval' | 'mbpp';
  samples: Array<{ key: string; task: string; completion: string }>;
  /** Names the batch's scratch folder. */
  label: string;
  /** Per sample (default 30). */
  timeoutSeconds?: number;
}

export interface JudgeBatchResult {
  verdicts: Array<{ key: string; passed: boolean; reason: string }>;
  /** Samples judged again alone because the batch ended before their verdict. */
  rerun: number;
}
