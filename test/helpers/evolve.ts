import type { Program } from '../../core/evolve/types.js';

/** The base program of a search over a 1,000-byte file: score 1, generation 0. */
export const BASE_PROGRAM: Program = {
  id: 'base',
  island: 0,
  generation: 0,
  sha: 'a',
  tree: 't',
  score: 1,
  features: { sizeBytes: 1000, diffLines: 0 },
  provider: '-',
  tokens: 0,
};
