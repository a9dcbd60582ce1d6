// Search efficiency: how many evaluations does each strategy need to reach a
// known optimum? A target whose programs have a "level" 0..K (the optimum is
// K; speed 1.3^level), and a scripted mutation model: a draft from a parent at
// level L lands at L+1 with p=0.3, stays with 0.3, falls back with 0.15 and is
// broken (tests fail) with 0.25; a draft from scratch (the base) jumps to
// level j with probability ∝ 0.35^j, as an unguided model would. Three
// strategies, each on the same seeds:
//   evolve  — Ouro's archive and sampler (core/evolve: islands, MAP-Elites,
//             rank-weighted parents with exploration, migration);
//   random  — independent drafts from the base, the best kept;
//   loop    — `ouro run`: drafts from the base until the first that passes.
// Prints the median evaluations to the optimum over the seeds (or "never"
// within the cap). Run: npm run bench:evolve-search [-- --seeds 25 --levels 6]
import { insertProgram, migrate, newArchive } from '../core/evolve/archive.js';
import { pickParent, seeded, type Random } from '../core/evolve/sampling.js';
import type { Program } from '../core/evolve/types.js';
import { median } from '../core/stats/bench-stats.js';

const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || dflt;
const seeds = arg('seeds', 25);
const levels = arg('levels', 6);
const cap = arg('cap', 2000);
const score = (level: number) => 1.3 ** level;

/** A mutation of a parent at `level`: the new level, or undefined when the program is broken. */
function mutate(level: number, random: Random): number | undefined {
  const r = random();
  if (r < 0.25) return undefined;
  if (r < 0.55) return Math.min(levels, level + 1);
  if (r < 0.85) return level;
  return Math.max(0, level - 1);
}

/** A draft from the base by a model without a parent to build on. */
function fromScratch(random: Random): number | undefined {
  if (random() < 0.25) return undefined;
  const weights = Array.from({ length: levels + 1 }, (_, j) => 0.35 ** j);
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let j = 0; j <= levels; j++) {
    r -= weights[j]!;
    if (r <= 0) return j;
  }
  return levels;
}

function evolve(seed: number): number {
  const random = seeded(seed);
  const level = new Map<string, number>([['base', 0]]);
  const base: Program = {
    id: 'base',
    island: 0,
    generation: 0,
    sha: '',
    tree: '',
    score: 1,
    features: { sizeBytes: 1000, diffLines: 0 },
    provider: '-',
    tokens: 0,
  };
  const state = newArchive(base, 3, 0);
  for (let n = 1; n <= cap; n++) {
    const island = n % 3;
    const parent = pickParent(state, island, 0.2, random);
    const child = mutate(level.get(parent.id)!, random);
    state.evaluations.push({
      index: n,
      programId: `p${n}`,
      parent: parent.id,
      island,
      provider: 'sim',
      outcome: child === undefined ? 'tests-failed' : 'scored',
      tokens: 0,
      atMs: 0,
    });
    if (child !== undefined) {
      level.set(`p${n}`, child);
      // Size and diff vary with the change, so programs spread over the grid's cells.
      const features = { sizeBytes: Math.round(1000 * (1 + 0.15 * (child - 2) + 0.1 * random())), diffLines: Math.floor(random() * 40) };
      insertProgram(state, { ...base, id: `p${n}`, parent: parent.id, island, generation: parent.generation + 1, score: score(child), features });
      if (child === levels) return n;
    }
    if (n % 10 === 0) migrate(state);
  }
  return Infinity;
}

function random(seed: number): number {
  const r = seeded(seed);
  for (let n = 1; n <= cap; n++) if (fromScratch(r) === levels) return n;
  return Infinity;
}

/** The plain loop stops at the first passing draft: the evaluations it took, and the level it stopped at. */
function loop(seed: number): { evaluations: number; level: number } {
  const r = seeded(seed);
  for (let n = 1; n <= cap; n++) {
    const l = fromScratch(r);
    if (l !== undefined && l > 0) return { evaluations: n, level: l };
  }
  return { evaluations: cap, level: 0 };
}

const runs = Array.from({ length: seeds }, (_, i) => 1000 + i);
const e = runs.map(evolve);
const rs = runs.map(random);
const lp = runs.map(loop);
const med = (xs: number[]) => {
  const finite = xs.filter(Number.isFinite);
  return finite.length < xs.length / 2 ? Infinity : median(xs.map((x) => (Number.isFinite(x) ? x : cap * 10)));
};
const figures = {
  seeds,
  levels,
  cap,
  evolveMedianEvaluations: med(e),
  evolveReached: e.filter(Number.isFinite).length,
  randomMedianEvaluations: med(rs),
  randomReached: rs.filter(Number.isFinite).length,
  loopReachedOptimum: lp.filter((x) => x.level === levels).length,
  loopMedianStopLevel: median(lp.map((x) => x.level)),
  ratio: Number((med(e) / med(rs)).toFixed(3)),
};
console.log(JSON.stringify(figures));
console.log(
  `to the optimum (level ${levels}, ${score(levels).toFixed(2)}× the base), median over ${seeds} seeds: evolve ${figures.evolveMedianEvaluations} evaluations (${figures.evolveReached}/${seeds} reached it within ${cap}), random sampling ${Number.isFinite(figures.randomMedianEvaluations) ? figures.randomMedianEvaluations : 'never'} (${figures.randomReached}/${seeds}); evolve/random = ${figures.ratio}. The plain loop stops at its first passing draft: median level ${figures.loopMedianStopLevel}, the optimum in ${figures.loopReachedOptimum}/${seeds}`,
);
