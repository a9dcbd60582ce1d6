// What every stage of a self-coding run shares: its input, its live status
// (the answer to the status query), the feedback later drafts learn from, and
// the small verbs each stage uses to reach its activities, show progress and
// finish.
import { ActivityFailure, isCancellation, patched, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type * as TestActivities from '../../activities/sandbox/test.js';
import type { FeedbackItem } from '../../core/contracts/draft.js';
import type { TestRunResult } from '../../core/contracts/sandbox.js';
import { OURO_OUTCOME } from '../../core/run/search-attributes.js';
import type { CandidateRow, DraftSlotPlan, Outcome, RunInput, RunResult, RunStatus } from '../../core/run/types.js';
import { renderStatusMarkdown, roundsDrafted } from '../../core/views/status-view.js';
import { activities, draftOptions, gitOptions, sandboxOptions } from '../activity-options.js';
import { hintUpdate, statusQuery } from '../definitions.js';

export interface Run {
  input: RunInput;
  runId: string;
  status: RunStatus;
  tokens: { prompt: number; completion: number };
  /** Every rejection so far, with why: the next round's drafts read the latest of it. */
  feedback: FeedbackItem[];
  /** Draft slots whose provider queue found no worker in time, and why: later rounds leave them out. */
  unserved: Map<number, string>;
  /** Added with unserved-queue detection: histories recorded before it replay without the wait limit. */
  queueWaitLimited: () => boolean;
  /** Added with infrastructure resilience: histories recorded before it replay without it. */
  resilient: () => boolean;
}

/** A run's state, with the status query and the hint update answering from it. */
export function openRun(input: RunInput): Run {
  const run: Run = {
    input,
    runId: workflowInfo().workflowId,
    status: { phase: 'baseline', round: 0, maxRounds: input.maxRounds, candidates: [], hints: [...(input.hints ?? [])] },
    tokens: { prompt: 0, completion: 0 },
    feedback: [],
    unserved: new Map(),
    queueWaitLimited: askedOnce('ouro-draft-queue-wait'),
    resilient: askedOnce('ouro-infra-resilience'),
  };
  const { status } = run;
  setHandler(statusQuery, () => status);
  setHandler(
    hintUpdate,
    (hint) => {
      status.hints.push(hint.trim());
      return `hint noted; used from round ${status.round + 1}`;
    },
    {
      validator: (hint) => {
        if (typeof hint !== 'string' || !hint.trim()) throw new Error('a hint must be non-empty text');
        if (status.phase === 'done') throw new Error('the run is finished');
      },
    },
  );
  return run;
}

/** patched(id), asked where it first matters and remembered: its marker stays where recorded histories have it. */
function askedOnce(id: string): () => boolean {
  let answer: boolean | undefined;
  return () => (answer ??= patched(id));
}

export function publish(run: Run): void {
  setCurrentDetails(renderStatusMarkdown(run.status));
}

export function finish(run: Run, outcome: Outcome, extra: Partial<RunResult> = {}): RunResult {
  const { status } = run;
  status.phase = 'done';
  status.outcome = outcome;
  upsertSearchAttributes([{ key: OURO_OUTCOME, value: outcome }]);
  publish(run);
  // A round that found every draft queue unserved starts but drafts nothing: it is not counted.
  const rounds = patched('ouro-rounds-drafted') ? roundsDrafted({ rounds: status.round, candidates: status.candidates }) : status.round;
  return {
    outcome,
    rounds,
    candidates: status.candidates,
    baseSha: status.baseSha,
    tokens: run.tokens,
    sandbox: status.sandbox,
    testIdentity: status.testIdentity,
    ...(status.context ? { context: status.context } : {}),
    ...extra,
  };
}

/** A proxy of git-queue activities whose calls show `summary` in the Web UI. */
export function gitActivities<T>(run: Run, summary: string): T {
  return activities<T>(gitOptions(run.input.queues.git, '2 minutes'), summary);
}

/** A proxy of sandbox activities (tests, benchmarks) bounded by `seconds`. */
export function sandboxActivities<T>(run: Run, seconds: number, summary: string): T {
  return activities<T>(sandboxOptions(run.input.queues.sandbox, seconds, run.input.timeouts.heartbeatSeconds), summary);
}

/** A proxy of the draft activity on the slot's provider queue. */
export function draftActivities<T>(run: Run, slot: DraftSlotPlan, summary: string): T {
  return activities<T>(draftOptions(run.input.queues, run.input.timeouts, slot.provider, run.queueWaitLimited), summary);
}

type TestRequest = Parameters<typeof TestActivities.runTests>[0];

/** The run's test command on what `where` names: workspaces as data, or directories by path. */
export function runTests(run: Run, summary: string, where: Partial<TestRequest>, label: string, role: TestRequest['role']): Promise<TestRunResult> {
  const { input } = run;
  return sandboxActivities<typeof TestActivities>(run, input.timeouts.testSeconds, summary).runTests({
    ...where,
    command: input.testCommand,
    timeoutSeconds: input.timeouts.testSeconds,
    label,
    protectedPaths: input.protectedPaths,
    role,
    writable: input.writable,
  });
}

/** A rejection the next round's drafts learn from. */
export function reject(run: Run, row: CandidateRow, message: string): undefined {
  run.feedback.push({ candidate: row.id, status: row.status, message });
  publish(run);
  return undefined;
}

/**
 * A candidate's test or benchmark that failed as an activity (its attempts or its window spent on dead
 * workers or servers) drops that candidate with the reason; the run goes on with the others.
 */
export function dropOnInfraFailure(run: Run, err: unknown, row: CandidateRow, stage: string): undefined {
  if (isCancellation(err) || !run.resilient()) throw err;
  const cause = err instanceof ActivityFailure ? err.cause : err;
  row.status = 'dropped';
  row.reason = `the ${stage} activity failed: ${cause instanceof Error ? cause.message : String(cause)}`;
  return reject(run, row, row.reason);
}
