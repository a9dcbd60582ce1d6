import { cellKey, DEFAULT_DIMS, type FeatureDim } from './features.js';
import type { EvolveState, Features, Program, SearchStrategy } from './types.js';

// The archive: islands, each a MAP-Elites grid (one elite per cell of binned
// features), plus the best program ever. Pure: the workflow and the search
// benchmark share it.

/** The program's cell in this search's grid. */
export function cellOf(state: Pick<EvolveState, 'baseSizeBytes' | 'dims'>, f: Features): string {
  return cellKey(f, state.baseSizeBytes, state.dims ?? DEFAULT_DIMS);
}

export function programById(state: EvolveState, id: string): Program {
  const p = state.programs.find((x) => x.id === id);
  if (!p) throw new Error(`no program ${id} in the archive`);
  return p;
}

/** Files a scored program: it becomes its cell's elite when better than the one there; the best-ever is kept apart. */
export function insertProgram(state: EvolveState, program: Program): { elite: boolean; newBest: boolean } {
  state.programs.push(program);
  const grid = state.grids[program.island]!;
  const cell = cellOf(state, program.features);
  const current = grid[cell] ? programById(state, grid[cell]) : undefined;
  const elite = !current || program.score > current.score;
  if (elite) grid[cell] = program.id;
  const newBest = program.score > programById(state, state.bestId).score;
  if (newBest) state.bestId = program.id;
  return { elite, newBest };
}

/** The elites of one island, best first. */
export function elites(state: EvolveState, island: number): Program[] {
  return Object.values(state.grids[island] ?? {})
    .map((id) => programById(state, id))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

/** Migration: each island's best elite also enters the next island's grid (ring order). */
export function migrate(state: EvolveState): number {
  let moved = 0;
  const n = state.grids.length;
  const bests = state.grids.map((_, i) => elites(state, i)[0]);
  bests.forEach((best, i) => {
    if (!best) return;
    const target = state.grids[(i + 1) % n]!;
    const cell = cellOf(state, best.features);
    const there = target[cell] ? programById(state, target[cell]) : undefined;
    if (!there || best.score > there.score) {
      target[cell] = best.id;
      moved++;
    }
  });
  return moved;
}

/** A fresh archive holding the base in every island. */
export function newArchive(
  base: Program,
  islands: number,
  startedMs: number,
  objective: { dims?: FeatureDim[]; metric?: string; strategy?: SearchStrategy } = {},
): EvolveState {
  const cell = cellKey(base.features, base.features.sizeBytes, objective.dims ?? DEFAULT_DIMS);
  return {
    startedMs,
    programs: [base],
    evaluations: [],
    grids: Array.from({ length: islands }, () => ({ [cell]: base.id })),
    bestId: base.id,
    promoted: [],
    spent: { drafts: 0, tokens: 0 },
    providers: {},
    baseTree: base.tree,
    baseSha: base.sha,
    baseSizeBytes: base.features.sizeBytes,
    ...(objective.dims ? { dims: objective.dims } : {}),
    ...(objective.metric ? { metric: objective.metric } : {}),
    ...(objective.strategy ? { strategy: objective.strategy } : {}),
  };
}
