// The repository map's parsing side: build a RepoMap of a repository at a commit (cached), or
// parse one file. Ranking and rendering are pure and live in core/repo-map/.

export { buildRepoMap, buildRepoMapWithReport, type BuildOptions, type BuildReport } from './build.js';
export { repoMapCacheDir } from './cache.js';
export { parseFile, isMappable } from './parser.js';
