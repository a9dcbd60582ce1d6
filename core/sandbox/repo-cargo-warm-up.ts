// Whether a crate's repository cache (core/sandbox/repo-build-cache.ts) may be
// filled by compiling it. Unlike Go's, a Cargo build runs code: each package's
// build.rs and each proc macro. A registry crate's are the code the user chose
// and downloaded, checked against Cargo.lock's checksum; the repository's own
// are a base that may be a model's commit. So the warm-up is done only where,
// at the base commit, no package of the repository has a build script or is a
// proc macro, every package Cargo.lock (tracked, or resolved offline where the
// base tracks none) names is a checksummed registry crate or
// one of the repository's own manifests, and nothing tracked changes how Cargo
// or rustc are found (.cargo/config, rust-toolchain: a linker, a wrapper, a
// toolchain path would be the repository's code). Anything unreadable or
// unexpected refuses: the base then builds cold, as it always could. Pure.

import type { BuildCacheKind } from './build-caches.js';
import type { SandboxMode } from '../contracts/sandbox.js';
import { CACHE_PUBLISHED } from './warm-up-notes.js';

/** Compiles every target's tests and runs none, from Cargo.lock as it is and the user's downloaded crates only. */
export const CARGO_WARM_UP_COMMAND = 'cargo test --no-run --locked --offline';

/**
 * The warm-up's time limit: every dependency and test target compiled cold, in debug. Longer than
 * Go's (a Go build compiles packages in parallel from a cached standard library; rustc compiles each
 * crate's generics anew), and far below REPO_CACHE_LOCK_STALE_MS. A warm-up cut short keeps what it compiled.
 */
export const CARGO_WARM_UP_TIMEOUT_MS = 25 * 60_000;

export interface CargoRepoFacts {
  /** Every path tracked at the base commit, relative to the repository's top. */
  trackedPaths: string[];
  /** The content of each tracked Cargo.toml at the base commit, by path; undefined where it could not be read. */
  manifests: Record<string, string | undefined>;
  /** Cargo.lock at the top of the base commit, or resolved for it (CARGO_LOCK_COMMAND); undefined where there is none. */
  lock: string | undefined;
}

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const parentName = (p: string) => {
  const parts = p.split('/');
  return parts.length > 1 ? parts[parts.length - 2] : '';
};

/** Files whose presence makes Cargo or rustup run something the repository names. */
function changesToolchain(path: string): boolean {
  const name = baseName(path);
  if (name === 'rust-toolchain' || name === 'rust-toolchain.toml') return true;
  return parentName(path) === '.cargo' && (name === 'config' || name === 'config.toml');
}

/** A TOML string value on one line: `key = "value"`. */
function stringValue(line: string, key: string): string | undefined {
  const m = new RegExp(`^\\s*${key}\\s*=\\s*"([^"\\\\]*)"\\s*(#.*)?$`).exec(line);
  return m?.[1];
}

/** The name a manifest's [package] table gives, if it has one. */
export function manifestPackageName(manifest: string): string | undefined {
  let table = '';
  for (const line of manifest.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]*)\]\s*(#.*)?$/.exec(line);
    if (header) {
      table = (header[1] ?? '').trim();
      continue;
    }
    if (table === 'package') {
      const name = stringValue(line, 'name');
      if (name !== undefined) return name;
    }
  }
  return undefined;
}

export interface LockedPackage {
  name?: string;
  version?: string;
  source?: string;
  checksum?: string;
}

/** Cargo.lock's [[package]] entries; undefined where the file is not the shape Cargo writes. */
export function lockedPackages(lock: string): LockedPackage[] | undefined {
  const packages: LockedPackage[] = [];
  let current: LockedPackage | undefined;
  let inArray = false;
  for (const raw of lock.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line === '[[package]]') {
      current = {};
      packages.push(current);
      inArray = false;
      continue;
    }
    if (line.startsWith('[')) {
      // [metadata] (old locks' checksums) or [[patch.unused]]: no more packages to read where they are not ours.
      current = undefined;
      inArray = false;
      continue;
    }
    if (inArray) {
      if (line.startsWith(']')) inArray = false;
      continue;
    }
    if (!current) continue;
    if (/^dependencies\s*=\s*\[/.test(line)) {
      inArray = !line.endsWith(']');
      continue;
    }
    for (const key of ['name', 'version', 'source', 'checksum'] as const) {
      if (new RegExp(`^${key}\\s*=`).test(line)) {
        const value = stringValue(line, key);
        if (value === undefined || current[key] !== undefined) return undefined;
        current[key] = value;
      }
    }
  }
  // A dependencies list never closed: cut short.
  return inArray ? undefined : packages;
}

