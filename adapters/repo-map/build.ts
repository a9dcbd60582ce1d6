// buildRepoMap: the map of a repository at one commit, from git's objects, cached per commit.

import type { FileSymbols, RepoMap } from '../../core/contracts/repo-map.js';
import { readCachedMap, repoMapCacheDir, writeCachedMap } from './cache.js';
import { listTree, readBlobs, resolveCommit } from './git-tree.js';
import { isMappable, parseFile } from './parser.js';
import { skippedByContent, skippedByPath } from './skip.js';

export interface BuildOptions {
  /** Defaults to repoMapCacheDir(); null builds without reading or writing a cache. */
  cacheDir?: string | null;
}

export interface BuildReport {
  map: RepoMap;
  fromCache: boolean;
  /** Mappable files left out, by reason ("too big", "generated", "binary", "unparsed"). */
  skipped: Record<string, number>;
}

export async function buildRepoMap(repoDir: string, commit: string, options: BuildOptions = {}): Promise<RepoMap> {
  return (await buildRepoMapWithReport(repoDir, commit, options)).map;
}

export async function buildRepoMapWithReport(repoDir: string, commit: string, options: BuildOptions = {}): Promise<BuildReport> {
  const sha = await resolveCommit(repoDir, commit);
  const cacheDir = options.cacheDir === undefined ? repoMapCacheDir() : options.cacheDir;
  if (cacheDir) {
    const cached = await readCachedMap(cacheDir, sha);
    if (cached) return { map: cached, fromCache: true, skipped: {} };
  }
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
  const entries = (await listTree(repoDir, sha)).filter((e) => isMappable(e.path));
  const wanted = entries.filter((e) => {
    const reason = skippedByPath(e.path, e.bytes);
    if (reason) skip(reason);
    return !reason;
  });
  const blobs = await readBlobs(repoDir, [...new Set(wanted.map((e) => e.blob))]);
  const files: FileSymbols[] = [];
  for (const entry of wanted.sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const content = blobs.get(entry.blob);
    if (!content) {
      skip('unreadable');
      continue;
    }
    const source = content.toString('utf8');
    const reason = skippedByContent(source);
    if (reason) {
      skip(reason);
      continue;
    }
    const symbols = await parseFile(entry.path, source);
    if (symbols) files.push(symbols);
    else skip('unparsed');
  }
  const map: RepoMap = { commit: sha, files };
  if (cacheDir) await writeCachedMap(cacheDir, map);
  return { map, fromCache: false, skipped };
}
