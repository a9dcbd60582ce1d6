// rankFiles: which files of the repository matter to this goal, best first, each with its reasons.

import type { MapFocus, RankedFile, RepoMap } from '../contracts/repo-map.js';
import { buildReferenceGraph, personalisedPageRank } from './graph.js';
import { SEED_WEIGHTS, seedFiles, type SeedWeights } from './seeds.js';

/**
 * The ranking's few numbers, measured by bench/localise.ts (docs/figures.md) and kept apart so a
 * bench can try others. graphShare: how much of a score is the reference graph's (rank flowing from
 * the seeded files to the files they use) against the seeds' own evidence. Mostly the seeds: the
 * graph alone favours hubs every file imports; a tenth of it still lifts the module a seeded file
 * leans on. declarationFactor: a declaration file (.d.ts, .pyi) describes code that lives elsewhere,
 * where a fix goes, so its score is scaled down.
 */
export interface RankTuning {
  graphShare: number;
  declarationFactor: number;
  seeds: SeedWeights;
}

export const DEFAULT_TUNING: RankTuning = { graphShare: 0.1, declarationFactor: 0.5, seeds: SEED_WEIGHTS };
const DECLARATION_FILE = /\.(d\.[cm]?ts|pyi)$/;
const MAX_REASONS = 4;

export function rankFiles(map: RepoMap, focus: MapFocus, tuning: RankTuning = DEFAULT_TUNING): RankedFile[] {
  const files = map.files;
  if (files.length === 0) return [];
  const seeds = seedFiles(files, focus, tuning.seeds);
  const graph = buildReferenceGraph(files, seeds.emphasised);
  const rank = personalisedPageRank(graph, seeds.weights);
  const seedTotal = seeds.weights.reduce((a, b) => a + b, 0);
  const scores = files.map(
    (f, i) =>
      (tuning.graphShare * rank[i]! + (1 - tuning.graphShare) * (seedTotal > 0 ? seeds.weights[i]! / seedTotal : 0)) *
      (DECLARATION_FILE.test(f.path) ? tuning.declarationFactor : 1),
  );

  const reasons = seeds.reasons.map((r) => [...r]);
  for (const [i, reason] of strongestReferrers(
    graph.edges,
    rank,
    seeds.weights,
    files.map((f) => f.path),
  ))
    reasons[i]!.push(reason);

  const named = new Set(focus.files);
  return files
    .map((f, i) => ({ path: f.path, score: scores[i]!, reasons: reasons[i]!.slice(0, MAX_REASONS) }))
    .sort((a, b) => Number(named.has(b.path)) - Number(named.has(a.path)) || b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** For each file that a seeded file uses, the seeded file that passes it the most rank, in words. */
function strongestReferrers(
  edges: readonly { to: number; weight: number; via: string }[][],
  rank: readonly number[],
  seedWeights: readonly number[],
  paths: readonly string[],
): Map<number, string> {
  const best = new Map<number, { flow: number; from: number; via: string }>();
  edges.forEach((out, from) => {
    if (seedWeights[from] === 0) return;
    const total = out.reduce((a, e) => a + e.weight, 0);
    for (const e of out) {
      const flow = (rank[from]! * e.weight) / total;
      const current = best.get(e.to);
      if (!current || flow > current.flow) best.set(e.to, { flow, from, via: e.via });
    }
  });
  return new Map([...best].map(([to, b]) => [to, `${paths[b.from]} uses its ${b.via}`]));
}
