// Search efficiency: how many evaluations does each strategy need to reach a
// known optimum? Targets whose programs have a "level" (the optimum is known),
// and ONE scripted mutation model for every strategy: a
// draft from a program at level L is broken (tests fail) with p=0.25, stays at
// L with 0.3, falls back one level with 0.15, and climbs with 0.3: by one
// level mostly, by k levels with weight 0.35^(k-1), as a model that sometimes
// leaps would. A draft from the base is the same model applied to level 0, so
// no strategy is helped by a mutation model of its own. Two targets: smooth
// (one approach, every better program a step to the optimum: speed 1.3^level)
// and deceptive (the obvious approach tops out halfway; another approach scores
// worse until near its top, where the optimum is). Four strategies, each on the
// same seeds:
//   evolve  — Ouro's archive and sampler (core/evolve: islands, MAP-Elites,
//             rank-weighted parents with exploration, migration);
//   greedy  — a hill-climber: always mutate the best program so far;
//   sampling — independent drafts from the base, the best kept;
//   loop    — `ouro run`: drafts from the base until the first that passes.
// Prints the median evaluations to the optimum over the seeds with a 95%
// interval (order statistics), or "never" within the cap.
// Run: npm run bench:evolve-search [-- --seeds 25 --levels 6]
import { insertProgram, migrate, newArchive } from '../core/evolve/archive.js';
import { pickParent, seeded, type Random } from '../core/evolve/sampling.js';
import type { Program } from '../core/evolve/types.js';
import { median } from '../core/stats/bench-stats.js';

const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || dflt;
const seeds = arg('seeds', 25);
const levels = arg('levels', 6);
const cap = arg('cap', 2000);

/** Where a program stands: how far along its approach it is, and which approach it takes. */
interface Standing {
  level: number;
  approach: 'obvious' | 'other';
}

/** A target: what a draft from a program gives, what a program scores, where it sits in the grid. */
interface Landscape {
  name: string;
  describe: string;
  mutate(from: Standing, random: Random): Standing | undefined;
  score(at: Standing): number;
  optimal(at: Standing): boolean;
  /** Code size: a program of the other approach is a different program, and looks it. */
  sizeBytes(at: Standing, random: Random): number;
}

/** How far a climbing draft goes: 1 level, or k with weight 0.35^(k-1). */
function climb(random: Random): number {
  let k = 1;
  while (random() < 0.35) k++;
  return k;
}

/** The one mutation model: broken 0.25, same level 0.3, one back 0.15, climbs 0.3, up to `top`. */
function step(level: number, top: number, random: Random): number | undefined {
  const r = random();
  if (r < 0.25) return undefined;
  if (r < 0.55) return Math.min(top, level + climb(random));
  if (r < 0.85) return level;
  return Math.max(0, level - 1);
}

/** One approach, climbing to the optimum: every better program is a step towards it. */
const smooth: Landscape = {
  name: 'smooth',
  describe: `one approach, levels 0..${levels}, speed 1.3^level`,
  mutate: (from, random) => {
    const level = step(from.level, levels, random);
    return level === undefined ? undefined : { level, approach: 'obvious' };
  },
  score: (at) => 1.3 ** at.level,
  optimal: (at) => at.level === levels,
  sizeBytes: (at, random) => Math.round(1000 * (1 + 0.15 * (at.level - 2) + 0.1 * random())),
};

/**
 * Two approaches: the obvious one tops out halfway (a local optimum); the other starts far slower
 * and only beats that plateau near its own top, where the optimum is. A draft rewrites the program
 * in the other approach with p=0.1 (starting it at its level 0).
 */
const plateau = Math.floor(levels / 2);
const deceptive: Landscape = {
  name: 'deceptive',
  describe: `the obvious approach stops at level ${plateau} (${(1.3 ** plateau).toFixed(2)}×); the other scores 1.3^(2·level − ${levels}) up to the optimum`,
  mutate: (from, random) => {
    if (random() < 0.1) return random() < 0.25 ? undefined : { level: 0, approach: from.approach === 'obvious' ? 'other' : 'obvious' };
    const level = step(from.level, from.approach === 'obvious' ? plateau : levels, random);
    return level === undefined ? undefined : { level, approach: from.approach };
  },
  score: (at) => (at.approach === 'obvious' ? 1.3 ** at.level : 1.3 ** (2 * at.level - levels)),
  optimal: (at) => at.approach === 'other' && at.level === levels,
  sizeBytes: (at, random) => Math.round((at.approach === 'obvious' ? 1000 : 2600) * (1 + 0.1 * at.level + 0.1 * random())),
};

