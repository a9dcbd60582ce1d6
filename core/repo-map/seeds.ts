// Where the ranking starts from: the files the focus points at, each with how strongly and why.
// Only what the user gives is read: the goal's words, the files named, the failing tests' names
// and paths; nothing of the change to come.

import type { FileSymbols, MapFocus } from '../contracts/repo-map.js';
import { identifierWords, meaningfulWords, namedIdentifiers, stem } from './words.js';

export interface Seeds {
  /** Personalisation weight per file index. */
  weights: number[];
  reasons: string[][];
  /** Identifiers the goal or the failing tests name: references to them weigh more in the graph. */
  emphasised: Set<string>;
}

/** How much each kind of evidence seeds a file: a name written out beats a shared word. */
export const SEED_WEIGHTS = {
  named: 100,
  identifierInGoal: 10,
  pathWord: 3,
  definitionWord: 1,
  referenceWord: 0.5,
  failingTestFile: 10,
  failingTestName: 5,
};

export type SeedWeights = typeof SEED_WEIGHTS;

export function seedFiles(files: readonly FileSymbols[], focus: MapFocus, weights: SeedWeights = SEED_WEIGHTS): Seeds {
  const seeded = files.map(() => 0);
  const reasons: string[][] = files.map(() => []);
  const emphasised = new Set<string>();
  const add = (i: number, weight: number, reason: string) => {
    seeded[i]! += weight;
    if (!reasons[i]!.includes(reason)) reasons[i]!.push(reason);
  };

  const named = new Set(focus.files);
  files.forEach((f, i) => named.has(f.path) && add(i, weights.named, 'named in the files to change'));

  seedByIdentifiers(files, namedIdentifiers(focus.goal), weights.identifierInGoal, 'named in the goal', add, emphasised);
  seedByPathNames(files, namedIdentifiers(focus.goal), weights.identifierInGoal, add);
  seedByWords(files, focus.goal, add, weights);

  for (const failing of focus.failingTests) {
    files.forEach((f, i) => failing.includes(f.path) && add(i, weights.failingTestFile, 'holds a failing test'));
    seedByIdentifiers(files, namedIdentifiers(failing), weights.failingTestName, 'named by a failing test', add, emphasised);
    // test_parse_version and TestParseVersion call parse_version / ParseVersion more often than not.
    const callees = namedIdentifiers(failing).flatMap(calleeNames);
    seedByIdentifiers(files, callees, weights.failingTestName, 'called by a failing test, by its name', add, emphasised, false);
  }
  return { weights: seeded, reasons, emphasised };
}

function seedByIdentifiers(
  files: readonly FileSymbols[],
  identifiers: readonly string[],
  weight: number,
  said: string,
  add: (i: number, w: number, reason: string) => void,
  emphasised: Set<string>,
  includeTests = true,
): void {
  if (identifiers.length === 0) return;
  const wanted = new Set(identifiers);
  const definers = new Map<string, number[]>();
  files.forEach((f, i) => {
    if (!includeTests && f.isTest) return;
    for (const d of f.definitions) {
      if (!wanted.has(d.name)) continue;
      const list = definers.get(d.name) ?? [];
      if (!list.includes(i)) list.push(i);
      definers.set(d.name, list);
    }
  });
  for (const [name, list] of definers) {
    emphasised.add(name);
    for (const i of list) add(i, weight / list.length, `defines ${name} ${said}`);
  }
}

/** A name the goal writes out that is also a file's or folder's name (`updateLocale` -> plugin/updateLocale/index.js). */
function seedByPathNames(
  files: readonly FileSymbols[],
  identifiers: readonly string[],
  weight: number,
  add: (i: number, w: number, reason: string) => void,
): void {
  if (identifiers.length === 0) return;
  const wanted = new Set(identifiers.map((n) => n.toLowerCase()));
  const matches = files.map((f) =>
    f.path
      .split('/')
      .map((segment) => segment.replace(/\.[^.]*$/, '').toLowerCase())
      .find((segment) => wanted.has(segment)),
  );
  const count = matches.filter(Boolean).length;
  matches.forEach((name, i) => name && add(i, weight / Math.sqrt(count), `path names ${name} from the goal`));
}

/** The goal's words against each file's path and definition names, each word weighted by how rare it is among the files. */
function seedByWords(files: readonly FileSymbols[], goal: string, add: (i: number, w: number, reason: string) => void, weights: SeedWeights): void {
  const goalWords = new Set(meaningfulWords(goal).map(stem));
  if (goalWords.size === 0 || files.length === 0) return;
  // A repository's files share most of their names: each name is split and stemmed once.
  const memo = new Map<string, string[]>();
  const wordsOf = (name: string) => {
    let words = memo.get(name);
    if (!words) memo.set(name, (words = identifierWords(name).map(stem)));
    return words;
  };
  /** The goal's words among the words of these names. */
  const goalWordsIn = (names: readonly string[]) => {
    const found = new Set<string>();
    for (const name of names) for (const w of wordsOf(name)) if (goalWords.has(w)) found.add(w);
    return found;
  };
  const pathWords = files.map((f) => goalWordsIn([f.path]));
  const definitionWords = files.map((f) => goalWordsIn(f.definitions.map((d) => d.name)));
  const referenceWords = weights.referenceWord > 0 ? files.map((f) => goalWordsIn(f.references)) : undefined;
  const documentFrequency = new Map<string, number>();
  for (const word of goalWords) {
    let df = 0;
    for (let i = 0; i < files.length; i++) {
      if (pathWords[i]!.has(word) || definitionWords[i]!.has(word) || referenceWords?.[i]!.has(word)) df++;
    }
    documentFrequency.set(word, df);
  }
  const rarity = (word: string) => {
    const df = documentFrequency.get(word) ?? 0;
    return df === 0 ? 0 : Math.log(1 + files.length / df);
  };
  files.forEach((_, i) => {
    const inPath = [...goalWords].filter((w) => pathWords[i]!.has(w));
    const inDefinitions = [...goalWords].filter((w) => definitionWords[i]!.has(w));
    const pathScore = inPath.reduce((a, w) => a + rarity(w), 0);
    const definitionScore = inDefinitions.reduce((a, w) => a + rarity(w), 0);
    if (pathScore > 0) add(i, weights.pathWord * pathScore, `path matches ${quoteList(inPath)} from the goal`);
    if (definitionScore > 0) add(i, weights.definitionWord * definitionScore, `defines names with ${quoteList(inDefinitions)} from the goal`);
    if (referenceWords) {
      const used = [...goalWords].filter((w) => referenceWords[i]!.has(w));
      const usedScore = used.reduce((a, w) => a + rarity(w), 0);
      if (usedScore > 0) add(i, weights.referenceWord * usedScore, `uses names with ${quoteList(used)} from the goal`);
    }
  });
}

/** The function names a test's own name suggests it calls: test_parse_version -> parse_version, TestParseVersion -> ParseVersion, parseVersion. */
export function calleeNames(testName: string): string[] {
  const m = /^(?:test_?|Test_?)(.+)$/.exec(testName);
  if (!m || !m[1]) return [];
  const rest = m[1];
  const names = new Set([rest, rest.replace(/_+$/, '')]);
  if (/^[A-Z]/.test(rest)) names.add(rest[0]!.toLowerCase() + rest.slice(1));
  return [...names].filter((n) => n.length > 2);
}

function quoteList(words: readonly string[]): string {
  return words
    .slice(0, 3)
    .map((w) => `'${w}'`)
    .join(', ');
}
