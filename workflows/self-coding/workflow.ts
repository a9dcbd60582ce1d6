import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type * as WorkspaceActivities from '../../activities/git/workspace.js';
import type * as CommitActivities from '../../activities/git/commit.js';
import type * as TestActivities from '../../activities/sandbox/test.js';
import type * as BenchActivities from '../../activities/sandbox/benchmark.js';
import type * as DraftActivities from '../../activities/draft/draft.js';
import type { CandidateRow, DraftSlotPlan, Outcome, RunInput, RunResult, RunStatus } from '../../core/run/types.js';
import type { FeedbackItem } from '../../core/contracts/draft.js';
import type { PrepareResult } from '../../core/contracts/git.js';
import type { TestRunResult } from '../../core/contracts/sandbox.js';
import type { WorkspaceSpec } from '../../core/contracts/workspace.js';
import { brokenBaseline, perfGate, pickBest, testGate } from '../../core/gate/gate.js';
import { formatSpeedup } from '../../core/stats/bench-stats.js';
import { formatDecision, MIN_PAIRS } from '../../core/stats/perf-stats.js';

import { headTail } from '../../core/views/excerpt.js';
import { commitMessage, RUN_TRAILER } from '../../core/run/trailers.js';
import { branchSafe } from '../../core/run/branch-name.js';
import { describeCounts } from '../../core/gate/test-report.js';
import { describeIdentity } from '../../core/gate/test-identity.js';
import { renderStatusMarkdown } from '../../core/views/status-view.js';
import { OURO_BEST_SPEEDUP, OURO_OUTCOME, OURO_ROUND, OURO_SANDBOX, OURO_TRAIN } from '../../core/run/search-attributes.js';
import { CONFIG_ERROR_TYPES, isConfigError } from '../../core/run/errors.js';
import { hintUpdate, statusQuery } from '../definitions.js';
import { activities, gitOptions as gitActivityOptions, sandboxOptions as sandboxActivityOptions } from '../activity-options.js';

/** What every candidate of a round starts from: the base, the hints and feedback so far, the base's test lookups and counts. */
interface RoundView {
  base: PrepareResult;
  hints: string[];
  feedback: FeedbackItem[];
  probes: TestRunResult['probes'];
  baseCounts: TestRunResult['counts'];
  /** The base as data, when candidates travel as patches: sandbox hosts rebuild workspaces from it. */
  baseSpec?: WorkspaceSpec;
}

/** A candidate whose tests passed: its worktree and diff, on to the benchmark and the commit. */
interface Survivor {
  row: CandidateRow;
  dir: string;
  diff: string;
  /** The candidate as data, and the tree its tests ran on (what the commit must be). */
  spec?: WorkspaceSpec;
  testedTree?: string;
}

