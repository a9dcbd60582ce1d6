import type { EvolveState, Features, Program } from './types.js';

// The archive: islands, each a MAP-Elites grid (one elite per cell of binned
// features), plus the best program ever. Pure: the workflow and the search
// benchmark share it.

/** Code size relative to the base, in bins of ×1.25 (… 0.8–1, 1–1.25, …); diff size in coarse bins. */
export function cellOf(f: Features, baseSizeBytes: number): string {
  const ratio = Math.max(1e-6, f.sizeBytes / Math.max(1, baseSizeBytes));
  const sizeBin = Math.max(-8, Math.min(8, Math.floor(Math.log(ratio) / Math.log(1.25))));
  const diffBin = f.diffLines <= 5 ? 0 : f.diffLines <= 20 ? 1 : f.diffLines <= 60 ? 2 : 3;
  return `s${sizeBin}:d${diffBin}`;
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
  const cell = cellOf(program.features, state.baseSizeBytes);
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
    const cell = cellOf(best.features, state.baseSizeBytes);
    const there = target[cell] ? programById(state, target[cell]) : undefined;
    if (!there || best.score > there.score) {
      target[cell] = best.id;
      moved++;
    }
  });
  return moved;
}

/** A fresh archive holding the base in every island. */
export function newArchive(base: Program, islands: number, startedMs: number): EvolveState {
  const cell = cellOf(base.features, base.features.sizeBytes);
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
  };
}