const REGISTRY_SOURCE = /^(registry|sparse)\+[^\s]+$/;
const CHECKSUM = /^[0-9a-f]{64}$/;

/** Compiles no code: resolves the manifests into a Cargo.lock from the user's downloaded registry (a base that tracks none). */
export const CARGO_LOCK_COMMAND = 'cargo generate-lockfile --offline';

/** Why the repository's tracked files alone refuse a warm-up (read before even resolving a lock: rust-toolchain picks the cargo that would). */
export function cargoTreeRefusal(f: Omit<CargoRepoFacts, 'lock'>): string | undefined {
  return ownPackages(f).refusal;
}

function ownPackages(f: Omit<CargoRepoFacts, 'lock'>): { refusal?: string; names: Set<string> } {
  const names = new Set<string>();
  const refuse = (refusal: string) => ({ refusal, names });
  const scripts = f.trackedPaths.filter((p) => baseName(p) === 'build.rs');
  if (scripts.length) return refuse(`the repository has a build script (${scripts[0]})`);
  const toolchain = f.trackedPaths.find(changesToolchain);
  if (toolchain) return refuse(`the repository sets how Cargo or rustc run (${toolchain})`);
  for (const path of f.trackedPaths.filter((p) => baseName(p) === 'Cargo.toml')) {
    const manifest = f.manifests[path];
    if (manifest === undefined) return refuse(`${path} could not be read`);
    // Wider than Cargo reads, never narrower: a key quoted, dotted (package.build) or in an inline table; a crate-type.
    if (/\\[uU]/.test(manifest)) return refuse(`${path} spells something with a TOML escape`);
    if (/\bbuild["']?\s*=/.test(manifest)) return refuse(`${path} names a build script`);
    if (/proc[-_]macro["']?\s*=\s*true|["']proc[-_]macro["']/.test(manifest)) return refuse(`${path} is a proc macro`);
    const name = manifestPackageName(manifest);
    if (name !== undefined) names.add(name);
  }
  return { names };
}

/** Why the repository's cache may not be filled by compiling it; undefined where it may. */
export function cargoWarmUpRefusal(f: CargoRepoFacts): string | undefined {
  const own = ownPackages(f);
  if (own.refusal) return own.refusal;
  const ownNames = own.names;
  if (f.lock === undefined) return 'no Cargo.lock at the base: what would be compiled is not pinned';
  const packages = lockedPackages(f.lock);
  if (!packages?.length) return 'Cargo.lock is not the shape Cargo writes';
  for (const p of packages) {
    if (!p.name || !p.version) return 'Cargo.lock has a package with no name or version';
    if (p.source === undefined) {
      if (!ownNames.has(p.name)) return `${p.name} ${p.version} is a path package outside the repository's manifests`;
      continue;
    }
    if (!REGISTRY_SOURCE.test(p.source)) return `${p.name} ${p.version} is not from a registry (${p.source.split('+')[0]})`;
    if (!p.checksum || !CHECKSUM.test(p.checksum)) return `${p.name} ${p.version} has no checksum in Cargo.lock`;
  }
  return undefined;
}

export interface CargoWarmUpFacts {
  role: 'base' | 'candidate' | undefined;
  kinds: BuildCacheKind[];
  /** Cargo.toml at the top of the workspace (the warm-up builds from there). */
  manifest: boolean;
  sandbox: SandboxMode;
  published: boolean;
}

/** Whether a crate's base run may be warmed, before its repository is looked at (cargoWarmUpRefusal then says whether it is). */
export function planRepoCargoWarmUp(f: CargoWarmUpFacts): { warm: true } | { warm: false; why: string } {
  if (f.role !== 'base') return { warm: false, why: 'only a base run fills its cache' };
  if (!f.kinds.some((k) => k.variable === 'CARGO_TARGET_DIR')) return { warm: false, why: 'not a Cargo command' };
  if (!f.manifest) return { warm: false, why: 'no Cargo.toml at the top of the workspace' };
  if (f.sandbox !== 'bwrap') return { warm: false, why: 'no sandbox to hide the cache from the tests' };
  if (f.published) return { warm: false, why: CACHE_PUBLISHED };
  return { warm: true };
}
