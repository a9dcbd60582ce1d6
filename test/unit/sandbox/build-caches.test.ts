import { describe, expect, it } from 'vitest';
import { buildCachesFor, CARGO_TARGET, GO_BUILD_CACHE, planCacheMount, sharedCacheName, staleCaches } from '../../../core/sandbox/build-caches.js';

const files =
  (...names: string[]) =>
  (name: string) =>
    names.includes(name);

describe('buildCachesFor', () => {
  it("Go's build cache for a Go module or workspace, whatever the command", () => {
    expect(buildCachesFor({ command: 'make test', hasRootFile: files('go.mod') })).toEqual([GO_BUILD_CACHE]);
    expect(buildCachesFor({ command: 'make test', hasRootFile: files('go.work') })).toEqual([GO_BUILD_CACHE]);
  });
  it("Cargo's target dir for a crate", () => {
    expect(buildCachesFor({ command: 'cargo test --offline', hasRootFile: files('Cargo.toml') })).toEqual([CARGO_TARGET]);
  });
  it('a command that runs go or cargo in a subfolder (or by its full path) gets its cache too', () => {
    expect(buildCachesFor({ command: 'cd backend && go test ./...', hasRootFile: files() })).toEqual([GO_BUILD_CACHE]);
    expect(buildCachesFor({ command: '/usr/local/go/bin/go test ./...', hasRootFile: files() })).toEqual([GO_BUILD_CACHE]);
    expect(buildCachesFor({ command: '(cd core; cargo test)', hasRootFile: files() })).toEqual([CARGO_TARGET]);
  });
  it('both where both are used', () => {
    expect(buildCachesFor({ command: 'go test ./... && cargo test', hasRootFile: files() })).toEqual([GO_BUILD_CACHE, CARGO_TARGET]);
  });
  it('none for a Python or Node project, nor for words that only contain go or cargo', () => {
    expect(buildCachesFor({ command: 'python -m pytest', hasRootFile: files('pyproject.toml') })).toEqual([]);
    expect(buildCachesFor({ command: 'npx vitest run --grep cargo-cult go-ahead', hasRootFile: files('package.json') })).toEqual([]);
  });
  it('every cache has one path inside the sandbox, under its private /tmp', () => {
    for (const k of [GO_BUILD_CACHE, CARGO_TARGET]) expect(k.sandboxPath).toMatch(/^\/tmp\/[a-z-]+$/);
  });
});

describe('planCacheMount', () => {
  it("the base fills a cache of its own while none is published; a candidate then has an empty private one, never the base's unfinished one", () => {
    expect(planCacheMount({ role: 'base', published: false, canOverlay: true })).toBe('fill');
    expect(planCacheMount({ role: 'candidate', published: false, canOverlay: true })).toBe('empty');
    expect(planCacheMount({ role: undefined, published: false, canOverlay: true })).toBe('empty');
  });
  it('once published, every run (a second run of the base too) gets a private view: an overlay where one can be mounted, else a copy', () => {
    for (const role of ['base', 'candidate', undefined] as const) {
      expect(planCacheMount({ role, published: true, canOverlay: true })).toBe('overlay');
      expect(planCacheMount({ role, published: true, canOverlay: false })).toBe('copy');
    }
  });
});

describe('sharedCacheName', () => {
  it("names a base by its tree, or by its folder's hash, as a single safe path segment", () => {
    expect(sharedCacheName({ tree: 'abc123' })).toBe('tree-abc123');
    expect(sharedCacheName({ dirHash: '0f1e' })).toBe('dir-0f1e');
    expect(sharedCacheName({ tree: '../../etc' })).toBe('tree-.._.._etc');
  });
});

describe('staleCaches', () => {
  const hour = 3600_000;
  it('drops what no run has used for a day, keeps what one used within it', () => {
    const now = 100 * hour;
    const caches = [
      { path: '/w/run-a/build-caches/tree-1', lastUsedMs: now - 25 * hour },
      { path: '/w/run-b/build-caches/tree-2', lastUsedMs: now - 2 * hour },
      { path: '/w/run-c/build-caches/runs/x', lastUsedMs: now - 24 * hour },
    ];
    expect(staleCaches(caches, now)).toEqual(['/w/run-a/build-caches/tree-1']);
    expect(staleCaches(caches, now, hour)).toEqual(['/w/run-a/build-caches/tree-1', '/w/run-b/build-caches/tree-2', '/w/run-c/build-caches/runs/x']);
  });
  it('a clock that went back drops nothing', () => {
    expect(staleCaches([{ path: '/w/x', lastUsedMs: 10 * hour }], 5 * hour)).toEqual([]);
  });
});
