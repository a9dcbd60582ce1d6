import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type * as WorkspaceActivities from '../../activities/git/workspace.js';
import type * as EvolveActivities from '../../activities/git/evolve.js';
import type * as TestActivities from '../../activities/sandbox/test.js';
import type * as BenchActivities from '../../activities/sandbox/benchmark.js';
import type * as DraftActivities from '../../activities/draft/draft.js';
import type { WorkspaceSpec } from '../../core/contracts/workspace.js';
import type { DraftSlotPlan } from '../../core/run/types.js';
import type { TestRunResult } from '../../core/contracts/sandbox.js';
import { insertProgram, migrate, newArchive, programById } from '../../core/evolve/archive.js';
import { featureMetrics, metricFeatures, missingObjectiveMetrics, objectiveOf } from '../../core/evolve/features.js';
import { changedLines, mutationGoal, recentFailures } from '../../core/evolve/prompt.js';
import { budgetAllows, credit, draftCost, pickInspirations, pickParent, pickProvider } from '../../core/evolve/sampling.js';
import type { Evaluation, EvolveInput, EvolveResult, EvolveState, EvolveStatus, Program } from '../../core/evolve/types.js';
import { perfGate, testGate } from '../../core/gate/gate.js';
import { branchSafe } from '../../core/run/branch-name.js';
import { CONFIG_ERROR_TYPES } from '../../core/run/errors.js';
import { commitMessage } from '../../core/run/trailers.js';
import { formatDecision } from '../../core/stats/perf-stats.js';
import { headTail } from '../../core/views/excerpt.js';
import { renderEvolveMarkdown } from '../../core/views/evolve-view.js';
import { OURO_EVOLVE_BEST, OURO_EVOLVE_GENERATION } from '../../core/run/search-attributes.js';
import { activities, gitOptions, sandboxOptions } from '../activity-options.js';
import { evolveArchiveQuery, evolveHintUpdate, evolvePauseSignal, evolveResumeSignal, evolveStatusQuery, evolveStopSignal } from '../definitions.js';

/** The base's grid metrics are the unit every program's are measured in. */
function baseMetrics(input: EvolveInput): { metrics?: Record<string, number> } {
  const names = featureMetrics(input.features ?? []);
  return names.length ? { metrics: Object.fromEntries(names.map((n) => [n, 1])) } : {};
}

function withMetrics(metrics: Record<string, number> | undefined): { metrics?: Record<string, number> } {
  return metrics ? { metrics } : {};
}

/** History events after which the search drains its evaluations and continues as new. */
const HISTORY_BUDGET = 10_000;

/** What the base's tests showed, carried across continue-as-new with the archive. */
interface Carried {
  state: EvolveState;
  baseCounts: TestRunResult['counts'];
  probes: TestRunResult['probes'];
}

/**
 * An evolutionary search (README, "Keep improving: ouro evolve"): the base is tested and measured;
 * then, `parallel` at a time until the budget or a stop: pick an island, a parent and inspirations →
 * draft a change of the parent → apply → quick test → tests (held to the base's) → benchmark against
 * the base = the score → keep the program as a commit → if it beats the champion by the gate, promote
 * it onto the evolve branch.
 */
