import { z } from 'zod';
import { buildRunInput, targetOf, type RepoConfig } from '../run/input.js';
import { FeatureDimsSchema, MetricNameSchema } from './features.js';
import { SEARCH_STRATEGIES, type EvolveInput } from './types.js';

// `ouro evolve`'s flags over the repository's ouro.config.json: what a run
// takes (goal, files, tests, benchmark, drafts) is resolved as for a run; the
// search's own settings are checked here.
const SearchFlags = z.object({
  parallel: z.coerce.number().int().min(1).max(16).default(2),
  maxDrafts: z.coerce.number().int().min(1).optional(),
  maxTokens: z.coerce.number().int().min(1000).optional(),
  maxHours: z.coerce.number().positive().optional(),
  maxCost: z.coerce.number().positive().optional(),
  islands: z.coerce.number().int().min(1).max(8).default(3),
  migrateEvery: z.coerce.number().int().min(0).default(10),
  explore: z.coerce.number().min(0).max(1).default(0.2),
  margin: z.coerce.number().min(0).max(1).default(0.02),
  quickTest: z.string().min(1).optional(),
  metric: MetricNameSchema.optional(),
  features: FeatureDimsSchema.optional(),
  strategy: z.enum(SEARCH_STRATEGIES, { message: `a strategy is one of ${SEARCH_STRATEGIES.join(', ')}` }).default('evolve'),
});

/** Every flag that belongs to the search rather than to the run it is built on (the CLI passes exactly these). */
export const SEARCH_FLAG_NAMES = Object.keys(SearchFlags.shape) as Array<keyof typeof SearchFlags.shape>;

export const EvolveFlagsSchema = SearchFlags.refine(
  (f) => f.maxDrafts !== undefined || f.maxTokens !== undefined || f.maxHours !== undefined || f.maxCost !== undefined,
  {
    message: 'a search needs a budget: --max-drafts, --max-tokens, --max-cost or --max-hours',
    path: ['maxDrafts'],
  },
);

export function buildEvolveInput(
  flags: Record<string, unknown>,
  searchFlags: Record<string, unknown>,
  config: RepoConfig,
  env: Record<string, string | undefined>,
): EvolveInput {
  const run = buildRunInput(flags, config, env);
  if (!run.benchCommand)
    throw new z.ZodError([{ code: 'custom', path: ['bench'], message: 'a search scores programs by a benchmark: add --bench "<command>"', input: undefined }]);
  const f = EvolveFlagsSchema.parse(Object.fromEntries(Object.entries(searchFlags).filter(([, v]) => v !== undefined)));
  const unpriced = f.maxCost === undefined ? [] : run.drafts.filter((d) => !config.prices?.[d.model]).map((d) => d.model);
  if (unpriced.length) {
    throw new z.ZodError([
      {
        code: 'custom',
        path: ['maxCost'],
        message: `--max-cost needs a price for ${unpriced.join(', ')}: add "prices": {"<model>": {"input": <$ per 1M tokens>, "output": <$>}} to ouro.config.json`,
        input: undefined,
      },
    ]);
  }
  return {
    ...targetOf(run),
    benchCommand: run.benchCommand,
    ...(f.quickTest ? { quickTestCommand: f.quickTest } : {}),
    ...(f.metric ? { metric: f.metric } : {}),
    ...(f.features ? { features: f.features } : {}),
    // evolve, the default, is left out: the input stays what searches before the flag sent.
    ...(f.strategy !== 'evolve' ? { strategy: f.strategy } : {}),
    margin: f.margin,
    parallel: f.parallel,
    budget: { maxDrafts: f.maxDrafts, maxTokens: f.maxTokens, maxHours: f.maxHours, maxCost: f.maxCost },
    ...(config.prices ? { prices: config.prices } : {}),
    islands: f.islands,
    migrateEvery: f.migrateEvery,
    explore: f.explore,
  };
}
