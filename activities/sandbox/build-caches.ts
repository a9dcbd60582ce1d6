import { Context } from '@temporalio/activity';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunTestsRequest } from '../../core/contracts/sandbox.js';
import { buildCachesFor, sharedCacheName } from '../../core/sandbox/build-caches.js';
import { planRepoGoWarmUp, repoCacheName } from '../../core/sandbox/repo-build-cache.js';
import { cargoTreeRefusal, cargoWarmUpRefusal, planRepoCargoWarmUp } from '../../core/sandbox/repo-cargo-warm-up.js';
import { cargoRepoFacts, resolvedCargoLock } from '../../adapters/sandbox/cargo-repo-facts.js';
import { git } from '../../adapters/git/git.js';
import { heartbeatEvery } from '../../adapters/process/process.js';
import { runDir } from '../../adapters/git/worktrees.js';
import { buildCacheHome } from '../../adapters/sandbox/build-cache-paths.js';
import { prepareBuildCaches, type CacheScope, type CacheSeed, type PreparedBuildCaches } from '../../adapters/sandbox/build-cache.js';
import { publishedCaches } from '../../adapters/sandbox/build-cache-paths.js';
import { warmRepoCargoCache, warmRepoGoCache, type WarmUpOutcome } from '../../adapters/sandbox/repo-build-cache.js';
import { CARGO_LOCK_UNRESOLVED, warmUpFailed, warmUpRefusalNote, type WarmUpTool } from '../../core/sandbox/warm-up-notes.js';
import { sandboxMode, type WorkspaceMounts } from '../../adapters/sandbox/sandbox.js';

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

/** The prepared caches, and why a base's cache was not warmed from its repository's (or was cut short): for the log and the run's result. */
export type BuildCachesForRun = PreparedBuildCaches & { warmUpNotes: string[] };

/** The caches the command will use, prepared for this run (a base's Go cache or crate target dir warmed from its repository's); none where it uses none. */
export async function buildCachesIn(dir: string, command: string, scope: BuildCacheScope, mounts: WorkspaceMounts): Promise<BuildCachesForRun | undefined> {
  if (!scope) return undefined;
  const hasRootFile = (name: string) => existsSync(join(dir, name));
  const kinds = buildCachesFor({ command, hasRootFile });
  if (!kinds.length) return undefined;
  const mode = await sandboxMode();
  const published = existsSync(publishedCaches(scope.home, scope.shared));
  const goPlan = planRepoGoWarmUp({ role: scope.role, kinds, goModule: hasRootFile('go.mod') || hasRootFile('go.work'), sandbox: mode, published });
  const cargoPlan = planRepoCargoWarmUp({ role: scope.role, kinds, manifest: hasRootFile('Cargo.toml'), sandbox: mode, published });
  const notes: string[] = [];
  const refused = (tool: WarmUpTool, why: string) => {
    const note = warmUpRefusalNote({ role: scope.role, kinds }, tool, why);
    if (note) notes.push(note);
  };
  const warmed = async (tool: WarmUpTool, warm: () => Promise<WarmUpOutcome>): Promise<boolean> => {
    const outcome = await warm().catch((err: unknown): WarmUpOutcome => ({
      warmed: false,
      why: warmUpFailed(err instanceof Error ? err.message : String(err)),
    }));
    if (!outcome.warmed) refused(tool, outcome.why);
    else if (outcome.note) notes.push(outcome.note);
    return outcome.warmed;
  };
  if (!goPlan.warm) refused('go', goPlan.why);
  if (!cargoPlan.warm) refused('cargo', cargoPlan.why);
  const seeds: Partial<Record<string, CacheSeed>> = {};
  const prepared = async () => ({ ...(await prepareBuildCaches(scope, kinds, mode, seeds)), warmUpNotes: notes });
  if (!goPlan.warm && !cargoPlan.warm) return prepared();
  // The repository is named by its git folder: a worktree's common one, a rebuilt workspace's mirror.
  const common = await git(dir, ['rev-parse', '--path-format=absolute', '--git-common-dir'], { allowFail: true });
  if (!common) {
    for (const tool of [goPlan.warm && 'go', cargoPlan.warm && 'cargo'] as const) if (tool) refused(tool, 'the workspace is not in a git repository');
    return prepared();
  }
  const identity = createHash('sha256').update(common).digest('hex');
  const ctx = Context.current();
  const tickMs = heartbeatEvery(ctx);
  const onTick = (what: string) => (ms: number) => ctx.heartbeat({ phase: `compiling ${what} into the repository cache`, elapsedMs: Math.round(ms) });
  if (goPlan.warm) {
    seeds['go-build'] = (into) =>
      warmed('go', () => warmRepoGoCache({ dir, mounts, name: repoCacheName(identity), into, onTick: onTick('the Go packages'), tickMs }));
  }
  if (cargoPlan.warm) {
    // Only where compiling the base runs no code of its own: its registry dependencies' build scripts and proc macros alone.
    const facts = await cargoRepoFacts(dir);
    const treeRefusal = cargoTreeRefusal(facts);
    // A base that tracks no Cargo.lock (a library's usual case) has one resolved first, once its tracked files pass.
    const lock = treeRefusal === undefined ? (facts.lock ?? (await resolvedCargoLock(dir, mounts))) : undefined;
    const refusal = treeRefusal ?? (lock === undefined ? CARGO_LOCK_UNRESOLVED : cargoWarmUpRefusal({ ...facts, lock }));
    if (refusal !== undefined) refused('cargo', refusal);
    else {
      seeds['cargo-target'] = (into) =>
        warmed('cargo', () =>
          warmRepoCargoCache({ dir, mounts, name: repoCacheName(identity, 'cargo'), into, onTick: onTick("the crate's dependencies"), tickMs }),
        );
    }
  }
  return prepared();
}
