// Localisation (issue 26, "How to measure"): for each commit of the corpus, at its parent, with its
// message as the goal, do the files a run would choose (chooseFilesToChange, no failing test, the
// run's default protected paths) include every source file the fix changed? Against plain BM25 over
// the same files, cut by the same rule. Nothing the fix reveals (its diff, its tests) reaches the ranking.
//   npm run bench:localise -- [--corpus bench/data/localise-corpus.jsonl] [--list bench/data/localise-repos.json]
//                             [--budget 1024] [--limit N] [--json out.json] [--max 3] [--cut-off 0.5]
//                             [--clear-of 0.5] [--floor 0.2] (--clear-of 0: the flat cut-off alone)
// Also: the map's build time and size on named repositories: --size <dir>... (HEAD, a fresh cache).

import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../adapters/project-root.js';
import { buildRepoMap, buildRepoMapWithReport, repoMapCacheDir } from '../adapters/repo-map/index.js';
import { listTree, readBlobs } from '../adapters/repo-map/git-tree.js';
import { rankFiles, renderMap } from '../core/repo-map/index.js';
import { choosable, chooseFilesToChange, DEFAULT_CHOICE, rankCandidates, type ChoiceRules } from '../core/context/choose-files.js';
import { DEFAULT_PROTECTED } from '../core/run/file-rules.js';
import type { RankedFile } from '../core/contracts/repo-map.js';
import { bm25Rank } from './localise/bm25.js';
import { parseCorpus, type CorpusEntry } from './localise/corpus.js';
import { report, type Outcome } from './localise/report.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

async function repoDirs(listPath: string): Promise<Map<string, string>> {
  const list = z.array(z.object({ name: z.string(), dir: z.string() })).parse(JSON.parse(await readFile(listPath, 'utf8')));
  return new Map(list.map((r) => [r.name, r.dir]));
}

const rankOf = (ordered: readonly string[], path: string) => {
  const i = ordered.indexOf(path);
  return i < 0 ? Infinity : i + 1;
};

/** At the fix's parent, as a run with no --files and a green base does it: rank, then choose. */
async function measure(entry: CorpusEntry, dir: string, budget: number, rules: ChoiceRules): Promise<Outcome> {
  const t0 = performance.now();
  const map = await buildRepoMap(dir, entry.parent, { cacheDir: repoMapCacheDir() });
  const tree = (await listTree(dir, map.commit)).filter((e) => !e.path.split('/').includes('.git'));
  const tracked = tree.map((e) => e.path);
  const ranked = rankFiles(map, { goal: entry.message, files: [], failingTests: [] });
  const mapChosen = chooseFilesToChange(ranked, tracked, [], rules).map((c) => c.path);
  const ms = performance.now() - t0;
  const mapOrder = rankCandidates(ranked, tracked, [], rules.protectedPaths).map((c) => c.path);
  const rendered = renderMap(map, ranked, budget);
  const full = renderMap(map, ranked, Number.MAX_SAFE_INTEGER);
  const bm25 = await bm25Ranking(
    dir,
    tree,
    map.files.map((f) => f.path),
    rules.protectedPaths,
    entry.message,
  );
  const bm25Chosen = chooseFilesToChange(bm25, tracked, [], rules).map((c) => c.path);
  const bm25Order = rankCandidates(bm25, tracked, [], rules.protectedPaths).map((c) => c.path);
  return {
    entry,
    mapRanks: entry.sourceFiles.map((p) => rankOf(mapOrder, p)),
    bm25Ranks: entry.sourceFiles.map((p) => rankOf(bm25Order, p)),
    mapChosen,
    bm25Chosen,
    mapTokens: rendered.tokens,
    fullMapTokens: full.tokens,
    renderedHasAnswer: entry.sourceFiles.every((p) => rendered.files.includes(p)),
    files: map.files.filter((f) => choosable(f.path, rules.protectedPaths)).length,
    ms,
  };
}

/** BM25 over the same candidates the map chooses from (the files the map read that the run may choose), whole. */
async function bm25Ranking(
  dir: string,
  tree: Awaited<ReturnType<typeof listTree>>,
  mapped: string[],
  protectedPaths: string[],
  query: string,
): Promise<RankedFile[]> {
  const candidates = new Set(mapped.filter((path) => choosable(path, protectedPaths)));
  const entries = tree.filter((e) => candidates.has(e.path));
  const blobs = await readBlobs(
    dir,
    entries.map((e) => e.blob),
  );
  return bm25Rank(
    entries.map((e) => ({ path: e.path, text: blobs.get(e.blob)?.toString('utf8') ?? '' })),
    query,
  ).map((r) => ({ ...r, reasons: [] }));
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
  const rules: ChoiceRules = {
    max: Number(arg('--max', String(DEFAULT_CHOICE.max))),
    cutOff: Number(arg('--cut-off', String(DEFAULT_CHOICE.cutOff))),
    clearOf: Number(arg('--clear-of', String(DEFAULT_CHOICE.clearOf))),
    floor: Number(arg('--floor', String(DEFAULT_CHOICE.floor))),
    protectedPaths: DEFAULT_PROTECTED,
  };
  const outcomes: Outcome[] = [];
  for (const entry of corpus.slice(0, limit)) {
    const dir = dirs.get(entry.repo);
    if (!dir) {
      console.error(`skipped ${entry.repo}@${entry.fix.slice(0, 8)}: no directory for ${entry.repo} in the list`);
      continue;
    }
    const o = await measure(entry, dir, budget, rules);
    outcomes.push(o);
    if (process.argv.includes('--verbose')) {
      console.log(
        `${entry.repo} ${entry.fix.slice(0, 8)} map ${o.mapRanks.join(',')} chose ${o.mapChosen.length} bm25 ${o.bm25Ranks.join(',')} chose ${o.bm25Chosen.length} :: ${entry.message.split('\n')[0]}`,
      );
    }
  }
  const text = report(
    outcomes,
    budget,
    `at most ${rules.max} files, each at least ${rules.cutOff} of the best score, or ${rules.floor} and the next at most ${rules.clearOf} of its own`,
  );
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
