import type { RunTarget } from '../contracts/target.js';

// An evolutionary search over code (README, "Keep improving: ouro evolve"):
// a population of programs, each a commit kept under refs/ouro/evolve/<id>/,
// scored by the performance gate against the base; workflow history holds only
// ids, scores and features.

export interface EvolveBudget {
  /** Drafts started, counting those in flight: the search never starts one past this. */
  maxDrafts?: number;
  /** Tokens spent, counting each in-flight draft at its worst case (prompt estimate + its output cap). */
  maxTokens?: number;
  /** Wall hours from the start (no evaluation starts after it). */
  maxHours?: number;
  /** US dollars, by the models' prices (each draft out reserved at its worst case). */
  maxCost?: number;
}

/** US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/**
 * How parents are chosen: `evolve` the archive's sampler (islands, rank-weighted elites,
 * inspirations); `greedy` a hill-climber that always mutates the best program so far; `sample`
 * independent drafts, each from the base, shown nothing of the others.
 */
export const SEARCH_STRATEGIES = ['evolve', 'greedy', 'sample'] as const;
export type SearchStrategy = (typeof SEARCH_STRATEGIES)[number];

/** `size`: bytes of the changeable files vs the base; `diff`: lines changed vs the parent; `metric:<name>`: a benchmark metric vs the base. */
export type FeatureDim = 'size' | 'diff' | `metric:${string}`;

/** A search: the target a run acts on too (core/contracts/target.ts), scored by its benchmark, and the search's own settings. */
export interface EvolveInput extends RunTarget {
  benchCommand: string;
  /** A quick check run before the full tests (a cascade: cheap failures never reach the tests or the benchmark). */
  quickTestCommand?: string;
  /** A program must beat the current best by more than this (0.02 = 2%) for the gate to promote it. */
  margin: number;
  parallel: number;
  budget: EvolveBudget;
  islands: number;
  /** Evaluations between migrations (each island's best copied to the next). */
  migrateEvery: number;
  /** The share of parents drawn uniformly from an island's elites rather than by fitness. */
  explore: number;
  /** How parents are chosen (absent: evolve, as every search before the flag). */
  strategy?: SearchStrategy;
  /** Seeds the sampler, so a search can be replayed in a benchmark (workflows draw from Temporal's seeded random). */
  seed?: number;
  /** History events after which the search drains and continues as new (tests set it low). */
  historyBudget?: number;
  /** The benchmark metric the search maximises (its improvement over the base); absent: the benchmark's first metric. */
  metric?: string;
  /** The MAP-Elites grid's dimensions; absent: code size and diff size. */
  features?: FeatureDim[];
  /** Prices of the drafting models (required with budget.maxCost), by model name. */
  prices?: Record<string, ModelPrice>;
}

/** Where a program sits in the MAP-Elites grid: binned code size and diff size. */
export interface Features {
  /** Bytes of the files the model may change. */
  sizeBytes: number;
  /** Lines the program's patch changes against its parent. */
  diffLines: number;
  /** Grid metrics (`--features metric:<name>`): the program's median over the base's (1 = as the base). */
  metrics?: Record<string, number>;
}

export interface Program {
  id: string;
  /** The program it was drafted from (absent for the base). */
  parent?: string;
  island: number;
  generation: number;
  /** Its commit (under refs/ouro/evolve/<evolve id>/<program id>). */
  sha: string;
  tree: string;
  /** Speed-up over the base by the gate's statistics (higher is better; the base is 1). */
  score: number;
  /** The score's 95% interval, as the benchmark measured it. */
  interval?: [number, number];
  features: Features;
  provider: string;
  tokens: number;
}

export type EvaluationOutcome = 'scored' | 'malformed' | 'refused' | 'tests-failed' | 'bench-failed' | 'draft-failed';

/** One evaluation's fate, for the report and for the failures shown to the model. */
export interface Evaluation {
  index: number;
  programId: string;
  parent: string;
  island: number;
  provider: string;
  outcome: EvaluationOutcome;
  reason?: string;
  score?: number;
  tokens: number;
  promoted?: boolean;
  /** Milliseconds since the search began, when the evaluation ended. */
  atMs: number;
}

export interface ProviderStats {
  pulls: number;
  /** Summed reward: improvement of the best score per 1,000 tokens. */
  reward: number;
  tokens: number;
}

/** Everything the search carries across continue-as-new. */
export interface EvolveState {
  startedMs: number;
  programs: Program[];
  evaluations: Evaluation[];
  /** Per island: cell key → program id (the elite of that cell). */
  grids: Array<Record<string, string>>;
  bestId: string;
  /** Promotions, oldest first: the commits on the evolve branch. */
  promoted: Array<{ programId: string; commit: string; score: number }>;
  spent: { drafts: number; tokens: number; cost?: number };
  /** Guidance a person sent the running search (`ouro evolve hint`): shown with every later draft. */
  hints?: string[];
  providers: Record<string, ProviderStats>;
  baseTree: string;
  baseSha: string;
  baseSizeBytes: number;
  /** The grid's dimensions (absent: code size and diff size), so a report can place programs without the input. */
  dims?: FeatureDim[];
  /** The metric scores are improvements of (absent: the benchmark's first). */
  metric?: string;
  /** How parents were chosen, for status and report (absent: a search started before it was kept here). */
  strategy?: SearchStrategy;
}

export interface EvolveStatus {
  phase: 'baseline' | 'searching' | 'paused' | 'stopping' | 'done';
  evaluations: number;
  running: number;
  best: { id: string; score: number };
  promoted: number;
  spent: { drafts: number; tokens: number; cost?: number };
  stopReason?: string;
}

export interface EvolveResult {
  best: { id: string; score: number; sha: string };
  promoted: Array<{ programId: string; commit: string; score: number }>;
  evaluations: number;
  spent: { drafts: number; tokens: number; cost?: number };
  stopReason: string;
  branch: string;
}
