// One program's iteration, OpenEvolve's unit: sample an island, a parent and
// inspirations → draft a change of the parent → apply → evaluate (the cascade,
// evaluate.ts) → keep the program as a commit → if it beats the champion,
// promote it in its turn (promote.ts).
import { ActivityFailure, isCancellation, patched, upsertSearchAttributes } from '@temporalio/workflow';
import type * as DraftActivities from '../../activities/draft/draft.js';
import type * as EvolveActivities from '../../activities/git/evolve.js';
import type * as WorkspaceActivities from '../../activities/git/workspace.js';
import type { DraftResult } from '../../core/contracts/draft.js';
import type { BenchRunResult } from '../../core/contracts/sandbox.js';
import { insertProgram, programById } from '../../core/evolve/archive.js';
import { featureMetrics, metricFeatures } from '../../core/evolve/features.js';
import { changedLines, mutationGoal, recentFailures } from '../../core/evolve/prompt.js';
import { credit, draftCost, pickLineage, pickProvider } from '../../core/evolve/sampling.js';
import type { Evaluation, Program, SearchStrategy } from '../../core/evolve/types.js';
import { OURO_EVOLVE_BEST, OURO_EVOLVE_GENERATION } from '../../core/run/search-attributes.js';
import type { DraftSlotPlan } from '../../core/run/types.js';
import { formatDecision } from '../../core/stats/perf-stats.js';
import { activities, draftOptions } from '../activity-options.js';
import { benchmarkAgainstBase, fullTest, quickTest, quickTestFailure, scoreOf, testFailure } from './evaluate.js';
import { promoteInTurn } from './promote.js';
import { champion, gitActivities, programRef, publish, workspace, type Search } from './search.js';

/** What the sampler chose for one iteration. */
interface Sample {
  id: string;
  island: number;
  parent: Program;
  inspirations: Program[];
  /** Whether the latest failures travel with the draft (not for independent samples). */
  feedback: boolean;
  slot: DraftSlotPlan;
}

type Read = Awaited<ReturnType<typeof EvolveActivities.readProgram>>;
type Applied = Awaited<ReturnType<typeof WorkspaceActivities.applyCandidate>>;
type Stored = Awaited<ReturnType<typeof EvolveActivities.storeProgram>>;

/**
 * Program `p<index>`, recorded in the archive's evaluations however it ends. Every activity is awaited
 * here, by this one function (the steps only build requests and judge results), so the commands of
 * iterations running side by side are issued in the order recorded histories hold them.
 */
export async function iterate(search: Search, index: number): Promise<void> {
  const { state } = search;
  const pick = sample(search, index);
  const { id, parent, slot } = pick;
  const ev: Evaluation = { index, programId: id, parent: parent.id, island: pick.island, provider: slot.provider, outcome: 'draft-failed', tokens: 0, atMs: 0 };
  const doneDrafting = reserveDraft(search);
  try {
    const read = await readParent(search, pick);
    const draft = await draftChild(search, pick, read);
    spend(search, ev, slot, draft);
    doneDrafting();
    const applied = await applyDraft(search, pick, draft);
    if (!applied.ok) return fail(ev, applied.status, applied.message);
    const child = workspace(search, { baseSha: parent.sha, patch: applied.patch, tree: applied.tree!, label: id });
    if (search.input.quickTestCommand) {
      const quick = await quickTest(search, id, child, search.input.quickTestCommand);
      const failed = quickTestFailure(search, quick);
      if (failed) return fail(ev, 'tests-failed', failed);
    }
    const testsFailed = testFailure(search, await fullTest(search, id, child));
    if (testsFailed) return fail(ev, 'tests-failed', testsFailed);
    const measured = await benchmarkAgainstBase(search, id, child);
    const score = scoreOf(search, measured);
    if (!score.ok) return fail(ev, 'bench-failed', score.reason);
    const stored = await keep(search, pick, applied, formatDecision(score.decision));
    const program = admit(search, pick, ev, { applied, stored, measured, score: score.decision.speedup, interval: score.decision.ci });
    if (program.score > champion(search).score) await promoteInTurn(search, program, ev);
  } catch (err) {
    if (isCancellation(err)) throw err;
    const cause = err instanceof ActivityFailure ? err.cause : err;
    ev.reason = `an activity failed: ${cause instanceof Error ? cause.message : String(cause)}`;
    if (ev.outcome === 'scored') ev.outcome = 'bench-failed';
  } finally {
    doneDrafting();
    if (ev.outcome !== 'scored') credit(state.providers, slot.provider, 0, ev.tokens);
    ev.atMs = Date.now() - state.startedMs;
    state.evaluations.push(ev);
    publish(search);
  }
}

/** An island (in turn), a parent and inspirations by the search's strategy, and the provider the bandit favours. */
function sample(search: Search, index: number): Sample {
  const { input, state } = search;
  const island = index % state.grids.length;
  const { parent, inspirations, feedback } = pickLineage(strategyOf(search), state, island, input.explore, Math.random);
  const providers = [...new Set(input.drafts.map((d) => d.provider))];
  const provider = pickProvider(providers, state.providers) as DraftSlotPlan['provider'];
  return { id: `p${index}`, island, parent, inspirations, feedback, slot: input.drafts.find((d) => d.provider === provider)! };
}

