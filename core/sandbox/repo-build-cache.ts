// A repository's Go build cache, kept between runs. A run's base used to build
// Go's standard library and every dependency from nothing (a minute, where the
// repository's own tests take a second). Only the Go toolchain compiling may
// write this cache, never the repository's code running: a base can be a
// model's commit, and its tests (init(), TestMain) could plant entries in a
// cache they can write. So before the base's tests a warm-up compiles the test
// binaries and runs none of them (-exec /bin/true stands in for each binary),
// with the repository's cache bound writable; the base's tests then start from
// a private copy of it. Compiling runs no repository code: cgo's flags are
// allow-listed by Go, and go.mod's toolchain line is not followed
// (GOTOOLCHAIN=local). Cargo's only where compiling runs none of the
// repository's code (core/sandbox/repo-cargo-warm-up.ts). Pure: the caller
// says what holds.
import type { BuildCacheKind } from './build-caches.js';
import type { SandboxMode } from '../contracts/sandbox.js';
import { CACHE_PUBLISHED } from './warm-up-notes.js';

/** Compiles every package's tests and vets them, running no test binary (-count=1: no test result is cached). */
export const GO_WARM_UP_COMMAND = "go test -count=1 -run '^$' -exec /bin/true ./...";

/** What the warm-up is given besides the sandbox's usual variables: the module cache is the user's, read-only. */
export const GO_WARM_UP_ENV = { GOFLAGS: '-mod=readonly' } as const;

export interface RepoCacheFacts {
  role: 'base' | 'candidate' | undefined;
  kinds: BuildCacheKind[];
  /** The workspace's top folder holds go.mod or go.work (the warm-up builds ./... from there). */
  goModule: boolean;
  sandbox: SandboxMode;
  /** The base's own cache is already published (a retry): it is read, not filled. */
  published: boolean;
}

/**
 * Whether the base's run is warmed from the repository's cache. Only under bubblewrap: there the
 * cache is hidden from every test run, where without it the tests could reach it by its host path.
 */
export function planRepoGoWarmUp(f: RepoCacheFacts): { warm: true } | { warm: false; why: string } {
  if (f.role !== 'base') return { warm: false, why: 'only a base run fills its cache' };
  if (!f.kinds.some((k) => k.variable === 'GOCACHE')) return { warm: false, why: 'not a Go command' };
  if (!f.goModule) return { warm: false, why: 'no go.mod or go.work at the top of the workspace' };
  if (f.sandbox !== 'bwrap') return { warm: false, why: 'no sandbox to hide the cache from the tests' };
  if (f.published) return { warm: false, why: CACHE_PUBLISHED };
  return { warm: true };
}

/** A repository's cache is dropped once no run has used it for this long. */
export const REPO_CACHE_IDLE_DROP_MS = 7 * 24 * 3600_000;

/** A warm-up's lock older than this was left by a dead worker (a warm-up is limited far below it). */
export const REPO_CACHE_LOCK_STALE_MS = 2 * 3600_000;

/** The warm-up's time limit: a cold build of the standard library and dependencies, with room. */
export const GO_WARM_UP_TIMEOUT_MS = 15 * 60_000;

/** The name of a repository's cache folder, from a hash of what identifies it (its path or URL). */
export function repoCacheName(identityHash: string, tool: 'go' | 'cargo' = 'go'): string {
  return `${tool}-${identityHash.replace(/[^0-9a-f]/g, '').slice(0, 24)}`;
}
