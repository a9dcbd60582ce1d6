// One candidate's pipeline: draft → apply (parse, path policy) → test. A
// candidate that fails a step says why on its row; the next round's drafts
// read it as feedback.
import { ActivityFailure, ApplicationFailure, isCancellation, patched, TimeoutFailure } from '@temporalio/workflow';
import type * as DraftActivities from '../../activities/draft/draft.js';
import type * as WorkspaceActivities from '../../activities/git/workspace.js';
import type { DraftResult } from '../../core/contracts/draft.js';
import type { ApplyOutcome } from '../../core/contracts/git.js';
import type { TestRunResult } from '../../core/contracts/sandbox.js';
import type { WorkspaceSpec } from '../../core/contracts/workspace.js';
import { testRejectionMessage } from '../../core/feedback/rejection-message.js';
import { testGate } from '../../core/gate/gate.js';
import { isConfigError } from '../../core/run/errors.js';
import type { CandidateRow, DraftSlotPlan } from '../../core/run/types.js';
import type { RoundView, Survivor } from './round.js';
import { draftActivities, dropOnInfraFailure, gitActivities, publish, reject, runTests, type Run } from './run.js';

type Applied = Extract<ApplyOutcome, { ok: true }>;

/**
 * A survivor, or undefined with the row saying why. Every activity is awaited here, by one function (the
 * steps below only build requests and judge results), so the commands of candidates running side by
 * side are issued in the order recorded histories hold them.
 */
export async function draftApplyTest(run: Run, row: CandidateRow, view: RoundView): Promise<Survivor | undefined> {
  const slot = run.input.drafts[row.slot]!;
  const context = view.contexts?.[row.slot];
  if (context) row.context = context.report.join('; ');
  const draft = await requestDraft(run, row, slot, view).catch((err: unknown) => draftFailed(run, row, slot, err));
  if (!draft) return undefined;
  countDraft(run, row, draft);
  const applied = await applyDraft(run, row, slot, draft, view);
  if (!applied.ok) {
    row.status = applied.status;
    row.reason = applied.message;
    return reject(run, row, applied.message);
  }
  row.changed = applied.changed;
  row.status = 'testing';
  publish(run);
  const spec = candidateSpec(row, applied, view);
  const tested = await testCandidate(run, row, applied, spec, view).catch((err: unknown) => dropOnInfraFailure(run, err, row, 'tests'));
  if (!tested) return undefined;
  return judgeTests(run, row, applied, spec, tested, view);
}

function requestDraft(run: Run, row: CandidateRow, slot: DraftSlotPlan, view: RoundView): Promise<DraftResult> {
  const { input } = run;
  return draftActivities<typeof DraftActivities>(run, slot, `draft ${row.index} · ${row.provider} · ${row.model}`).draft({
    candidateId: row.id,
    slot,
    goal: input.goal,
    files: view.base.files,
    allowed: view.allowed ?? input.files,
    hints: view.hints,
    feedback: view.feedback,
    ...(view.contexts?.[row.slot] ? { context: view.contexts[row.slot] } : {}),
    maxReplyBytes: input.maxReplyBytes,
  });
}

function countDraft(run: Run, row: CandidateRow, draft: DraftResult): void {
  row.tokens = { prompt: draft.promptTokens, completion: draft.completionTokens };
  row.draftMs = draft.latencyMs;
  run.tokens.prompt += draft.promptTokens;
  run.tokens.completion += draft.completionTokens;
  // Added with the feedback's share sized by the context budget: what it cut stands beside the context's other cuts (histories before it have none to say).
  if (draft.feedbackCut && patched('ouro-feedback-cut')) row.context = row.context ? `${row.context}; ${draft.feedbackCut}` : draft.feedbackCut;
}

