import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunTestsRequest } from '../../core/contracts/sandbox.js';
import { buildCachesFor, sharedCacheName } from '../../core/sandbox/build-caches.js';
import { runDir } from '../../adapters/git/worktrees.js';
import { buildCacheHome } from '../../adapters/sandbox/build-cache-paths.js';
import { prepareBuildCaches, type CacheScope, type PreparedBuildCaches } from '../../adapters/sandbox/build-cache.js';
import { sandboxMode } from '../../adapters/sandbox/sandbox.js';

// Which base's build caches a test run fills or reads: the base it is held to,
// in the folder of the run it belongs to on this host.

export type BuildCacheScope = CacheScope | undefined;

/** The base's workspace as data where it is given, else the base's folder on this host; none for a run with no role. */
export function buildCacheScope(req: RunTestsRequest): BuildCacheScope {
  if (req.role === undefined) return undefined;
  const baseSpec = req.role === 'base' ? req.workspace : req.baseWorkspace;
  if (baseSpec) return { home: buildCacheHome(runDir(baseSpec.runId)), shared: sharedCacheName({ tree: baseSpec.tree }), role: req.role };
  const baseDir = req.role === 'base' ? req.dir : req.baseDir;
  if (!baseDir) return undefined;
  // A base's worktree lies in its run's folder (activities/git/workspace.ts): the caches go beside it.
  const dirHash = createHash('sha256').update(baseDir).digest('hex').slice(0, 16);
  return { home: buildCacheHome(dirname(baseDir)), shared: sharedCacheName({ dirHash }), role: req.role };
}

/** The caches the command will use, prepared for this run; none where it uses none. */
export async function buildCachesIn(dir: string, command: string, scope: BuildCacheScope): Promise<PreparedBuildCaches | undefined> {
  if (!scope) return undefined;
  const kinds = buildCachesFor({ command, hasRootFile: (name) => existsSync(join(dir, name)) });
  if (!kinds.length) return undefined;
  return prepareBuildCaches(scope, kinds, await sandboxMode());
}
