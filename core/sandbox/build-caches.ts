// Build caches shared from the base's run with its candidates. A sandboxed
// `go test` or `cargo test` used to start from an empty cache every time: the
// standard library and every dependency compiled again for each candidate
// (minutes, where the tests take seconds). Now the base's run fills a cache of
// its own, which is then published read-only; each candidate gets a private,
// writable view of it (an overlay, or a copy where no overlay can be mounted),
// so a candidate reads the base's build output but can never change what the
// next candidate reads. Go's build cache is content-addressed and Cargo's
// target dir fingerprinted, so reading the base's entries is safe; writing
// them is what a candidate must never do. Pure: the caller says what exists.

/** A tool's build cache: where the tool is told to keep it inside the sandbox. */
export interface BuildCacheKind {
  /** The cache's folder name under a run's caches (also its name in messages). */
  name: 'go-build' | 'cargo-target';
  /** The variable that tells the tool where its cache is. */
  variable: 'GOCACHE' | 'CARGO_TARGET_DIR';
  /** Its path inside the sandbox: one path for the base and every candidate (Cargo's fingerprints hold absolute paths). */
  sandboxPath: string;
}

export const GO_BUILD_CACHE: BuildCacheKind = { name: 'go-build', variable: 'GOCACHE', sandboxPath: '/tmp/go-build' };
export const CARGO_TARGET: BuildCacheKind = { name: 'cargo-target', variable: 'CARGO_TARGET_DIR', sandboxPath: '/tmp/cargo-target' };

export interface BuildCacheFacts {
  command: string;
  /** Whether the workspace's top folder holds this file (go.mod, Cargo.toml…). */
  hasRootFile: (name: string) => boolean;
}

/** The build caches a test command will use: Go's for a Go module or a `go` command, Cargo's target dir for a crate or a `cargo` command. */
export function buildCachesFor(f: BuildCacheFacts): BuildCacheKind[] {
  const words = f.command.split(/[\s;&|()<>`]+/).map((w) => w.replace(/^.*\//, ''));
  const kinds: BuildCacheKind[] = [];
  if (f.hasRootFile('go.mod') || f.hasRootFile('go.work') || words.includes('go')) kinds.push(GO_BUILD_CACHE);
  if (f.hasRootFile('Cargo.toml') || words.includes('cargo')) kinds.push(CARGO_TARGET);
  return kinds;
}

/**
 * How one run's cache is given to it:
 *   fill     the base's run writes a cache of its own, published read-only once the run ends;
 *   seeded   a fill that starts from a copy of the repository's cache (core/sandbox/repo-build-cache.ts);
 *   overlay  a private writable overlay over the published cache (mounted by Ouro as root);
 *   copy     a private copy of the published cache (no overlay here: Ouro is not root, or the mount failed);
 *   empty    a private empty cache (nothing published yet, or a run with no role).
 */
export type CacheMountPlan = 'fill' | 'seeded' | 'overlay' | 'copy' | 'empty';

export interface CacheMountFacts {
  role: 'base' | 'candidate' | undefined;
  /** A cache of this base is published on this host. */
  published: boolean;
  /** An overlay can be mounted here (root, and the kernel allowed it when tried). */
  canOverlay: boolean;
}

export function planCacheMount(f: CacheMountFacts): CacheMountPlan {
  // Once published, a cache is never written again: a second run of the base (a retry, a record on another host) reads it like a candidate.
  if (f.published) return f.canOverlay ? 'overlay' : 'copy';
  return f.role === 'base' ? 'fill' : 'empty';
}

/** The published cache's name: one per base, the base's tree where it is known (its workspace as data), else its folder. */
export function sharedCacheName(base: { tree: string } | { dirHash: string }): string {
  const id = 'tree' in base ? `tree-${base.tree}` : `dir-${base.dirHash}`;
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * How long a published cache may go unused before it is dropped. A run's caches go with its folder when
 * the run is cleaned up, but a sandbox host of a cluster never sees that clean-up: there they go once
 * no run has used them for this long, far longer than any test run lasts.
 */
export const CACHE_IDLE_DROP_MS = 24 * 3600_000;

/** The caches (published ones, and private folders a dead worker left) not used within `maxIdleMs` of now. */
export function staleCaches(caches: Array<{ path: string; lastUsedMs: number }>, nowMs: number, maxIdleMs = CACHE_IDLE_DROP_MS): string[] {
  return caches.filter((c) => nowMs - c.lastUsedMs > maxIdleMs).map((c) => c.path);
}
