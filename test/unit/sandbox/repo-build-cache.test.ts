import { describe, expect, it } from 'vitest';
import { CARGO_TARGET, GO_BUILD_CACHE } from '../../../core/sandbox/build-caches.js';
import { GO_WARM_UP_COMMAND, GO_WARM_UP_ENV, planRepoGoWarmUp, repoCacheName } from '../../../core/sandbox/repo-build-cache.js';

const base = { role: 'base' as const, kinds: [GO_BUILD_CACHE], goModule: true, sandbox: 'bwrap' as const, published: false };

describe('planRepoGoWarmUp', () => {
  it("a Go module's base run under bubblewrap is warmed from the repository's cache", () => {
    expect(planRepoGoWarmUp(base)).toEqual({ warm: true });
  });
  it('never a candidate, nor a run with no role: only a base fills a cache', () => {
    expect(planRepoGoWarmUp({ ...base, role: 'candidate' }).warm).toBe(false);
    expect(planRepoGoWarmUp({ ...base, role: undefined }).warm).toBe(false);
  });
  it('not for a Cargo-only command: its warm-up is planned apart (repo-cargo-warm-up.ts)', () => {
    expect(planRepoGoWarmUp({ ...base, kinds: [CARGO_TARGET] })).toMatchObject({ warm: false, why: 'not a Go command' });
    expect(planRepoGoWarmUp({ ...base, kinds: [CARGO_TARGET, GO_BUILD_CACHE] }).warm).toBe(true);
  });
  it('not without a sandbox that hides the cache from the tests, nor without a module at the top, nor for a base already published', () => {
    expect(planRepoGoWarmUp({ ...base, sandbox: 'degraded' }).warm).toBe(false);
    expect(planRepoGoWarmUp({ ...base, goModule: false }).warm).toBe(false);
    expect(planRepoGoWarmUp({ ...base, published: true }).warm).toBe(false);
  });
});

describe('the warm-up', () => {
  it('compiles the tests and runs no test binary, caches no test result, and downloads no module', () => {
    expect(GO_WARM_UP_COMMAND).toContain('-exec /bin/true');
    expect(GO_WARM_UP_COMMAND).toContain('-count=1');
    expect(GO_WARM_UP_ENV.GOFLAGS).toBe('-mod=readonly');
  });
});

describe('repoCacheName', () => {
  it('names a folder from the hash alone: nothing else in it reaches a path', () => {
    expect(repoCacheName('ab'.repeat(32))).toBe(`go-${'ab'.repeat(12)}`);
    expect(repoCacheName('../../etc/passwd')).toMatch(/^go-[0-9a-f]*$/);
    expect(repoCacheName('/x/ab,cd:ef')).toMatch(/^go-[0-9a-f]*$/);
  });
});

describe("repoCacheName for a crate's target dir", () => {
  it("is apart from the same repository's Go cache", () => {
    expect(repoCacheName('ab'.repeat(32), 'cargo')).toBe(`cargo-${'ab'.repeat(12)}`);
  });
});