/** The strategy that picks parents; a search recorded before --strategy never asks (it had none) and evolves. */
function strategyOf({ input }: Search): SearchStrategy {
  return input.strategy && input.strategy !== 'evolve' && patched('ouro-evolve-strategy') ? input.strategy : 'evolve';
}

/** Counts the draft as spent and in flight (the budget reserves its worst case); the function returned ends the reservation, once. */
function reserveDraft(search: Search): () => void {
  search.state.spent.drafts++;
  search.draftsOut++;
  let drafting = true;
  return () => {
    if (drafting) search.draftsOut--;
    drafting = false;
  };
}

function readParent(search: Search, { parent, inspirations }: Sample): Promise<Read> {
  const { input, state } = search;
  return gitActivities<typeof EvolveActivities>(search, `read ${parent.id}`).readProgram({
    repo: input.repo,
    sha: parent.sha,
    files: input.files,
    inspirations: inspirations.map((i) => ({ id: i.id, sha: i.sha })),
    baseSha: state.baseSha,
  });
}

/** A change of the parent, shown its inspirations' diffs, the hints and the recent failures. */
function draftChild(search: Search, { id, parent, slot, feedback }: Sample, read: Read): Promise<DraftResult> {
  const { input, state } = search;
  const goal = mutationGoal(
    input.goal,
    parent,
    read.inspirations.map((i) => ({ program: programById(state, i.id), diff: i.diff })),
    input.metric,
  );
  const options = draftOptions(input.queues, input.timeouts, slot.provider);
  return activities<typeof DraftActivities>(options, `draft ${id} from ${parent.id} · ${slot.provider}`).draft({
    candidateId: id,
    slot,
    goal,
    files: read.files,
    allowed: input.files,
    hints: [...(state.hints ?? [])],
    feedback: feedback ? failuresShown(state.evaluations, parent.id) : [],
    maxReplyBytes: input.maxReplyBytes,
  });
}

/** The failures a draft is told of: the parent's own failed children first, in searches started after the rule. */
function failuresShown(evaluations: Evaluation[], parent: string) {
  return patched('ouro-evolve-parent-failures') ? recentFailures(evaluations, 4, parent) : recentFailures(evaluations);
}

function spend({ input, state }: Search, ev: Evaluation, slot: DraftSlotPlan, draft: DraftResult): void {
  ev.tokens = draft.promptTokens + draft.completionTokens;
  state.spent.tokens += ev.tokens;
  if (input.prices) state.spent.cost = (state.spent.cost ?? 0) + draftCost(input.prices[slot.model], draft.promptTokens, draft.completionTokens);
}

function applyDraft(search: Search, { id, parent, slot }: Sample, draft: DraftResult): Promise<Applied> {
  const { input } = search;
  return gitActivities<typeof WorkspaceActivities>(search, `apply ${id}`).applyCandidate({
    repo: input.repo,
    runId: search.evolveId,
    baseSha: parent.sha,
    candidateId: id,
    reply: draft.text,
    format: slot.editFormat,
    // Passed through from the recorded draft, never decided on: the workflow schedules the same activity (replay matches it by
    // type and id, not input), so no patch; a history's draft without it applies as before.
    ...(draft.editFormat ? { askedFormat: draft.editFormat } : {}),
    allowed: input.files,
    protectedPaths: input.protectedPaths,
    linkPaths: input.linkPaths,
    probes: search.probes,
  });
}

function fail(ev: Evaluation, outcome: Evaluation['outcome'], reason: string): void {
  ev.outcome = outcome;
  ev.reason = reason;
}

/** The scored program as a commit under the search's refs (what a promotion will build on). */
function keep(search: Search, { id, parent }: Sample, applied: Applied & { ok: true }, decision: string): Promise<Stored> {
  const { input, evolveId } = search;
  return gitActivities<typeof EvolveActivities>(search, `keep ${id}`).storeProgram({
    repo: input.repo,
    parentSha: parent.sha,
    tree: applied.tree!,
    ref: programRef(search, id),
    message: `ouro evolve ${evolveId}: ${id} from ${parent.id}, ${decision}\n`,
    timestampMs: Date.now(),
    files: input.files,
  });
}

interface Scored {
  applied: Applied & { ok: true };
  stored: Stored;
  measured: BenchRunResult;
  score: number;
  interval: Program['interval'];
}

/** The program into the archive (a new best is a search attribute), its provider credited with its gain. */
function admit(search: Search, { id, parent, island, slot }: Sample, ev: Evaluation, { applied, stored, measured, score, interval }: Scored): Program {
  const { input, state } = search;
  const program: Program = {
    id,
    parent: parent.id,
    island,
    generation: parent.generation + 1,
    sha: stored.sha,
    tree: applied.tree!,
    score,
    interval,
    features: {
      sizeBytes: stored.sizeBytes,
      diffLines: changedLines(applied.patch),
      ...withMetrics(metricFeatures(measured.samples, featureMetrics(input.features ?? []))),
    },
    provider: slot.provider,
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
  credit(state.providers, slot.provider, program.score - bestBefore, ev.tokens);
  return program;
}

function withMetrics(metrics: Record<string, number> | undefined): { metrics?: Record<string, number> } {
  return metrics ? { metrics } : {};
}
