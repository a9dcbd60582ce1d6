// What the git queue's evolve activities are asked and answer: a program read
// (its files, and what the inspirations changed), a scored program kept as a
// commit, a program promoted onto the evolve branch.
import type { FileSnapshot } from './draft-context.js';

export interface ReadProgramRequest {
  repo: string;
  sha: string;
  files: string[];
  /** Programs whose change against the base the model is shown. */
  inspirations: Array<{ id: string; sha: string }>;
  baseSha: string;
}

export interface ReadProgramResult {
  files: FileSnapshot[];
  inspirations: Array<{ id: string; diff: string }>;
}

export interface StoreProgramRequest {
  repo: string;
  parentSha: string;
  tree: string;
  /** refs/ouro/evolve/<evolve id>/<program id> */
  ref: string;
  message: string;
  timestampMs: number;
  files: string[];
}

export interface PromoteRequest {
  repo: string;
  branch: string;
  /** Where the branch starts when it does not exist yet. */
  baseSha: string;
  tree: string;
  message: string;
  /** Names the program in the commit's trailers: a retry finds its own commit instead of making another. */
  programTrailer: string;
  timestampMs: number;
}