export async function EvolveWorkflow(input: EvolveInput, carried?: Carried): Promise<EvolveResult> {
  const evolveId = workflowInfo().workflowId;
  const q = input.queues;
  const t = input.timeouts;
  const git = <T>(summary: string) => activities<T>(gitOptions(q.git, '5 minutes'), summary);
  const tests = (summary: string) => activities<typeof TestActivities>(sandboxOptions(q.sandbox, t.testSeconds, t.heartbeatSeconds), summary);
  const bench = (summary: string) => activities<typeof BenchActivities>(sandboxOptions(q.sandbox, t.benchSeconds, t.heartbeatSeconds), summary);
  const draftOptions = (provider: keyof typeof q.draft): ActivityOptions => ({
    taskQueue: q.draft[provider],
    ...(t.draftQueueSeconds ? { scheduleToStartTimeout: `${t.draftQueueSeconds} seconds` } : {}),
    startToCloseTimeout: `${t.draftSeconds} seconds`,
    heartbeatTimeout: `${Math.max(t.heartbeatSeconds, 30)} seconds`,
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 6, nonRetryableErrorTypes: CONFIG_ERROR_TYPES },
  });
  const source = input.source ?? input.repo;
  const branch = `ouro/evolve/${branchSafe(evolveId)}`;
  const programRef = (id: string) => `refs/ouro/evolve/${branchSafe(evolveId)}/${id}`;
  const spec = (over: Partial<WorkspaceSpec> & Pick<WorkspaceSpec, 'baseSha' | 'tree' | 'label'>): WorkspaceSpec => ({ source, runId: evolveId, ...over });

  const status: EvolveStatus = { phase: 'baseline', evaluations: 0, running: 0, best: { id: 'base', score: 1 }, promoted: 0, spent: { drafts: 0, tokens: 0 } };
  let stopRequested: string | undefined;
  let paused = false;
  setHandler(evolveStatusQuery, () => status);
  setHandler(evolveStopSignal, (why) => {
    stopRequested ??= why || 'stopped by request';
  });
  setHandler(evolvePauseSignal, () => {
    paused = true;
  });
  setHandler(evolveResumeSignal, () => {
    paused = false;
  });

  // ---- the base: green tests and a benchmark that runs, once for the whole search ----
  let c = carried;
  if (!c) {
    const base = await git<typeof WorkspaceActivities>(`prepare ${input.baseRef}`).prepareRun({
      repo: input.repo,
      baseRef: input.baseRef,
      runId: evolveId,
      files: input.files,
      linkPaths: input.linkPaths,
    });
    if (!base.baseTree) throw ApplicationFailure.nonRetryable('the git worker is older than ouro evolve: update it', 'OuroConfigError');
    const baseSpec = spec({ baseSha: base.baseSha, tree: base.baseTree, label: 'base' });
    const baseTest = await tests('test the base').runTests({
      workspace: baseSpec,
      linkPaths: input.linkPaths,
      command: input.testCommand,
      timeoutSeconds: t.testSeconds,
      label: 'base',
      protectedPaths: input.protectedPaths,
      role: 'base',
      writable: input.writable,
    });
    if (!testGate(baseTest).accepted) {
      throw ApplicationFailure.nonRetryable(
        `the base fails its tests: an evolution starts from green code\n${headTail(baseTest.output, 2000)}`,
        'OuroConfigError',
      );
    }
    const baseBench = await bench('benchmark the base').runBenchmark({
      baseWorkspace: baseSpec,
      linkPaths: input.linkPaths,
      command: input.benchCommand,
      mode: input.benchMode,
      minPairs: 1,
      maxPairs: 1,
      noiseMargin: input.margin,
      timeoutSeconds: t.benchSeconds,
      label: 'base',
      protectedPaths: input.protectedPaths,
      probes: baseTest.probes,
      writable: input.writable,
    });
    if (!baseBench.ok) throw ApplicationFailure.nonRetryable(`the base's benchmark fails: ${baseBench.message}`, 'OuroConfigError');
    const missing = baseBench.metrics ? missingObjectiveMetrics(baseBench.metrics, input.metric, input.features ?? []) : [];
    if (missing.length) {
      throw ApplicationFailure.nonRetryable(
        `the benchmark prints no metric ${missing.map((m) => `"${m}"`).join(', ')} (it prints ${baseBench.metrics!.join(', ') || 'none'}): --metric and --features metric:<name> name metrics of its report`,
        'OuroConfigError',
      );
    }
    const sizeBytes = base.files.reduce((n, f) => n + f.content.length, 0);
    const baseProgram: Program = {
      id: 'base',
      island: 0,
      generation: 0,
      sha: base.baseSha,
      tree: base.baseTree,
      score: 1,
      features: { sizeBytes, diffLines: 0, ...baseMetrics(input) },
      provider: '-',
      tokens: 0,
    };
    c = {
      state: newArchive(baseProgram, input.islands, Date.now(), { dims: input.features, metric: input.metric }),
      baseCounts: baseTest.counts,
      probes: baseTest.probes,
    };
  }
  const { state, baseCounts, probes } = c;
  setHandler(evolveArchiveQuery, () => state);
  setHandler(
    evolveHintUpdate,
    (hint) => {
      (state.hints ??= []).push(hint.trim());
      return `hint noted (${state.hints.length} in all): shown with every draft from now on`;
    },
    {
      validator: (hint) => {
        if (typeof hint !== 'string' || !hint.trim()) throw new Error('a hint must be non-empty text');
        if (status.phase === 'done') throw new Error('the search is finished');
      },
    },
  );
  const baseSpec = spec({ baseSha: state.baseSha, tree: state.baseTree, label: 'base' });
  /** The gate's paired benchmark of `candidate` against `base`: a program's score, or a challenger's duel with the champion. */
  const duel = (summary: string, base: WorkspaceSpec, candidate: WorkspaceSpec, label: string) =>
    bench(summary).runBenchmark({
      baseWorkspace: base,
      candidateWorkspace: candidate,
      linkPaths: input.linkPaths,
      command: input.benchCommand,
      mode: input.benchMode,
      minPairs: Math.min(10, input.benchRuns),
      maxPairs: input.benchRuns,
      noiseMargin: input.margin,
      timeoutSeconds: t.benchSeconds,
      label,
      protectedPaths: input.protectedPaths,
      probes,
      writable: input.writable,
    });
  const champion = () => (state.promoted.length ? programById(state, state.promoted.at(-1)!.programId) : programById(state, 'base'));
  const publish = () => {
    const best = programById(state, state.bestId);
    Object.assign(status, {
      evaluations: state.evaluations.length,
      best: { id: best.id, score: best.score },
      promoted: state.promoted.length,
      spent: { ...state.spent },
    });
    setCurrentDetails(renderEvolveMarkdown(state, status, branch));
  };
  status.phase = 'searching';
  publish();

  const providers = [...new Set(input.drafts.map((d) => d.provider))];
  const promptEstimate = Math.ceil(state.baseSizeBytes / 2) + 2000;
  const worstTokens = Math.max(...input.drafts.map((d) => d.maxOutputTokens)) + promptEstimate;
  const worstCost = Math.max(0, ...input.drafts.map((d) => draftCost(input.prices?.[d.model], promptEstimate, d.maxOutputTokens)));
  let draftsOut = 0;
  /** One promotion at a time: each is judged against the champion of that moment. */
  let promoting: Promise<void> = Promise.resolve();

  async function evaluate(index: number): Promise<void> {
    const island = index % state.grids.length;
    const parent = pickParent(state, island, input.explore, Math.random);
    const inspirations = pickInspirations(state, parent, 2, Math.random);
    const provider = pickProvider(providers, state.providers) as DraftSlotPlan['provider'];
    const slot = input.drafts.find((d) => d.provider === provider)!;
    const id = `p${index}`;
    const ev: Evaluation = { index, programId: id, parent: parent.id, island, provider, outcome: 'draft-failed', tokens: 0, atMs: 0 };
    state.spent.drafts++;
    draftsOut++;
    let drafting = true;
    const doneDrafting = () => {
      if (drafting) draftsOut--;
      drafting = false;
    };
    try {
      const read = await git<typeof EvolveActivities>(`read ${parent.id}`).readProgram({
        repo: input.repo,
        sha: parent.sha,
        files: input.files,
        inspirations: inspirations.map((i) => ({ id: i.id, sha: i.sha })),
        baseSha: state.baseSha,
      });
      const goal = mutationGoal(
        input.goal,
        parent,
        read.inspirations.map((i) => ({ program: programById(state, i.id), diff: i.diff })),
      );
      const draft = await activities<typeof DraftActivities>(draftOptions(provider), `draft ${id} from ${parent.id} · ${provider}`).draft({
        candidateId: id,
        slot,
        goal,
        files: read.files,
        allowed: input.files,
        hints: [...(state.hints ?? [])],
        feedback: recentFailures(state.evaluations),
        maxReplyBytes: input.maxReplyBytes,
      });
      ev.tokens = draft.promptTokens + draft.completionTokens;
      state.spent.tokens += ev.tokens;
      if (input.prices) state.spent.cost = (state.spent.cost ?? 0) + draftCost(input.prices[slot.model], draft.promptTokens, draft.completionTokens);
      doneDrafting();
      const applied = await git<typeof WorkspaceActivities>(`apply ${id}`).applyCandidate({
        repo: input.repo,
        runId: evolveId,
        baseSha: parent.sha,
        candidateId: id,
        reply: draft.text,
        format: slot.editFormat,
        allowed: input.files,
        protectedPaths: input.protectedPaths,
        linkPaths: input.linkPaths,
        probes,
      });
      if (!applied.ok) {
        ev.outcome = applied.status;
        ev.reason = applied.message;
        return;
      }
      const mine = spec({ baseSha: parent.sha, patch: applied.patch, tree: applied.tree!, label: id });
      const common = { linkPaths: input.linkPaths, timeoutSeconds: t.testSeconds, protectedPaths: input.protectedPaths, probes, writable: input.writable };
      // The cascade: a cheap check first, so most broken programs never reach the tests or the benchmark.
      if (input.quickTestCommand) {
        const quick = await tests(`quick test ${id}`).runTests({ ...common, workspace: mine, command: input.quickTestCommand, label: `${id}-quick` });
        if (!quick.passed) {
          ev.outcome = 'tests-failed';
          ev.reason = `the quick test failed${quick.timedOut ? ` (killed after ${t.testSeconds} s)` : ''}:\n${headTail(quick.output, 1500)}`;
          return;
        }
      }
      const tested = await tests(`test ${id}`).runTests({
        ...common,
        workspace: mine,
        baseWorkspace: baseSpec,
        command: input.testCommand,
        label: id,
        role: 'candidate',
      });
      const verdict = testGate(tested, baseCounts);
      if (!verdict.accepted) {
        ev.outcome = 'tests-failed';
        ev.reason = `${verdict.reason}\n${headTail(tested.output, 1500)}`;
        return;
      }
      const measured = await duel(`benchmark ${id} vs the base`, baseSpec, mine, `${evolveId}/${id}`);
      const objective = objectiveOf(measured.decisions, input.metric);
      if (!measured.ok || !objective.ok) {
        ev.outcome = 'bench-failed';
        ev.reason = `the benchmark failed: ${measured.message ?? (objective.ok ? 'no measurement' : objective.reason)}`;
        return;
      }
      const primary = objective.decision;
      const stored = await git<typeof EvolveActivities>(`keep ${id}`).storeProgram({
        repo: input.repo,
        parentSha: parent.sha,
        tree: applied.tree!,
        ref: programRef(id),
        message: `ouro evolve ${evolveId}: ${id} from ${parent.id}, ${formatDecision(primary)}\n`,
        timestampMs: Date.now(),
        files: input.files,
      });
      const program: Program = {
        id,
        parent: parent.id,
        island,
        generation: parent.generation + 1,
        sha: stored.sha,
        tree: applied.tree!,
        score: primary.speedup,
        interval: primary.ci,
        features: {
          sizeBytes: stored.sizeBytes,
          diffLines: changedLines(applied.patch),
          ...withMetrics(metricFeatures(measured.samples, featureMetrics(input.features ?? []))),
        },
        provider,
        tokens: ev.tokens,
      };
      const bestBefore = programById(state, state.bestId).score;
      if (insertProgram(state, program).newBest) {
        upsertSearchAttributes([
          { key: OURO_EVOLVE_BEST, value: program.score },
          { key: OURO_EVOLVE_GENERATION, value: program.generation },
        ]);
      }
      ev.outcome = 'scored';
      ev.score = program.score;
      credit(state.providers, provider, program.score - bestBefore, ev.tokens);
      if (program.score > champion().score) {
        const turn = promoting.then(() => promoteIfBetter(program, ev));
        promoting = turn.catch(() => undefined);
        await turn;
      }
    } catch (err) {
      if (isCancellation(err)) throw err;
      const cause = err instanceof ActivityFailure ? err.cause : err;
      ev.reason = `an activity failed: ${cause instanceof Error ? cause.message : String(cause)}`;
      if (ev.outcome === 'scored') ev.outcome = 'bench-failed';
    } finally {
      doneDrafting();
      if (ev.outcome !== 'scored') credit(state.providers, provider, 0, ev.tokens);
      ev.atMs = Date.now() - state.startedMs;
      state.evaluations.push(ev);
      publish();
    }
  }

  /** Measured against the champion itself: promoted only when the interval clears the margin. */
  async function promoteIfBetter(program: Program, ev: Evaluation): Promise<void> {
    const holder = champion();
    if (program.score <= holder.score) return;
    const versus = await duel(
      `benchmark ${program.id} vs the champion ${holder.id}`,
      spec({ baseSha: holder.sha, tree: holder.tree, label: `champion-${holder.id}` }),
      spec({ baseSha: program.sha, tree: program.tree, label: `${program.id}-challenger` }),
      `${evolveId}/${program.id}-vs-${holder.id}`,
    );
    const gate = perfGate(versus, { speedupGoal: 1 + input.margin, ...(input.metric ? { metric: input.metric } : {}) });
    if (!gate.accepted) {
      ev.reason = `not promoted: against the champion ${holder.id}, ${gate.reason}`;
      return;
    }
    const trailer = `Ouro-Evolve-Program: ${evolveId}/${program.id}`;
    const promoted = await git<typeof EvolveActivities>(`promote ${program.id}`).promoteProgram({
      repo: input.repo,
      branch,
      baseSha: state.baseSha,
      tree: program.tree,
      programTrailer: trailer,
      timestampMs: Date.now(),
      message: commitMessage(
        input.goal,
        `Program ${program.id} of evolve ${evolveId} (generation ${program.generation}, from ${program.parent}): ${program.score.toFixed(3)}× the base; against the previous champion ${holder.id}: ${gate.reason}.`,
        {
          'Ouro-Evolve': evolveId,
          'Ouro-Evolve-Program': `${evolveId}/${program.id}`,
          'Ouro-Model': `${program.provider}`,
          'Ouro-Benchmark': gate.reason,
        },
      ),
    });
    state.promoted.push({ programId: program.id, commit: promoted.sha, score: program.score });
    ev.promoted = true;
  }

  // ---- the search: `parallel` evaluations in flight until the budget, a stop, or a long history ----
  const running = new Set<Promise<void>>();
  let next = state.evaluations.length + 1;
  let stopReason: string | undefined;
  let longHistory = false;
  try {
    for (;;) {
      if (paused && !stopRequested && running.size === 0) {
        status.phase = 'paused';
        publish();
        await condition(() => !paused || stopRequested !== undefined);
        status.phase = 'searching';
      }
      while (!stopReason && !longHistory && !(paused && !stopRequested) && running.size < input.parallel) {
        const allowed = stopRequested
          ? ({ ok: false, reason: stopRequested } as const)
          : budgetAllows(input.budget, state.spent, draftsOut, worstTokens, Date.now() - state.startedMs, worstCost);
        if (!allowed.ok) {
          stopReason = allowed.reason;
          status.phase = 'stopping';
          break;
        }
        const p: Promise<void> = evaluate(next++).finally(() => running.delete(p));
        running.add(p);
      }
      status.running = running.size;
      publish();
      if (running.size === 0) {
        // Paused with nothing in flight: wait at the top of the loop, not end.
        if (paused && !stopRequested && !stopReason && !longHistory) continue;
        break;
      }
      const before = state.evaluations.length;
      await Promise.race(running);
      if (input.migrateEvery > 0 && Math.floor(state.evaluations.length / input.migrateEvery) > Math.floor(before / input.migrateEvery)) migrate(state);
      longHistory ||= workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.historyBudget ?? HISTORY_BUDGET);
      if (stopRequested && !stopReason) {
        stopReason = stopRequested;
        status.phase = 'stopping';
      }
    }
    if (longHistory && !stopReason) {
      // Drained: nothing in flight is lost, and the next run picks up the archive as it is.
      await continueAsNew<typeof EvolveWorkflow>(input, { state, baseCounts, probes });
    }
  } finally {
    await CancellationScope.nonCancellable(() =>
      git<typeof WorkspaceActivities>('clean up workspaces').cleanupRun({ repo: input.repo, runId: evolveId }),
    ).catch(() => undefined);
  }
  status.phase = 'done';
  status.stopReason = stopReason;
  publish();
  const best = programById(state, state.bestId);
  return {
    best: { id: best.id, score: best.score, sha: best.sha },
    promoted: state.promoted,
    evaluations: state.evaluations.length,
    spent: state.spent,
    stopReason: stopReason ?? 'done',
    branch,
  };
}
