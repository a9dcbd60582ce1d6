// The localisation bench's tables: top-K of the ranking each side chooses from, and the run's own
// choice (chooseFilesToChange's cut) applied to the map's ranking and, for a fair comparison, to BM25's.

import type { CorpusEntry } from './corpus.js';

export interface Outcome {
  entry: CorpusEntry;
  /** Rank (1-based, among the files the run may choose) of each changed source file; Infinity when absent. */
  mapRanks: number[];
  bm25Ranks: number[];
  /** The files the run's rule chooses from each ranking. */
  mapChosen: string[];
  bm25Chosen: string[];
  mapTokens: number;
  fullMapTokens: number;
  renderedHasAnswer: boolean;
  files: number;
  ms: number;
}

const KS = [1, 3, 5, 10] as const;

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}%`;
const localisedAt = (ranks: number[], k: number) => ranks.every((r) => r <= k);
const holdsAll = (o: Outcome, chosen: string[]) => o.entry.sourceFiles.every((p) => chosen.includes(p));

function groups(outcomes: Outcome[]): [string, Outcome[]][] {
  const by = (key: (o: Outcome) => string) => {
    const m = new Map<string, Outcome[]>();
    for (const o of outcomes) m.set(key(o), [...(m.get(key(o)) ?? []), o]);
    return [...m].sort(([a], [b]) => a.localeCompare(b));
  };
  return [['all', outcomes], ...by((o) => o.entry.language), ...by((o) => o.entry.repo)];
}

function choiceRow(label: string, os: Outcome[]): string {
  const share = (pick: (o: Outcome) => string[]) => pct(os.filter((o) => holdsAll(o, pick(o))).length, os.length);
  // The mean beside the median: with at most 3 files, a median of 2 hides whether most choices hold 1 or 3.
  const count = (pick: (o: Outcome) => string[]) => {
    const sizes = os.map((o) => pick(o).length);
    return `${median(sizes)} (${(sizes.reduce((a, b) => a + b, 0) / sizes.length).toFixed(2)})`;
  };
  return (
    `| ${label} | ${os.length} | ${share((o) => o.mapChosen)} | ${count((o) => o.mapChosen)} | ${median(os.flatMap((o) => o.mapRanks))} ` +
    `| ${share((o) => o.bm25Chosen)} | ${count((o) => o.bm25Chosen)} | ${median(os.flatMap((o) => o.bm25Ranks))} |`
  );
}

function topKRow(label: string, os: Outcome[]): string {
  const m = KS.map((k) => pct(os.filter((o) => localisedAt(o.mapRanks, k)).length, os.length));
  const b = KS.map((k) => pct(os.filter((o) => localisedAt(o.bm25Ranks, k)).length, os.length));
  return `| ${label} | ${os.length} | ${m.join(' / ')} | ${b.join(' / ')} |`;
}

export function report(outcomes: Outcome[], budget: number, rule: string): string {
  const n = outcomes.length;
  const sets = groups(outcomes);
  return [
    `${n} commits from ${new Set(outcomes.map((o) => o.entry.repo)).size} repositories`,
    '',
    `The run's choice (${rule}): the share of commits whose chosen files include every changed source file`,
    '| set | commits | map: chosen hold all | files chosen, median (mean) | rank of a changed file (median) | BM25, same rule: chosen hold all | files chosen, median (mean) | rank (median) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...sets.map(([label, os]) => choiceRow(label, os)),
    '',
    'The ranking the run chooses from, top K',
    '| set | commits | map top 1 / 3 / 5 / 10 | BM25 top 1 / 3 / 5 / 10 |',
    '| --- | --- | --- | --- |',
    ...sets.map(([label, os]) => topKRow(label, os)),
    '',
    `map within ${budget} tokens: median ${median(outcomes.map((o) => o.mapTokens))} tokens used, holds every changed file in ${pct(outcomes.filter((o) => o.renderedHasAnswer).length, n)}; ` +
      `whole map median ${median(outcomes.map((o) => o.fullMapTokens))} tokens; candidate files median ${median(outcomes.map((o) => o.files))}; ` +
      `build+rank median ${median(outcomes.map((o) => o.ms)).toFixed(0)} ms (cached maps count as built)`,
  ].join('\n');
}
