// A one-round self-coding run written out as plain calls of the registered
// activities, each asked exactly what workflows/self-coding/ asks it (the
// base and candidates as workspace specs, the base's role, its probes, the
// baseline's feedback, the drafts' context, the commit's patch and trailers), so that what the
// workflow costs beyond it is Temporal's alone. bench/overhead/history-requests.ts
// checks these requests against a workflow's recorded history.
import { MockActivityEnvironment } from '@temporalio/testing';
import { gitActivities, sandboxActivities, draftActivities } from '../../activities/index.js';
import type { FeedbackItem } from '../../core/contracts/draft.js';
import type { WorkspaceSpec } from '../../core/contracts/workspace.js';
import { testGate } from '../../core/gate/gate.js';
import { describeCounts } from '../../core/gate/test-report.js';
import { failureExcerpt } from '../../core/feedback/failure-excerpt.js';
import { branchSafe } from '../../core/run/branch-name.js';
import { commitMessage, RUN_TRAILER } from '../../core/run/trailers.js';
import type { RunInput } from '../../core/run/types.js';
import type { ActivityRequest } from './history-requests.js';

export interface Timed {
  /** Every request, in the order issued. */
  requests: ActivityRequest[];
  /** Wall time per step (`runTests:base`, `runTests:candidate`, `draft`…), summed over candidates. */
  stepMs: Record<string, number>;
}

const inActivity = <A extends unknown[], R>(fn: (...a: A) => Promise<R>, ...args: A): Promise<R> =>
  new MockActivityEnvironment({ heartbeatTimeoutMs: 30_000 }).run(fn, ...args);

export async function directLoop(input: RunInput, runId: string): Promise<Timed> {
  const requests: ActivityRequest[] = [];
  const stepMs: Record<string, number> = {};
  const call = async <Q, R>(type: string, step: string, fn: (req: Q) => Promise<R>, req: Q): Promise<R> => {
    requests.push({ type, request: req });
    const t0 = performance.now();
    try {
      return await inActivity(fn, req);
    } finally {
      stepMs[step] = (stepMs[step] ?? 0) + performance.now() - t0;
    }
  };
  const test = (step: string, where: object, label: string, role: 'base' | 'candidate') =>
    call('runTests', step, sandboxActivities.runTests, {
      ...where,
      command: input.testCommand,
      timeoutSeconds: input.timeouts.testSeconds,
      label,
      protectedPaths: input.protectedPaths,
      role,
      writable: input.writable,
    });

  const base = await call('prepareRun', 'prepareRun', gitActivities.prepareRun, {
    repo: input.repo,
    baseRef: input.baseRef,
    runId,
    files: input.files,
    linkPaths: input.linkPaths,
  });
  if (!base.baseTree) throw new Error('prepareRun gave no base tree');
  const baseSpec: WorkspaceSpec = { source: input.source ?? input.repo, baseSha: base.baseSha, tree: base.baseTree, runId, label: 'base' };
  const baseTest = await test('runTests:base', { workspace: baseSpec, linkPaths: input.linkPaths }, 'baseline', 'base');
  const feedback: FeedbackItem[] = [];
  if (!testGate(baseTest).accepted) {
    if (!input.baselineMayFail) throw new Error(`the base is red: ${baseTest.output.slice(-500)}`);
    feedback.push({
      candidate: 'baseline',
      status: 'tests-failed',
      message: `The current code fails its tests:\n${failureExcerpt(baseTest.output, 3000, baseTest.counts?.runner)}`,
    });
  }

  // After the base's tests, as the workflow does: what drafts may change and each slot's context.
  const failure = feedback[0]?.message;
  const gathered = await call('gatherContext', 'gatherContext', gitActivities.gatherContext, {
    repo: input.repo,
    baseSha: base.baseSha,
    goal: input.goal,
    files: input.files,
    protectedPaths: input.protectedPaths,
    ...(failure ? { failure } : {}),
    slots: input.drafts.map((d) => ({ provider: d.provider, maxOutputTokens: d.maxOutputTokens })),
  });
  const files = gathered.files ?? base.files;

  const slots = input.drafts.flatMap((slot) => Array.from({ length: slot.count }, () => slot));
  const results = await Promise.all(
    slots.map(async (slot, i) => {
      const id = `r1c${i + 1}`;
      const context = gathered.contexts[input.drafts.indexOf(slot)];
      const d = await call('draft', 'draft', draftActivities.draft, {
        candidateId: id,
        slot,
        goal: input.goal,
        files,
        allowed: gathered.allowed,
        hints: [...(input.hints ?? [])],
        feedback: feedback.slice(-12),
        ...(context ? { context } : {}),
        maxReplyBytes: input.maxReplyBytes,
      });
      const a = await call('applyCandidate', 'applyCandidate', gitActivities.applyCandidate, {
        repo: input.repo,
        runId,
        baseSha: base.baseSha,
        candidateId: id,
        reply: d.text,
        format: slot.editFormat,
        allowed: gathered.allowed,
        protectedPaths: input.protectedPaths,
        linkPaths: input.linkPaths,
        probes: baseTest.probes,
      });
      if (!a.ok || a.patch === undefined || !a.tree) return undefined;
      const spec: WorkspaceSpec = { ...baseSpec, patch: a.patch, tree: a.tree, label: id };
      const t = await test(
        'runTests:candidate',
        { workspace: spec, baseWorkspace: baseSpec, linkPaths: input.linkPaths, probes: baseTest.probes },
        id,
        'candidate',
      );
      return testGate(t, baseTest.counts, { requireTestsRan: true }).accepted ? { a, id, spec, t } : undefined;
    }),
  );
  const best = results.find((r) => r !== undefined);
  if (!best) throw new Error('the scripted loop should commit');
  const trailers = { [RUN_TRAILER]: runId, 'Ouro-Candidate': best.id, 'Ouro-Model': 'gpu/fake-model', 'Ouro-Tests': describeCounts(best.t.counts, 0) };
  await call('commitCandidate', 'commitCandidate', gitActivities.commitCandidate, {
    repo: input.repo,
    dir: best.a.dir,
    baseSha: base.baseSha,
    branch: input.targetBranch ?? `ouro/${branchSafe(runId)}`,
    changed: best.a.changed,
    message: commitMessage(input.goal, `Candidate ${best.id} of round 1, drafted directly.`, trailers),
    trailers,
    timestampMs: Date.now(),
    patch: best.spec.patch,
    tree: best.t.tree ?? best.spec.tree,
  });
  await call('cleanupRun', 'cleanupRun', gitActivities.cleanupRun, { repo: input.repo, runId });
  return { requests, stepMs };
}
