// Localisation (issue 26, "How to measure"): for each commit of the corpus, at its parent, with its
// message as the goal, does the repository map's ranking choose the files the fix changed? Against
// plain BM25 over the same files. Nothing the fix reveals (its diff, its tests) reaches the ranking.
//   npm run bench:localise -- [--corpus bench/data/localise-corpus.jsonl] [--list bench/data/localise-repos.json]
//                             [--budget 1024] [--limit N] [--json out.json]
// Also: the map's build time and size on named repositories: --size <dir>... (HEAD, a fresh cache).

import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../adapters/project-root.js';
import { buildRepoMap, buildRepoMapWithReport, repoMapCacheDir } from '../adapters/repo-map/index.js';
import { listTree, readBlobs } from '../adapters/repo-map/git-tree.js';
import { chooseFiles, rankFiles, renderMap } from '../core/repo-map/index.js';
import type { RepoMap } from '../core/contracts/repo-map.js';
import { bm25Rank } from './localise/bm25.js';
import { parseCorpus, type CorpusEntry } from './localise/corpus.js';

const KS = [1, 3, 5, 10] as const;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

async function repoDirs(listPath: string): Promise<Map<string, string>> {
  const list = z.array(z.object({ name: z.string(), dir: z.string() })).parse(JSON.parse(await readFile(listPath, 'utf8')));
  return new Map(list.map((r) => [r.name, r.dir]));
}

interface Outcome {
  entry: CorpusEntry;
  /** Rank (1-based, among non-test files) of each changed source file; Infinity when absent. */
  mapRanks: number[];
  bm25Ranks: number[];
  mapTokens: number;
  fullMapTokens: number;
  renderedHasAnswer: boolean;
  files: number;
  ms: number;
}

const rankOf = (ordered: readonly string[], path: string) => {
  const i = ordered.indexOf(path);
  return i < 0 ? Infinity : i + 1;
};

async function measure(entry: CorpusEntry, dir: string, budget: number): Promise<Outcome> {
  const t0 = performance.now();
  const map = await buildRepoMap(dir, entry.parent, { cacheDir: repoMapCacheDir() });
  const ranked = rankFiles(map, { goal: entry.message, files: [], failingTests: [] });
  const chosen = chooseFiles(map, ranked, map.files.length);
  const ms = performance.now() - t0;
  const rendered = renderMap(map, ranked, budget);
  const full = renderMap(map, ranked, Number.MAX_SAFE_INTEGER);
  const bm25Order = await bm25Order_(dir, map, entry.message);
  return {
    entry,
    mapRanks: entry.sourceFiles.map((p) => rankOf(chosen, p)),
    bm25Ranks: entry.sourceFiles.map((p) => rankOf(bm25Order, p)),
    mapTokens: rendered.tokens,
    fullMapTokens: full.tokens,
    renderedHasAnswer: entry.sourceFiles.every((p) => rendered.files.includes(p)),
    files: map.files.filter((f) => !f.isTest).length,
    ms,
  };
}