const START: Standing = { level: 0, approach: 'obvious' };

/** Ouro's archive and sampler: the evaluations to the optimum. */
function evolve(land: Landscape, seed: number): number {
  const random = seeded(seed);
  const standing = new Map<string, Standing>([['base', START]]);
  const base: Program = {
    id: 'base',
    island: 0,
    generation: 0,
    sha: '',
    tree: '',
    score: land.score(START),
    features: { sizeBytes: 1000, diffLines: 0 },
    provider: '-',
    tokens: 0,
  };
  const state = newArchive(base, 3, 0);
  for (let n = 1; n <= cap; n++) {
    const island = n % 3;
    const parent = pickParent(state, island, 0.2, random);
    const child = land.mutate(standing.get(parent.id)!, random);
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
      standing.set(`p${n}`, child);
      const features = { sizeBytes: land.sizeBytes(child, random), diffLines: Math.floor(random() * 40) };
      insertProgram(state, { ...base, id: `p${n}`, parent: parent.id, island, generation: parent.generation + 1, score: land.score(child), features });
      if (land.optimal(child)) return n;
    }
    if (n % 10 === 0) migrate(state);
  }
  return Infinity;
}

/** A hill-climber: always mutate the best program so far (the latest of equals). */
function greedy(land: Landscape, seed: number): number {
  const random = seeded(seed);
  let best = START;
  for (let n = 1; n <= cap; n++) {
    const child = land.mutate(best, random);
    if (child === undefined) continue;
    if (land.optimal(child)) return n;
    if (land.score(child) >= land.score(best)) best = child;
  }
  return Infinity;
}

/** Independent drafts from the base, the best kept. */
function sampling(land: Landscape, seed: number): number {
  const random = seeded(seed);
  for (let n = 1; n <= cap; n++) {
    const child = land.mutate(START, random);
    if (child && land.optimal(child)) return n;
  }
  return Infinity;
}

/** The plain loop stops at the first draft that passes and beats the base: the level it stopped at. */
function loop(land: Landscape, seed: number): Standing {
  const random = seeded(seed);
  for (let n = 1; n <= cap; n++) {
    const child = land.mutate(START, random);
    if (child && land.score(child) > land.score(START)) return child;
  }
  return START;
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** The median and a distribution-free 95% interval for it (binomial order statistics). */
function medianWithInterval(xs: number[]): { median: number; low: number; high: number; reached: number } {
  // A seed that never reached the optimum sorts last (Infinity), so a median past it reads 'never'.
  const sorted = [...xs].sort((a, b) => a - b);
  const n = sorted.length;
  // The largest j with P(Binomial(n, 1/2) < j) ≤ 2.5%: [x(j), x(n-j+1)] covers the median with ≥ 95%.
  let lowRank = 0;
  let cumulative = 0;
  for (let j = 0; j <= n; j++) {
    cumulative += binomial(n, j) / 2 ** n;
    if (cumulative > 0.025) break;
    lowRank = j + 1;
  }
  const at = (rank: number) => sorted[Math.min(n, Math.max(1, rank)) - 1]!;
  return { median: median(sorted), low: at(lowRank), high: at(n - lowRank + 1), reached: xs.filter(Number.isFinite).length };
}

const runs = Array.from({ length: seeds }, (_, i) => 1000 + i);
const show = (x: number) => (Number.isFinite(x) ? String(x) : 'never');
const figures: Record<string, unknown> = { seeds, levels, cap };
for (const land of [smooth, deceptive]) {
  const arms = { evolve: runs.map((s) => evolve(land, s)), greedy: runs.map((s) => greedy(land, s)), sampling: runs.map((s) => sampling(land, s)) };
  const summary = Object.fromEntries(Object.entries(arms).map(([name, xs]) => [name, medianWithInterval(xs)]));
  const stops = runs.map((s) => loop(land, s));
  figures[land.name] = { ...summary, loopReachedOptimum: stops.filter((s) => land.optimal(s)).length };
  console.log(`\n${land.name}: ${land.describe}. Evaluations to the optimum over ${seeds} seeds: median [95% interval] (seeds that reached it within ${cap})`);
  for (const [name, s] of Object.entries(summary))
    console.log(`  ${name.padEnd(8)} ${show(s.median).padStart(6)}  [${show(s.low)}–${show(s.high)}]  (${s.reached}/${seeds})`);
  console.log(`  loop     stops at its first passing, faster draft: the optimum in ${stops.filter((s) => land.optimal(s)).length}/${seeds}`);
}
console.log(`\n${JSON.stringify(figures)}`);
