import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes make a run findable and readable in the Web UI
// without the CLI. scripts/dev-server.ts registers them at server start; on
// another cluster `ouro setup-namespace` (or `temporal operator
// search-attribute create`) must register them once.
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

export const SEARCH_ATTRIBUTES: Array<{ name: string; type: 'Keyword' | 'Int' | 'Double' | 'KeywordList' }> = [
  { name: 'OuroRepo', type: 'Keyword' },
  { name: 'OuroOutcome', type: 'Keyword' },
  { name: 'OuroRound', type: 'Int' },
  { name: 'OuroBestSpeedup', type: 'Double' },
  { name: 'OuroProviders', type: 'KeywordList' },
  { name: 'OuroSandbox', type: 'Keyword' },
  { name: 'OuroTrain', type: 'Keyword' },
  { name: 'OuroTrainStage', type: 'Keyword' },
  { name: 'OuroRelease', type: 'Keyword' },
];
