import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { workspaceRoot } from '../git/worktrees.js';

// Where a run's build caches live on this host (core/sandbox/build-caches.ts):
// inside the run's own folder, so that they are dropped with it when the run is
// cleaned up (adapters/git/run-cleanup.ts unmounts a dead worker's overlays,
// named .tmp-*, before removing the folder). The one place that says so.

/** The folder of a run's build caches: the published ones by base, and each run's private view under runs/. */
export function buildCacheHome(runFolder: string): string {
  return join(runFolder, 'build-caches');
}

/** A base's published caches, one folder per tool inside. */
export function publishedCaches(home: string, sharedName: string): string {
  return join(home, sharedName);
}

/** One run's private caches (a fill before it is published, an overlay's layers, a copy). */
export function privateCaches(home: string, runName: string): string {
  return join(home, 'runs', runName);
}

/** The mount point of a private overlay: named .tmp-* so that a dead worker's is unmounted with its capped /tmp. */
export function overlayMountPoint(privateDir: string, cacheName: string): string {
  return join(privateDir, `.tmp-${cacheName}`);
}

/** When a published cache was last used: a file beside it, never inside (a folder under a mounted overlay is not to change). */
export function cacheUseMark(published: string): string {
  return `${published}.used`;
}

/** The repositories' caches kept between runs (core/sandbox/repo-build-cache.ts): under the workspace root, which every sandbox hides. */
export function repoCachesRoot(): string {
  return join(workspaceRoot(), '.repo-build-caches');
}

/** The lock a repository cache's one writer holds: a file beside the cache. */
export function repoCacheLock(cache: string): string {
  return `${cache}.lock`;
}

/** The cache folders of every run on this host (a sandbox host of a cluster never sees its runs cleaned up). */
export async function allCacheHomes(): Promise<string[]> {
  const root = workspaceRoot();
  const runs = await readdir(root, { withFileTypes: true }).catch(() => []);
  return runs.filter((r) => r.isDirectory() && !r.name.startsWith('.')).map((r) => buildCacheHome(join(root, r.name)));
}
