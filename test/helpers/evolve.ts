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

/** A program of the search (generation 1, a 1,000-byte file changed by 10 lines, drafted on gpu); `over` sets the rest. */
export const program = (id: string, score: number, over: Partial<Program> = {}): Program => ({
  id,
  island: 0,
  generation: 1,
  sha: id.padEnd(40, '0'),
  tree: id.padEnd(40, '1'),
  score,
  features: { sizeBytes: 1000, diffLines: 10 },
  provider: 'gpu',
  tokens: 100,
  ...over,
});
