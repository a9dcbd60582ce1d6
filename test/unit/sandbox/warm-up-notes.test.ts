import { describe, expect, it } from 'vitest';
import { CARGO_TARGET, GO_BUILD_CACHE } from '../../../core/sandbox/build-caches.js';
import { cargoWarmUpRefusal, CARGO_WARM_UP_TIMEOUT_MS, planRepoCargoWarmUp, type CargoRepoFacts } from '../../../core/sandbox/repo-cargo-warm-up.js';
import { GO_WARM_UP_TIMEOUT_MS } from '../../../core/sandbox/repo-build-cache.js';
import {
  CARGO_LOCK_UNRESOLVED,
  copyFailed,
  LOCK_HELD,
  warmUpCutShort,
  warmUpFailed,
  warmUpRefusalNote,
  CACHE_PUBLISHED,
  warmUpRefused,
} from '../../../core/sandbox/warm-up-notes.js';

// The line a base's run logs (and keeps in its result) when its crate builds cold: one per refusal cause, word for word.
const SUM = 'ab'.repeat(32);
const REGISTRY = 'registry+https://index.example.invalid/';
const MANIFEST = '[package]\nname = "digits"\nversion = "0.1.0"\n';
const ITOA = `[[package]]\nname = "itoa"\nversion = "1.0.11"\nsource = "${REGISTRY}"\nchecksum = "${SUM}"\n`;
const lock = (...packages: string[]) => ['version = 3\n', '[[package]]\nname = "digits"\nversion = "0.1.0"\n', ...packages].join('\n');
const facts: CargoRepoFacts = { trackedPaths: ['Cargo.toml', 'Cargo.lock', 'src/lib.rs'], manifests: { 'Cargo.toml': MANIFEST }, lock: lock(ITOA) };
const base = { role: 'base' as const, kinds: [CARGO_TARGET] };
const line = (why: string | undefined) => warmUpRefusalNote(base, 'cargo', why ?? 'NOT REFUSED');
const cold = (why: string) => `Cargo target dir not warmed from the repository's cache: ${why}; the base builds cold`;

