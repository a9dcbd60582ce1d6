import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes make a run findable and readable in the Web UI
// without the CLI. dev/dev-server.ts registers them at server start, and every
// worker adds any its namespace lacks (worker/search-attributes.ts); on a
// cluster where workers may not do that, `temporal operator search-attribute
// create` registers them once.
export const OURO_REPO = defineSearchAttributeKey('OuroRepo', SearchAttributeType.KEYWORD);
export const OURO_OUTCOME = defineSearchAttributeKey('OuroOutcome', SearchAttributeType.KEYWORD);
export const OURO_ROUND = defineSearchAttributeKey('OuroRound', SearchAttributeType.INT);
export const OURO_BEST_SPEEDUP = defineSearchAttributeKey('OuroBestSpeedup', SearchAttributeType.DOUBLE);
export const OURO_PROVIDERS = defineSearchAttributeKey('OuroProviders', SearchAttributeType.KEYWORD_LIST);
/** `bwrap` or `degraded`: how candidate code was contained. */
export const OURO_SANDBOX = defineSearchAttributeKey('OuroSandbox', SearchAttributeType.KEYWORD);

/** Release trains: the train's name (on the train and its task runs), its stage, the tag it made. */
export const OURO_TRAIN = defineSearchAttributeKey('OuroTrain', SearchAttributeType.KEYWORD);
export const OURO_TRAIN_STAGE = defineSearchAttributeKey('OuroTrainStage', SearchAttributeType.KEYWORD);
export const OURO_RELEASE = defineSearchAttributeKey('OuroRelease', SearchAttributeType.KEYWORD);

/** Evolutionary searches: the best score so far (× the base) and the deepest generation that reached it. */
export const OURO_EVOLVE_BEST = defineSearchAttributeKey('OuroEvolveBest', SearchAttributeType.DOUBLE);
export const OURO_EVOLVE_GENERATION = defineSearchAttributeKey('OuroEvolveGeneration', SearchAttributeType.INT);

const KEYS = [
  OURO_REPO,
  OURO_OUTCOME,
  OURO_ROUND,
  OURO_BEST_SPEEDUP,
  OURO_PROVIDERS,
  OURO_SANDBOX,
  OURO_TRAIN,
  OURO_TRAIN_STAGE,
  OURO_RELEASE,
  OURO_EVOLVE_BEST,
  OURO_EVOLVE_GENERATION,
];

/** The Temporal CLI's and operator API's spelling of each key's type. */
const CLI_TYPE = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
} as const;
type CliType = (typeof CLI_TYPE)[keyof typeof CLI_TYPE];

/** Every key with its type, as the dev server's `--search-attribute` and the operator API take them. */
export const SEARCH_ATTRIBUTES: Array<{ name: string; type: CliType }> = KEYS.map((k) => ({ name: k.name, type: CLI_TYPE[k.type as keyof typeof CLI_TYPE] }));