/** A failed draft fails its candidate; an unserved queue leaves its slot out of later rounds; a configuration error ends the run. */
function draftFailed(run: Run, row: CandidateRow, slot: DraftSlotPlan, err: unknown): undefined {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  if (cause instanceof TimeoutFailure && cause.timeoutType === 'SCHEDULE_TO_START') {
    const queue = run.input.queues.draft[slot.provider];
    row.status = 'draft-failed';
    row.reason = `no worker took the draft from task queue ${queue} within ${run.input.timeouts.draftQueueSeconds} s: start one that serves it (ouro worker --queues ${queue})`;
    run.unserved.set(row.slot, row.reason);
    return undefined;
  }
  if (cause instanceof ApplicationFailure && isConfigError(cause.type)) {
    throw ApplicationFailure.nonRetryable(cause.message, cause.type);
  }
  if (isCancellation(err)) throw err;
  row.status = 'draft-failed';
  row.reason = cause?.message ?? String(err);
  // A reply cut at the size limit still cost its tokens.
  const spent = cause instanceof ApplicationFailure ? (cause.details?.[0] as { promptTokens?: number; completionTokens?: number } | undefined) : undefined;
  if (typeof spent?.promptTokens === 'number' && typeof spent.completionTokens === 'number') {
    row.tokens = { prompt: spent.promptTokens, completion: spent.completionTokens };
    run.tokens.prompt += spent.promptTokens;
    run.tokens.completion += spent.completionTokens;
  }
  return undefined;
}

/** The reply parsed and applied in a worktree of the base, under the path policy. */
function applyDraft(run: Run, row: CandidateRow, slot: DraftSlotPlan, draft: DraftResult, view: RoundView): Promise<ApplyOutcome> {
  const { input } = run;
  return gitActivities<typeof WorkspaceActivities>(run, `apply candidate ${row.id}`).applyCandidate({
    repo: input.repo,
    runId: run.runId,
    baseSha: view.base.baseSha,
    candidateId: row.id,
    reply: draft.text,
    format: slot.editFormat,
    // Passed through from the recorded draft, never decided on: the workflow schedules the same activity (replay matches it by
    // type and id, not input), so no patch; a history's draft without it applies as before.
    ...(draft.editFormat ? { askedFormat: draft.editFormat } : {}),
    allowed: view.allowed ?? input.files,
    protectedPaths: input.protectedPaths,
    linkPaths: input.linkPaths,
    probes: view.probes,
  });
}

/** The candidate as data (the base, its patch and the tree it makes), when the run travels that way. */
function candidateSpec(row: CandidateRow, applied: Applied, view: RoundView): WorkspaceSpec | undefined {
  return view.baseSpec && applied.patch !== undefined && applied.tree
    ? { ...view.baseSpec, patch: applied.patch, tree: applied.tree, label: row.id }
    : undefined;
}

function testCandidate(run: Run, row: CandidateRow, applied: Applied, spec: WorkspaceSpec | undefined, view: RoundView): Promise<TestRunResult> {
  const { input } = run;
  const where = spec ? { workspace: spec, baseWorkspace: view.baseSpec, linkPaths: input.linkPaths } : { dir: applied.dir, baseDir: view.base.baseDir };
  // Only set under patched('ouro-fix-unbuilt-tests') (baseline.ts): no new decision here.
  const required = view.requiredTests ? { requiredTests: view.requiredTests } : {};
  return runTests(run, `test candidate ${row.id}`, { ...where, probes: view.probes, ...required }, row.id, 'candidate');
}

/** The test gate: held to the base's tests, or rejected with the change and the output as feedback. */
function judgeTests(
  run: Run,
  row: CandidateRow,
  applied: Applied,
  spec: WorkspaceSpec | undefined,
  tested: TestRunResult,
  view: RoundView,
): Survivor | undefined {
  row.tests = tested.counts;
  row.identity = tested.identity;
  // Added with issue 24: a run that shows no test that ran never passes (histories before it replay without).
  const verdict = testGate(tested, view.baseCounts, { requireTestsRan: patched('ouro-candidate-ran-tests'), requiredTests: view.requiredTests });
  if (!verdict.accepted) {
    row.status = verdict.status;
    row.reason = verdict.reason;
    return reject(run, row, testRejectionMessage(verdict.reason, applied.diff, tested.output, tested.counts?.runner));
  }
  row.status = run.input.benchCommand ? 'benchmarking' : 'passed';
  row.reason = verdict.reason;
  publish(run);
  return { row, dir: applied.dir, diff: applied.diff, ...(spec ? { spec, testedTree: tested.tree ?? spec.tree } : {}) };
}