describe('a refused Cargo warm-up says why', () => {
  it('before the repository is read: not the base, no Cargo.toml, no sandbox, published already', () => {
    const plan = { role: 'base' as const, kinds: [CARGO_TARGET], manifest: true, sandbox: 'bwrap' as const, published: false };
    const why = (p: typeof plan | Record<string, unknown>) => {
      const r = planRepoCargoWarmUp({ ...plan, ...p });
      return r.warm ? undefined : r.why;
    };
    expect(line(why({ manifest: false }))).toBe(cold('no Cargo.toml at the top of the workspace'));
    expect(line(why({ sandbox: 'degraded' }))).toBe(cold('no sandbox to hide the cache from the tests'));
    // A retried base mounts the cache its first attempt published: warm, so no note.
    expect(why({ published: true })).toBe(CACHE_PUBLISHED);
    expect(line(why({ published: true }))).toBeUndefined();
    expect(why({ role: 'candidate' })).toBe('only a base run fills its cache');
  });

  it("from the repository's tracked files", () => {
    const tracked = (p: string) => cargoWarmUpRefusal({ ...facts, trackedPaths: [...facts.trackedPaths, p] });
    expect(line(tracked('build.rs'))).toBe(cold('the repository has a build script (build.rs)'));
    expect(line(tracked('.cargo/config.toml'))).toBe(cold('the repository sets how Cargo or rustc run (.cargo/config.toml)'));
    const manifest = (m: string | undefined) => cargoWarmUpRefusal({ ...facts, manifests: { 'Cargo.toml': m } });
    expect(line(manifest(undefined))).toBe(cold('Cargo.toml could not be read'));
    expect(line(manifest(`${MANIFEST}"b\\u0075ild" = "g.rs"\n`))).toBe(cold('Cargo.toml spells something with a TOML escape'));
    expect(line(manifest(`${MANIFEST}build = "gen.rs"\n`))).toBe(cold('Cargo.toml names a build script'));
    expect(line(manifest(`${MANIFEST}[lib]\nproc-macro = true\n`))).toBe(cold('Cargo.toml is a proc macro'));
  });

  it('from Cargo.lock', () => {
    const locked = (l: string | undefined) => cargoWarmUpRefusal({ ...facts, lock: l });
    expect(line(locked(undefined))).toBe(cold('no Cargo.lock at the base: what would be compiled is not pinned'));
    expect(line(locked('garbage'))).toBe(cold('Cargo.lock is not the shape Cargo writes'));
    expect(line(locked(lock('[[package]]\nname = "x"\n')))).toBe(cold('Cargo.lock has a package with no name or version'));
    expect(line(locked(lock('[[package]]\nname = "outside"\nversion = "0.1.0"\n')))).toBe(
      cold("outside 0.1.0 is a path package outside the repository's manifests"),
    );
    expect(line(locked(lock(ITOA.replace(REGISTRY, 'git+https://example.invalid/itoa#0123'))))).toBe(cold('itoa 1.0.11 is not from a registry (git)'));
    expect(line(locked(lock(ITOA.replace(/checksum = .*\n/, ''))))).toBe(cold('itoa 1.0.11 has no checksum in Cargo.lock'));
  });

  it('while warming: no lock resolved, the lock held, the warm-up or the copy failed; a warm-up cut short says so', () => {
    expect(line(CARGO_LOCK_UNRESOLVED)).toBe(
      cold('no Cargo.lock at the base, and none could be resolved from the downloaded registry (cargo generate-lockfile --offline)'),
    );
    expect(line(LOCK_HELD)).toBe(cold("another run is warming the repository's cache (its lock is held)"));
    expect(line(warmUpFailed('bwrap: setting up uid map: Permission denied\nmore'))).toBe(
      cold('the warm-up failed (bwrap: setting up uid map: Permission denied)'),
    );
    expect(line(copyFailed("cp: cannot create regular file 'x': No space left on device\n"))).toBe(
      cold("copying the repository's cache into the base's failed (cp: cannot create regular file 'x': No space left on device)"),
    );
    expect(line(copyFailed(''))).toBe(cold("copying the repository's cache into the base's failed (cp gave no reason)"));
    expect(warmUpCutShort('cargo', CARGO_WARM_UP_TIMEOUT_MS)).toBe('Cargo target dir warm-up stopped at its 25-minute limit: the base compiles what it left');
    expect(warmUpCutShort('go', GO_WARM_UP_TIMEOUT_MS)).toBe('Go build cache warm-up stopped at its 15-minute limit: the base compiles what it left');
  });

  it('Cargo has a limit of its own, below the lock a dead worker leaves', () => {
    expect(CARGO_WARM_UP_TIMEOUT_MS).not.toBe(GO_WARM_UP_TIMEOUT_MS);
    expect(CARGO_WARM_UP_TIMEOUT_MS).toBeLessThan(2 * 3600_000);
  });

  it('is said only of a base whose command uses that cache', () => {
    expect(warmUpRefusalNote({ role: 'candidate', kinds: [CARGO_TARGET] }, 'cargo', LOCK_HELD)).toBeUndefined();
    expect(warmUpRefusalNote({ role: undefined, kinds: [CARGO_TARGET] }, 'cargo', LOCK_HELD)).toBeUndefined();
    expect(warmUpRefusalNote({ role: 'base', kinds: [GO_BUILD_CACHE] }, 'cargo', 'not a Cargo command')).toBeUndefined();
    expect(warmUpRefusalNote({ role: 'base', kinds: [GO_BUILD_CACHE] }, 'go', LOCK_HELD)).toBe(warmUpRefused('go', LOCK_HELD));
    expect(warmUpRefused('go', LOCK_HELD)).toBe(
      "Go build cache not warmed from the repository's cache: another run is warming the repository's cache (its lock is held); the base builds cold",
    );
  });
});