/** BM25 over the same candidates the map chooses from: the map's non-test files, whole. */
async function bm25Order_(dir: string, map: RepoMap, query: string): Promise<string[]> {
  const candidates = new Set(map.files.filter((f) => !f.isTest).map((f) => f.path));
  const entries = (await listTree(dir, map.commit)).filter((e) => candidates.has(e.path));
  const blobs = await readBlobs(
    dir,
    entries.map((e) => e.blob),
  );
  return bm25Rank(
    entries.map((e) => ({ path: e.path, text: blobs.get(e.blob)?.toString('utf8') ?? '' })),
    query,
  );
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}%`;
const localisedAt = (ranks: number[], k: number) => ranks.every((r) => r <= k);

function report(outcomes: Outcome[], budget: number): string {
  const lines: string[] = [];
  const n = outcomes.length;
  const byLanguage = new Map<string, Outcome[]>();
  for (const o of outcomes) byLanguage.set(o.entry.language, [...(byLanguage.get(o.entry.language) ?? []), o]);
  const row = (label: string, os: Outcome[]) => {
    const m = KS.map((k) => pct(os.filter((o) => localisedAt(o.mapRanks, k)).length, os.length));
    const b = KS.map((k) => pct(os.filter((o) => localisedAt(o.bm25Ranks, k)).length, os.length));
    return `| ${label} | ${os.length} | ${m.join(' / ')} | ${b.join(' / ')} | ${median(os.flatMap((o) => o.mapRanks))} | ${median(os.flatMap((o) => o.bm25Ranks))} |`;
  };
  lines.push(`${n} commits from ${new Set(outcomes.map((o) => o.entry.repo)).size} repositories`);
  lines.push('| set | commits | map top 1 / 3 / 5 / 10 | BM25 top 1 / 3 / 5 / 10 | median rank (map) | median rank (BM25) |');
  lines.push('| --- | --- | --- | --- | --- | --- |');
  lines.push(row('all', outcomes));
  for (const [lang, os] of [...byLanguage].sort()) lines.push(row(lang, os));
  const repos = [...new Set(outcomes.map((o) => o.entry.repo))].sort();
  for (const repo of repos)
    lines.push(
      row(
        repo,
        outcomes.filter((o) => o.entry.repo === repo),
      ),
    );
  lines.push('');
  lines.push(
    `map within ${budget} tokens: median ${median(outcomes.map((o) => o.mapTokens))} tokens used, holds every changed file in ${pct(outcomes.filter((o) => o.renderedHasAnswer).length, n)}; ` +
      `whole map median ${median(outcomes.map((o) => o.fullMapTokens))} tokens; candidate files median ${median(outcomes.map((o) => o.files))}; ` +
      `build+rank median ${median(outcomes.map((o) => o.ms)).toFixed(0)} ms (cached maps count as built)`,
  );
  return lines.join('\n');
}

async function sizes(dirs: string[]): Promise<void> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'ouro-repo-map-size-'));
  try {
    for (const dir of dirs) {
      const t0 = performance.now();
      const { map, skipped } = await buildRepoMapWithReport(dir, 'HEAD', { cacheDir });
      const built = performance.now() - t0;
      const t1 = performance.now();
      const again = await buildRepoMapWithReport(dir, 'HEAD', { cacheDir });
      const cached = performance.now() - t1;
      const bytes = (await stat(join(cacheDir, `${map.commit}.json`))).size;
      const t2 = performance.now();
      const ranked = rankFiles(map, { goal: 'fix the retry of a failed activity heartbeat', files: [], failingTests: [] });
      const rankMs = performance.now() - t2;
      const full = renderMap(map, ranked, Number.MAX_SAFE_INTEGER);
      const defs = map.files.reduce((a, f) => a + f.definitions.length, 0);
      console.log(
        `${dir} at ${map.commit.slice(0, 8)}: ${map.files.length} files, ${defs} definitions; built in ${(built / 1000).toFixed(1)} s, ` +
          `read from the cache in ${(cached / 1000).toFixed(2)} s (${again.fromCache ? 'hit' : 'miss'}); ranked in ${rankMs.toFixed(0)} ms; cache file ${(bytes / 1024).toFixed(0)} KiB; ` +
          `whole map ${full.tokens} tokens; skipped ${JSON.stringify(skipped)}`,
      );
    }
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizeIndex = process.argv.indexOf('--size');
  if (sizeIndex > 0) return sizes(process.argv.slice(sizeIndex + 1));
  const corpus = parseCorpus(await readFile(arg('--corpus', join(PROJECT_ROOT, 'bench', 'data', 'localise-corpus.jsonl')), 'utf8'));
  const dirs = await repoDirs(arg('--list', join(PROJECT_ROOT, 'bench', 'data', 'localise-repos.json')));
  const budget = Number(arg('--budget', '1024'));
  const limit = Number(arg('--limit', String(corpus.length)));
  const outcomes: Outcome[] = [];
  for (const entry of corpus.slice(0, limit)) {
    const dir = dirs.get(entry.repo);
    if (!dir) {
      console.error(`skipped ${entry.repo}@${entry.fix.slice(0, 8)}: no directory for ${entry.repo} in the list`);
      continue;
    }
    const o = await measure(entry, dir, budget);
    outcomes.push(o);
    if (process.argv.includes('--verbose')) {
      console.log(`${entry.repo} ${entry.fix.slice(0, 8)} map ${o.mapRanks.join(',')} bm25 ${o.bm25Ranks.join(',')} :: ${entry.message.split('\n')[0]}`);
    }
  }
  const text = report(outcomes, budget);
  console.log(text);
  const jsonOut = arg('--json', '');
  if (jsonOut)
    await writeFile(
      jsonOut,
      JSON.stringify(
        outcomes.map((o) => ({ ...o, entry: { repo: o.entry.repo, fix: o.entry.fix } })),
        null,
        1,
      ),
    );
}

await main();
