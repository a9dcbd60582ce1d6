import { elites, programById } from './archive.js';
import { mulberry32 } from '../stats/seeded-random.js';
import type { EvolveBudget, EvolveState, Program, ProviderStats, SearchStrategy } from './types.js';

// Who drafts next, from what, and whether the budget allows it. Pure, with the
// randomness passed in: inside the workflow it is Temporal's seeded
// Math.random; in the search benchmark a seeded generator.

export type Random = () => number;

/** A seeded generator for benchmarks and tests: the statistics' own mulberry32. */
export const seeded: (seed: number) => Random = mulberry32;

/**
 * A parent from one island: with probability `explore` any elite alike; otherwise by rank, the best
 * weighted most (weight 1/(rank+1)), so a lucky outlier does not take every draft.
 */
export function pickParent(state: EvolveState, island: number, explore: number, random: Random): Program {
  const pool = elites(state, island);
  if (pool.length === 0) throw new Error(`island ${island} has no program`);
  if (random() < explore) return pool[Math.floor(random() * pool.length)]!;
  const weights = pool.map((_, rank) => 1 / (rank + 1));
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < pool.length; i++) {
    r -= weights[i]!;
    if (r <= 0) return pool[i]!;
  }
  return pool.at(-1)!;
}

/** Inspirations: the best programs of the whole archive and one from another cell, never the parent itself. */
export function pickInspirations(state: EvolveState, parent: Program, count: number, random: Random): Program[] {
  const scored = state.programs.filter((p) => p.id !== parent.id).sort((a, b) => b.score - a.score);
  const top = scored.slice(0, Math.max(0, count - 1));
  const rest = scored.slice(top.length);
  const diverse = rest.length ? [rest[Math.floor(random() * rest.length)]!] : [];
  return [...top, ...diverse].slice(0, count);
}

/** What one draft is made from under a strategy: its parent, the programs shown beside it, whether failures travel as feedback. */
export interface Lineage {
  parent: Program;
  inspirations: Program[];
  feedback: boolean;
}

/**
 * The parent and inspirations by strategy. `evolve`: the archive's sampler. `greedy`: always the best
 * program so far, nothing else shown (the failures of its last tries do travel: a hill-climber
 * retrying one program learns what broke). `sample`: always the base, nothing shown, no feedback,
 * so each draft is independent of every other. Only `evolve` draws from `random`.
 */
export function pickLineage(strategy: SearchStrategy, state: EvolveState, island: number, explore: number, random: Random): Lineage {
  if (strategy === 'greedy') return { parent: programById(state, state.bestId), inspirations: [], feedback: true };
  if (strategy === 'sample') return { parent: programById(state, 'base'), inspirations: [], feedback: false };
  const parent = pickParent(state, island, explore, random);
  return { parent, inspirations: pickInspirations(state, parent, 2, random), feedback: true };
}

/** Round-robin over islands by evaluation count: each island gets its turn. */
export function nextIsland(state: EvolveState): number {
  return state.evaluations.length % state.grids.length;
}

/** The draft slot (provider) to use next: UCB1 on improvement per 1,000 tokens; an untried one first. */
export function pickProvider(providers: string[], stats: Record<string, ProviderStats>, c = 1.0): string {
  const untried = providers.find((p) => !stats[p]?.pulls);
  if (untried) return untried;
  const total = providers.reduce((n, p) => n + stats[p]!.pulls, 0);
  let best = providers[0]!;
  let bestValue = -Infinity;
  for (const p of providers) {
    const s = stats[p]!;
    const value = s.reward / s.pulls + c * Math.sqrt(Math.log(total) / s.pulls);
    if (value > bestValue) {
      bestValue = value;
      best = p;
    }
  }
  return best;
}

/** Credits a provider with the best score's gain its draft made, per 1,000 tokens. */
export function credit(stats: Record<string, ProviderStats>, provider: string, gain: number, tokens: number): void {
  const s = (stats[provider] ??= { pulls: 0, reward: 0, tokens: 0 });
  s.pulls++;
  s.tokens += tokens;
  s.reward += Math.max(0, gain) / Math.max(1, tokens / 1000);
}

/**
 * Whether another draft may start. `spent.drafts` counts every draft started (in flight included);
 * tokens are known only when a draft returns, so each draft still out is reserved at its worst case:
 * the search stops at the budget and never past it. Hours count from the start.
 */
export function budgetAllows(
  budget: EvolveBudget,
  spent: { drafts: number; tokens: number; cost?: number },
  draftsOut: number,
  worstTokensPerDraft: number,
  elapsedMs: number,
  worstCostPerDraft = 0,
): { ok: true } | { ok: false; reason: string } {
  if (budget.maxDrafts !== undefined && spent.drafts + 1 > budget.maxDrafts) return { ok: false, reason: `the draft budget (${budget.maxDrafts}) is spent` };
  if (budget.maxTokens !== undefined && spent.tokens + (draftsOut + 1) * worstTokensPerDraft > budget.maxTokens)
    return { ok: false, reason: `the token budget (${budget.maxTokens}) leaves no room for another draft` };
  if (budget.maxCost !== undefined && (spent.cost ?? 0) + (draftsOut + 1) * worstCostPerDraft > budget.maxCost)
    return { ok: false, reason: `the cost budget ($${budget.maxCost}) leaves no room for another draft` };
  if (budget.maxHours !== undefined && elapsedMs >= budget.maxHours * 3_600_000)
    return { ok: false, reason: `the time budget (${budget.maxHours} h) is spent` };
  return { ok: true };
}

/** What a draft cost in US dollars, by its model's price per million tokens. */
export function draftCost(price: { input: number; output: number } | undefined, promptTokens: number, completionTokens: number): number {
  return price ? (promptTokens * price.input + completionTokens * price.output) / 1e6 : 0;
}