export async function SelfCodingWorkflow(input: RunInput): Promise<RunResult> {
  const runId = workflowInfo().workflowId;
  const q = input.queues;
  const t = input.timeouts;
  const status: RunStatus = { phase: 'baseline', round: 0, maxRounds: input.maxRounds, candidates: [], hints: [...(input.hints ?? [])] };
  const tokens = { prompt: 0, completion: 0 };

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

  const gitOptions = gitActivityOptions(q.git, '2 minutes');
  const sandboxOptions = (seconds: number) => sandboxActivityOptions(q.sandbox, seconds, t.heartbeatSeconds);
  // Added with unserved-queue detection: histories recorded before it replay without the wait limit.
  let queueWaitMemo: boolean | undefined;
  const queueWaitLimited = () => (queueWaitMemo ??= patched('ouro-draft-queue-wait'));
  const draftOptions = (slot: DraftSlotPlan): ActivityOptions => ({
    taskQueue: q.draft[slot.provider],
    // A queue nobody serves would otherwise hold the draft until the run is cancelled.
    ...(t.draftQueueSeconds && queueWaitLimited() ? { scheduleToStartTimeout: `${t.draftQueueSeconds} seconds` } : {}),
    startToCloseTimeout: `${t.draftSeconds} seconds`,
    heartbeatTimeout: `${Math.max(t.heartbeatSeconds, 30)} seconds`,
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '30 seconds',
      maximumAttempts: 6,
      nonRetryableErrorTypes: CONFIG_ERROR_TYPES,
    },
  });

  const publish = () => setCurrentDetails(renderStatusMarkdown(status));
  const finish = (outcome: Outcome, extra: Partial<RunResult> = {}): RunResult => {
    status.phase = 'done';
    status.outcome = outcome;
    upsertSearchAttributes([{ key: OURO_OUTCOME, value: outcome }]);
    publish();
    return {
      outcome,
      rounds: status.round,
      candidates: status.candidates,
      baseSha: status.baseSha,
      tokens,
      sandbox: status.sandbox,
      testIdentity: status.testIdentity,
      ...extra,
    };
  };

  // Added with release trains: histories recorded before it replay without this command.
  if (patched('ouro-run-train-attribute') && input.train) upsertSearchAttributes([{ key: OURO_TRAIN, value: input.train }]);

  const feedback: FeedbackItem[] = [];
  /** Draft slots whose provider queue found no worker in time, and why: later rounds leave them out. */
  const unserved = new Map<number, string>();
  // Added with infrastructure resilience: histories recorded before it replay without it.
  let resilientMemo: boolean | undefined;
  const resilient = () => (resilientMemo ??= patched('ouro-infra-resilience'));
  /**
   * A candidate's test or benchmark that failed as an activity (its attempts or its window spent on dead
   * workers or servers) drops that candidate with the reason; the run goes on with the others.
   */
  const dropOnInfraFailure = (err: unknown, row: CandidateRow, stage: string): undefined => {
    if (isCancellation(err) || !resilient()) throw err;
    const cause = err instanceof ActivityFailure ? err.cause : err;
    row.status = 'dropped';
    row.reason = `the ${stage} activity failed: ${cause instanceof Error ? cause.message : String(cause)}`;
    feedback.push({ candidate: row.id, status: row.status, message: row.reason });
    publish();
    return undefined;
  };

  /** One candidate's pipeline: draft → apply (parse, path policy) → test; a survivor, or undefined with the row saying why. */
  async function draftApplyTest(row: CandidateRow, round: RoundView): Promise<Survivor | undefined> {
    const slot = input.drafts[row.slot]!;
    const draft = await activities<typeof DraftActivities>(draftOptions(slot), `draft ${row.index} · ${row.provider} · ${row.model}`)
      .draft({
        candidateId: row.id,
        slot,
        goal: input.goal,
        files: round.base.files,
        allowed: input.files,
        hints: round.hints,
        feedback: round.feedback,
        maxReplyBytes: input.maxReplyBytes,
      })
      .catch((err: unknown) => {
        const cause = err instanceof ActivityFailure ? err.cause : undefined;
        if (cause instanceof TimeoutFailure && cause.timeoutType === 'SCHEDULE_TO_START') {
          const queue = q.draft[slot.provider];
          row.status = 'draft-failed';
          row.reason = `no worker took the draft from task queue ${queue} within ${t.draftQueueSeconds} s: start one that serves it (ouro worker --queues ${queue})`;
          unserved.set(row.slot, row.reason);
          return undefined;
        }
        if (cause instanceof ApplicationFailure && isConfigError(cause.type)) {
          throw ApplicationFailure.nonRetryable(cause.message, cause.type);
        }
        if (isCancellation(err)) throw err;
        row.status = 'draft-failed';
        row.reason = cause?.message ?? String(err);
        // A reply cut at the size limit still cost its tokens.
        const spent =
          cause instanceof ApplicationFailure ? (cause.details?.[0] as { promptTokens?: number; completionTokens?: number } | undefined) : undefined;
        if (typeof spent?.promptTokens === 'number' && typeof spent.completionTokens === 'number') {
          row.tokens = { prompt: spent.promptTokens, completion: spent.completionTokens };
          tokens.prompt += spent.promptTokens;
          tokens.completion += spent.completionTokens;
        }
        return undefined;
      });
    if (!draft) return undefined;
    row.tokens = { prompt: draft.promptTokens, completion: draft.completionTokens };
    row.draftMs = draft.latencyMs;
    tokens.prompt += draft.promptTokens;
    tokens.completion += draft.completionTokens;

    const applied = await activities<typeof WorkspaceActivities>(gitOptions, `apply candidate ${row.id}`).applyCandidate({
      repo: input.repo,
      runId,
      baseSha: round.base.baseSha,
      candidateId: row.id,
      reply: draft.text,
      format: slot.editFormat,
      allowed: input.files,
      protectedPaths: input.protectedPaths,
      linkPaths: input.linkPaths,
      probes: round.probes,
    });
    if (!applied.ok) {
      row.status = applied.status;
      row.reason = applied.message;
      feedback.push({ candidate: row.id, status: row.status, message: applied.message });
      publish();
      return undefined;
    }
    row.changed = applied.changed;
    row.status = 'testing';
    publish();
    const spec =
      round.baseSpec && applied.patch !== undefined && applied.tree
        ? { ...round.baseSpec, patch: applied.patch, tree: applied.tree, label: row.id }
        : undefined;
    const tested = await activities<typeof TestActivities>(sandboxOptions(t.testSeconds), `test candidate ${row.id}`)
      .runTests({
        ...(spec ? { workspace: spec, baseWorkspace: round.baseSpec, linkPaths: input.linkPaths } : { dir: applied.dir, baseDir: round.base.baseDir }),
        command: input.testCommand,
        timeoutSeconds: t.testSeconds,
        label: row.id,
        protectedPaths: input.protectedPaths,
        role: 'candidate',
        probes: round.probes,
        writable: input.writable,
      })
      .catch((err: unknown) => dropOnInfraFailure(err, row, 'tests'));
    if (!tested) return undefined;
    row.tests = tested.counts;
    row.identity = tested.identity;
    const verdict = testGate(tested, round.baseCounts);
    if (!verdict.accepted) {
      row.status = verdict.status;
      row.reason = verdict.reason;
      feedback.push({
        candidate: row.id,
        status: row.status,
        message: `${verdict.reason}\nYour change:\n${headTail(applied.diff, 1500)}\nTest output:\n${headTail(tested.output, 2500)}`,
      });
      publish();
      return undefined;
    }
    row.status = input.benchCommand ? 'benchmarking' : 'passed';
    row.reason = verdict.reason;
    publish();
    return { row, dir: applied.dir, diff: applied.diff, ...(spec ? { spec, testedTree: tested.tree ?? spec.tree } : {}) };
  }

  /** A survivor against the base, interleaved, judged by the performance gate (no benchmark: the gate passes it as it is). */
  async function benchmarkSurvivor(p: Survivor, view: RoundView): Promise<boolean> {
    const bench = input.benchCommand
      ? await activities<typeof BenchActivities>(sandboxOptions(t.benchSeconds), `benchmark candidate ${p.row.id}`)
          .runBenchmark({
            ...(p.spec && view.baseSpec
              ? { baseWorkspace: view.baseSpec, candidateWorkspace: p.spec, linkPaths: input.linkPaths }
              : { baseDir: view.base.baseDir, candidateDir: p.dir }),
            command: input.benchCommand,
            mode: input.benchMode,
            minPairs: Math.min(MIN_PAIRS, input.benchRuns),
            maxPairs: input.benchRuns,
            noiseMargin: input.regressionTolerance,
            timeoutSeconds: t.benchSeconds,
            label: `${runId}/${p.row.id}`,
            protectedPaths: input.protectedPaths,
            probes: view.probes,
            writable: input.writable,
          })
          .catch((err: unknown) => dropOnInfraFailure(err, p.row, 'benchmark'))
      : undefined;
    if (input.benchCommand && !bench) return false;
    const primary = bench?.decisions?.[0];
    p.row.speedup = primary?.speedup;
    if (primary) p.row.benchmark = formatDecision(primary);
    const shaky = bench?.decisions?.find((d) => d.unreliable);
    if (shaky) p.row.unreliable = `${shaky.name}: ${shaky.reasons.join('; ')}`;
    const verdict = perfGate(bench, { speedupGoal: input.speedupGoal, requireReliable: input.requireReliable });
    p.row.status = verdict.status;
    p.row.reason = `${p.row.reason ?? ''}; ${verdict.reason}`.replace(/^; /, '');
    if (!verdict.accepted) feedback.push({ candidate: p.row.id, status: p.row.status, message: `${verdict.reason}\nYour change:\n${headTail(p.diff, 1500)}` });
    publish();
    return verdict.accepted;
  }

  /** The gate's choice committed on the run's branch, with the trailers that say how it was judged. */
  async function commitBest(best: Survivor, round: number, view: RoundView): Promise<RunResult> {
    status.phase = 'committing';
    publish();
    const branch = input.targetBranch ?? `ouro/${branchSafe(runId)}`;
    const trailers: Record<string, string> = {
      [RUN_TRAILER]: runId,
      'Ouro-Candidate': best.row.id,
      'Ouro-Model': `${best.row.provider}/${best.row.model}`,
      'Ouro-Tests': describeCounts(best.row.tests, 0),
    };
    if (best.row.identity) trailers['Ouro-Test-Identity'] = describeIdentity(best.row.identity);
    if (best.row.benchmark) trailers['Ouro-Benchmark'] = best.row.benchmark;
    // Committed all the same (not slower, goal met), and said so: --require-reliable refuses these.
    if (best.row.unreliable) trailers['Ouro-Benchmark-Unreliable'] = best.row.unreliable;
    const commit = await activities<typeof CommitActivities>(gitOptions, `commit ${best.row.id} to ${branch}`).commitCandidate({
      repo: input.repo,
      dir: best.dir,
      baseSha: view.base.baseSha,
      branch,
      changed: best.row.changed ?? [],
      message: commitMessage(
        input.goal,
        `Candidate ${best.row.id} of round ${round}, drafted by ${best.row.provider}/${best.row.model}.\n${best.row.reason ?? ''}`,
        trailers,
      ),
      trailers,
      timestampMs: Date.now(),
      // Built from the base and the patch the sandbox tested, and refused if its tree is not the one tested.
      ...(best.spec ? { patch: best.spec.patch, tree: best.testedTree } : {}),
    });
    best.row.status = 'committed';
    log.info('committed', { sha: commit.sha, branch });
    return finish('committed', { commitSha: commit.sha, branch, diff: best.diff });
  }

  let base: PrepareResult | undefined;
  try {
    // ---- baseline: the base must be green (and measurable) before any draft ----
    base = await activities<typeof WorkspaceActivities>(gitOptions, `prepare ${input.baseRef}`).prepareRun({
      repo: input.repo,
      baseRef: input.baseRef,
      runId,
      files: input.files,
      linkPaths: input.linkPaths,
    });
    status.baseSha = base.baseSha;
    publish();
    // Added with scale-out: candidates travel as patches, so any sandbox host can test them (histories before it replay with paths).
    const asData = patched('ouro-candidate-as-patch') && base.baseTree !== undefined;
    const baseSpec: WorkspaceSpec | undefined = asData
      ? { source: input.source ?? input.repo, baseSha: base.baseSha, tree: base.baseTree!, runId, label: 'base' }
      : undefined;
    const baseTest = await activities<typeof TestActivities>(sandboxOptions(t.testSeconds), 'test baseline').runTests({
      ...(baseSpec ? { workspace: baseSpec, linkPaths: input.linkPaths } : { dir: base.baseDir }),
      command: input.testCommand,
      timeoutSeconds: t.testSeconds,
      label: 'baseline',
      protectedPaths: input.protectedPaths,
      role: 'base',
      writable: input.writable,
    });
    status.sandbox = baseTest.sandbox;
    status.testIdentity = baseTest.report
      ? `by identity: the base's ${baseTest.report.tests} tests (${baseTest.report.format} report) must each run again and pass`
      : `by count only: ${baseTest.reportNote ?? 'no structured report'}`;
    upsertSearchAttributes([{ key: OURO_SANDBOX, value: baseTest.sandbox }]);
    // Added with the gate-integrity checks: histories recorded before it replay without them.
    const integrity = patched('ouro-gate-integrity');
    const probes = baseTest.probes;
    if (!testGate(baseTest).accepted) {
      const why = `baseline tests ${describeCounts(baseTest.counts, baseTest.exitCode)}`;
      const broken = integrity ? brokenBaseline(baseTest, 'name the files the tests may write with --writable (or "writable" in ouro.config.json)') : undefined;
      if (broken) return finish('baseline-broken', { baselineReason: `${broken}\n${headTail(baseTest.output, 2000)}` });
      // A red base is the starting point of a bug fix, never of a speed-up; a hung one is never usable.
      if (!input.baselineMayFail || baseTest.timedOut) {
        return finish('baseline-broken', {
          baselineReason: `${why}${input.baselineMayFail ? '' : ' (use --fix when the goal is to make failing tests pass)'}\n${headTail(baseTest.output, 2000)}`,
        });
      }
      feedback.push({ candidate: 'baseline', status: 'tests-failed', message: `The current code fails its tests:\n${headTail(baseTest.output, 3000)}` });
    }
    if (input.benchCommand) {
      const baseBench = await activities<typeof BenchActivities>(sandboxOptions(t.benchSeconds), 'benchmark baseline').runBenchmark({
        ...(baseSpec ? { baseWorkspace: baseSpec, linkPaths: input.linkPaths } : { baseDir: base.baseDir }),
        command: input.benchCommand,
        mode: input.benchMode,
        minPairs: Math.min(MIN_PAIRS, input.benchRuns),
        maxPairs: input.benchRuns,
        noiseMargin: input.regressionTolerance,
        timeoutSeconds: t.benchSeconds,
        label: 'baseline',
        protectedPaths: input.protectedPaths,
        probes,
        writable: input.writable,
      });
      if (!baseBench.ok) return finish('baseline-broken', { baselineReason: `baseline benchmark failed: ${baseBench.message}` });
    }

    for (let round = 1; round <= input.maxRounds; round++) {
      status.round = round;
      status.phase = 'drafting';
      upsertSearchAttributes([{ key: OURO_ROUND, value: round }]);
      const rows = planRound(round, input.drafts).filter((row) => !unserved.has(row.slot));
      if (!rows.length) return finish('no-worker', { unservedReason: [...new Set(unserved.values())].join('\n') });
      status.candidates.push(...rows);
      publish();
      const view: RoundView = {
        base,
        hints: [...status.hints],
        feedback: input.noFeedback ? feedback.filter((f) => f.candidate === 'baseline') : feedback.slice(-12),
        probes,
        baseCounts: baseTest.counts,
        baseSpec,
      };

      // ---- draft → apply → test, one pipeline per candidate, all in parallel ----
      const passers = (await Promise.all(rows.map((row) => draftApplyTest(row, view)))).filter((p): p is Survivor => p !== undefined);

      // ---- benchmark the survivors one at a time (parallel runs would disturb each other) ----
      status.phase = 'benchmarking';
      const accepted: typeof passers = [];
      for (const p of passers) if (await benchmarkSurvivor(p, view)) accepted.push(p);
      const speedups = accepted.map((a) => a.row.speedup).filter((s): s is number => s !== undefined);
      if (speedups.length) {
        status.bestSpeedup = Math.max(status.bestSpeedup ?? 0, ...speedups);
        upsertSearchAttributes([{ key: OURO_BEST_SPEEDUP, value: status.bestSpeedup }]);
      }

      // ---- gate passed: commit the single best candidate ----
      const best = pickBest(accepted.map((a) => ({ ...a, speedup: a.row.speedup })));
      if (!best) continue;
      for (const other of accepted) {
        if (other.row !== best.row) {
          other.row.status = 'not-best';
          other.row.reason = `${other.row.reason}; ${best.row.id} was chosen (${formatSpeedup(best.row.speedup ?? 1)})`;
        }
      }
      return await commitBest(best, round, view);
    }
    return finish('no-candidate-passed');
  } catch (err) {
    // A cancelled run can also surface as an activity that timed out while being cancelled.
    if (isCancellation(err) || CancellationScope.current().consideredCancelled) return finish('cancelled');
    throw err;
  } finally {
    // Worktrees are scratch space; the commit (if any) already lives in the repo.
    await CancellationScope.nonCancellable(() =>
      activities<typeof WorkspaceActivities>(gitOptions, 'clean up workspaces').cleanupRun({ repo: input.repo, runId }),
    ).catch((err: unknown) => {
      // Scratch space left behind must not turn a finished run into a failed one.
      if (!resilient()) throw err;
      log.warn('clean-up failed; the run stands', { error: String(err) });
    });
  }
}

function planRound(round: number, slots: DraftSlotPlan[]): CandidateRow[] {
  const rows: CandidateRow[] = [];
  let index = 1;
  slots.forEach((slot, slotIndex) => {
    for (let i = 0; i < slot.count; i++, index++) {
      rows.push({ id: `r${round}c${index}`, round, index, slot: slotIndex, provider: slot.provider, model: slot.model, status: 'drafting' });
    }
  });
  return rows;
}
