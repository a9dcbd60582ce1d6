// The baseline the map must beat: plain BM25 (wink-bm25-text-search) over each file's path and
// contents, queried with the goal. Both sides split identifiers and stem the same way
// (core/repo-map/words.ts), so the comparison is of ranking, not of tokenising.

import { createRequire } from 'node:module';
import { identifierWords, stem } from '../../core/repo-map/words.js';

interface Bm25Engine {
  defineConfig(config: { fldWeights: Record<string, number>; bm25Params?: { k1: number; b: number } }): void;
  definePrepTasks(tasks: ((input: string) => string[])[]): void;
  addDoc(doc: Record<string, string>, id: number): void;
  consolidate(): void;
  search(text: string, limit?: number): [number, number][];
}

const require = createRequire(import.meta.url);
const bm25 = require('wink-bm25-text-search') as () => Bm25Engine;

const ENGLISH_STOP = new Set(
  'a an and are as at be by for from has have if in into is it its not of on or so that the this to was were when which with'.split(' '),
);

export function tokens(text: string): string[] {
  const out: string[] = [];
  for (const token of text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
    for (const w of identifierWords(token)) if (!ENGLISH_STOP.has(w)) out.push(stem(w));
  }
  return out;
}

/** The paths ranked by BM25 against the query with their scores, best first; files with no matching term are left out. */
export function bm25Rank(files: readonly { path: string; text: string }[], query: string): { path: string; score: number }[] {
  // wink needs at least three documents to consolidate an index: fewer are all ranked alike.
  if (files.length < 3) return files.map((f) => ({ path: f.path, score: 1 }));
  const engine = bm25();
  engine.defineConfig({ fldWeights: { path: 1, body: 1 } });
  engine.definePrepTasks([tokens]);
  files.forEach((f, i) => engine.addDoc({ path: f.path, body: f.text }, i));
  engine.consolidate();
  return engine.search(query, files.length).map(([id, score]) => ({ path: files[id]!.path, score }));
}
