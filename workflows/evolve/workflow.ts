import { CancellationScope, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import type * as WorkspaceActivities from '../../activities/git/workspace.js';
import { migrate, programById } from '../../core/evolve/archive.js';
import { budgetAllows, draftCost } from '../../core/evolve/sampling.js';
import type { EvolveInput, EvolveResult, EvolveState } from '../../core/evolve/types.js';
import { measureBase } from './base.js';
import { iterate } from './iteration.js';
import { gitActivities, listen, openSearch, publish, type Carried, type Search } from './search.js';

/** History events after which the search drains its iterations and continues as new. */
const HISTORY_BUDGET = 10_000;

/**
 * An evolutionary search (docs/evolve.md): the base is tested and measured; then, `parallel` at a time
 * until the budget or a stop, one iteration per program (iteration.ts): pick an island, a parent and
 * inspirations → draft a change of the parent → apply → quick test → tests (held to the base's) →
 * benchmark against the base = the score → keep the program as a commit → if it beats the champion by
 * the gate, promote it onto the evolve branch.
 */
export async function EvolveWorkflow(input: EvolveInput, carried?: Carried): Promise<EvolveResult> {
  const id = { input, evolveId: workflowInfo().workflowId };
  const heard = listen();
  // ---- the base: green tests and a benchmark that runs, once for the whole search ----
  const search = openSearch(id, heard, carried ?? (await measureBase(id)));
  let flight: Flight;
  try {
    // ---- the search: `parallel` iterations in flight until the budget, a stop, or a long history ----
    flight = await searchUntilDone(search);
    if (flight.longHistory && !flight.stopReason) {
      // Drained: nothing in flight is lost, and the next run picks up the archive as it is.
      const { state, baseCounts, probes } = search;
      await continueAsNew<typeof EvolveWorkflow>(input, { state, baseCounts, probes });
    }
  } finally {
    await CancellationScope.nonCancellable(() =>
      gitActivities<typeof WorkspaceActivities>(search, 'clean up workspaces').cleanupRun({ repo: input.repo, runId: search.evolveId }),
    ).catch(() => undefined);
  }
  return report(search, flight.stopReason);
}

/** The iterations in flight, the next program's number, and why the search ends (if it does). */
interface Flight {
  running: Set<Promise<void>>;
  next: number;
  stopReason?: string;
  longHistory: boolean;
}

/** `parallel` iterations in flight, a pause waited out with none, migrations between islands, until the search ends or drains. */
async function searchUntilDone(search: Search): Promise<Flight> {
  const { state, status, requested } = search;
  const flight: Flight = { running: new Set(), next: state.evaluations.length + 1, longHistory: false };
  const { running } = flight;
  for (;;) {
    if (requested.pause && !requested.stop && running.size === 0) {
      status.phase = 'paused';
      publish(search);
      await condition(() => !requested.pause || requested.stop !== undefined);
      status.phase = 'searching';
    }
    startIterations(search, flight);
    status.running = running.size;
    publish(search);
    if (running.size === 0) {
      // Paused with nothing in flight: wait at the top of the loop, not end.
      if (requested.pause && !requested.stop && !flight.stopReason && !flight.longHistory) continue;
      return flight;
    }
    const before = state.evaluations.length;
    await Promise.race(running);
    afterAnIteration(search, flight, before);
  }
}

/** New iterations up to `parallel`, while the budget allows (each draft in flight counted at its worst case) and nothing stops the search. */
function startIterations(search: Search, flight: Flight): void {
  const { input, state, requested } = search;
  const worst = worstDraft(input, state);
  while (!flight.stopReason && !flight.longHistory && !(requested.pause && !requested.stop) && flight.running.size < input.parallel) {
    const allowed = requested.stop
      ? ({ ok: false, reason: requested.stop } as const)
      : budgetAllows(input.budget, state.spent, search.draftsOut, worst.tokens, Date.now() - state.startedMs, worst.cost);
    if (!allowed.ok) {
      stopping(search, flight, allowed.reason);
      break;
    }
    const p: Promise<void> = iterate(search, flight.next++).finally(() => flight.running.delete(p));
    flight.running.add(p);
  }
}

/** Islands exchange their best every `migrateEvery` evaluations; a long history or a stop ends the starting of new ones. */
function afterAnIteration(search: Search, flight: Flight, before: number): void {
  const { input, state, requested } = search;
  if (input.migrateEvery > 0 && Math.floor(state.evaluations.length / input.migrateEvery) > Math.floor(before / input.migrateEvery)) migrate(state);
  const info = workflowInfo();
  flight.longHistory ||= info.continueAsNewSuggested || info.historyLength > (input.historyBudget ?? HISTORY_BUDGET);
  if (requested.stop && !flight.stopReason) stopping(search, flight, requested.stop);
}

function stopping(search: Search, flight: Flight, reason: string): void {
  flight.stopReason = reason;
  search.status.phase = 'stopping';
}

/** A draft's worst case, which the budget reserves while it is in flight: the largest output cap on a prompt estimated from the base's size. */
function worstDraft(input: EvolveInput, state: EvolveState): { tokens: number; cost: number } {
  const promptEstimate = Math.ceil(state.baseSizeBytes / 2) + 2000;
  return {
    tokens: Math.max(...input.drafts.map((d) => d.maxOutputTokens)) + promptEstimate,
    cost: Math.max(0, ...input.drafts.map((d) => draftCost(input.prices?.[d.model], promptEstimate, d.maxOutputTokens))),
  };
}

function report(search: Search, stopReason: string | undefined): EvolveResult {
  const { state, status } = search;
  status.phase = 'done';
  status.stopReason = stopReason;
  publish(search);
  const best = programById(state, state.bestId);
  return {
    best: { id: best.id, score: best.score, sha: best.sha },
    promoted: state.promoted,
    evaluations: state.evaluations.length,
    spent: state.spent,
    stopReason: stopReason ?? 'done',
    branch: search.branch,
  };
}
