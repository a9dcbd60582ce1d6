// What a base's run says about its repository-cache warm-up (core/sandbox/repo-build-cache.ts for Go,
// repo-cargo-warm-up.ts for Cargo) where it did not warm, or warmed only part: a line in the sandbox
// worker's log and in the test run's result, so a cold base build is never a mystery. Pure.
import { CARGO_TARGET, GO_BUILD_CACHE, type BuildCacheKind } from './build-caches.js';

export type WarmUpTool = 'go' | 'cargo';

const CACHE_OF: Record<WarmUpTool, string> = { go: 'Go build cache', cargo: 'Cargo target dir' };
const KIND_OF: Record<WarmUpTool, BuildCacheKind> = { go: GO_BUILD_CACHE, cargo: CARGO_TARGET };

/**
 * The line saying why a run's cache was not warmed, where it is news: only a base fills its cache
 * (a candidate never warms), and only a command that uses the tool's cache (a Go run's Cargo plan is not).
 */
export function warmUpRefusalNote(run: { role: 'base' | 'candidate' | undefined; kinds: BuildCacheKind[] }, tool: WarmUpTool, why: string): string | undefined {
  if (run.role !== 'base' || !run.kinds.some((k) => k.name === KIND_OF[tool].name)) return undefined;
  // A retried base reads the cache its first attempt published: it builds warm, so there is nothing to explain.
  if (why === CACHE_PUBLISHED) return undefined;
  return warmUpRefused(tool, why);
}

/** The base's cache was published by an earlier attempt of the same run (a retry): it is mounted as it is. */
export const CACHE_PUBLISHED = "the base's cache is published already";

/** Another run's warm-up holds the repository's cache (one writer at a time). */
export const LOCK_HELD = "another run is warming the repository's cache (its lock is held)";

/** A base that tracks no Cargo.lock, and none could be resolved offline. */
export const CARGO_LOCK_UNRESOLVED = 'no Cargo.lock at the base, and none could be resolved from the downloaded registry (cargo generate-lockfile --offline)';

/** The warmed cache could not be copied into the base's own. */
export function copyFailed(detail: string): string {
  return `copying the repository's cache into the base's failed (${detail.trim().split('\n')[0] || 'cp gave no reason'})`;
}

/** The warm-up itself failed to start or finish (the sandbox, the file system). */
export function warmUpFailed(detail: string): string {
  return `the warm-up failed (${detail.trim().split('\n')[0] || 'no reason given'})`;
}

/** Why the base's cache was not warmed: it builds cold. */
export function warmUpRefused(tool: WarmUpTool, why: string): string {
  return `${CACHE_OF[tool]} not warmed from the repository's cache: ${why}; the base builds cold`;
}

/** A warm-up stopped by its limit: what it compiled is kept, the base's tests compile the rest. */
export function warmUpCutShort(tool: WarmUpTool, limitMs: number): string {
  return `${CACHE_OF[tool]} warm-up stopped at its ${Math.round(limitMs / 60_000)}-minute limit: the base compiles what it left`;
}
