import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { planCacheMount, staleCaches, type BuildCacheKind, type CacheMountPlan } from '../../core/sandbox/build-caches.js';
import type { SandboxMode } from '../../core/contracts/sandbox.js';
import { allCacheHomes, cacheUseMark, overlayMountPoint, privateCaches, publishedCaches } from './build-cache-paths.js';
import { releaseLeftoverTmps } from './sandbox.js';
import { pruneRepoCaches } from './repo-build-cache.js';

// One run's build caches made real (core/sandbox/build-caches.ts plans them).
// The base's run fills a private folder, published read-only when it ends:
// owned by root, renamed into place whole, never written again. A later run
// gets a private view of it: as root an overlay mounted here (its writes land
// in its own upper layer, the published cache is only a lower layer), else a
// copy. Each run's folder is removed when it ends; the published cache goes
// with the run's folder.

export interface CacheScope {
  /** The run's cache folder (build-cache-paths.ts). */
  home: string;
  /** The published cache's name (core/sandbox/build-caches.ts sharedCacheName). */
  shared: string;
  role: 'base' | 'candidate' | undefined;
}

export interface PreparedBuildCaches {
  /** Each tool told where its cache is: the sandbox's path under bubblewrap, the host's without it. */
  env: Record<string, string>;
  /** Host folders bound writable at the sandbox's paths (bubblewrap only). */
  binds: Array<{ src: string; dest: string }>;
  /** The run's cache folder, hidden from the run: its view is only what is bound. */
  hide: string[];
  /** How each cache was given, by name (for tests and messages). */
  plans: Record<string, CacheMountPlan>;
  /** After the run: the base's cache published, a view unmounted and removed. */
  release(): Promise<void>;
}

const isRoot = () => process.getuid?.() === 0;
/** Characters that would split or escape an overlay's mount options. */
const UNSAFE_FOR_OPTIONS = /[,:\\\s]/;

let overlayRefused = false;

/** A private overlay over the published cache, writable by any uid at its top (the sandbox's uid writes there). */
async function mountOverlay(lower: string, dir: string, name: string): Promise<string | undefined> {
  if (overlayRefused || !isRoot() || [lower, dir].some((p) => UNSAFE_FOR_OPTIONS.test(p))) return undefined;
  const upper = join(dir, `${name}.upper`);
  const work = join(dir, `${name}.work`);
  const merged = overlayMountPoint(dir, name);
  for (const d of [upper, work, merged]) await mkdir(d, { recursive: true });
  // The merged root takes the upper layer's mode.
  await chmod(upper, 0o777);
  const options = `lowerdir=${lower},upperdir=${upper},workdir=${work},nosuid,nodev`;
  const r = await execa('mount', ['-t', 'overlay', '-o', options, 'ouro-cache', merged], { reject: false });
  if (r.exitCode === 0) return merged;
  overlayRefused = true;
  process.stderr.write(
    `ouro: cannot mount an overlay for build caches (${String(r.stderr).trim() || 'mount failed'}): each run gets a copy of the base's cache\n`,
  );
  return undefined;
}

/** A private copy of the published cache (reflinked where the filesystem can). */
async function copyOf(from: string, to: string): Promise<string> {
  const r = await execa('cp', ['-a', '--reflink=auto', from, to], { reject: false });
  if (r.exitCode !== 0) {
    // A cache that cannot be copied is only slower: an empty one is still correct.
    await rm(to, { recursive: true, force: true });
    await mkdir(to, { recursive: true });
  }
  await chmod(to, 0o777);
  return to;
}

/** Makes the filled cache root's, readable and writable by any view of it (no set-id bits), then puts it in place whole. */
async function publish(filled: string, shared: string): Promise<void> {
  if (isRoot()) await execa('chown', ['-R', '-h', '0:0', filled], { reject: false });
  // Writable by all so that any sandbox uid can write its own overlay's copy of a file; the folder is only ever a lower layer or copied.
  await execa('chmod', ['-R', 'a+rwX,ug-s', filled], { reject: false });
  // A base run twice (a retry, another record on this host): the first published stays, never rewritten under a mounted overlay.
  await rename(filled, shared).catch(() => rm(filled, { recursive: true, force: true }));
}

/** Says a published cache is in use now, so that no prune drops it under a run. */
async function markUsed(shared: string): Promise<void> {
  const mark = cacheUseMark(shared);
  const now = new Date();
  await utimes(mark, now, now).catch(() => writeFile(mark, '').catch(() => undefined));
}

const PRUNE_EVERY_MS = 3600_000;
let lastPrune = 0;

/** Drops, at most once an hour, the caches of this host that no run has used for a day (core/sandbox/build-caches.ts). */
async function pruneStale(now = Date.now()): Promise<void> {
  if (now - lastPrune < PRUNE_EVERY_MS) return;
  lastPrune = now;
  const found: Array<{ path: string; lastUsedMs: number }> = [];
  const lastUse = async (p: string) => (await stat(p).catch(() => undefined))?.mtimeMs;
  for (const home of await allCacheHomes()) {
    for (const name of await readdir(home).catch(() => [] as string[])) {
      if (name.endsWith('.used')) continue;
      if (name === 'runs') {
        // Private folders a dead worker left (its overlay perhaps still mounted).
        for (const run of await readdir(join(home, name)).catch(() => [] as string[])) {
          const at = join(home, name, run);
          found.push({ path: at, lastUsedMs: (await lastUse(at)) ?? now });
        }
        continue;
      }
      const at = join(home, name);
      found.push({ path: at, lastUsedMs: (await lastUse(cacheUseMark(at))) ?? (await lastUse(at)) ?? now });
    }
  }
  for (const path of staleCaches(found, now)) {
    await releaseLeftoverTmps(path);
    await rm(path, { recursive: true, force: true });
    await rm(cacheUseMark(path), { force: true });
  }
  await pruneRepoCaches(now);
}

/** Fills a base's empty cache before its run (adapters/sandbox/repo-build-cache.ts); false where it left it empty. */
export type CacheSeed = (into: string) => Promise<boolean>;

export async function prepareBuildCaches(
  scope: CacheScope,
  kinds: BuildCacheKind[],
  mode: SandboxMode,
  seeds: Partial<Record<BuildCacheKind['name'], CacheSeed>> = {},
): Promise<PreparedBuildCaches> {
  const shared = publishedCaches(scope.home, scope.shared);
  const mine = privateCaches(scope.home, `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`);
  await mkdir(mine, { recursive: true });
  // Marked before it is looked for: a prune that runs now keeps it.
  await markUsed(shared);
  await pruneStale().catch(() => undefined);
  const plan = planCacheMount({ role: scope.role, published: existsSync(shared), canOverlay: isRoot() && !overlayRefused });
  const env: Record<string, string> = {};
  const binds: Array<{ src: string; dest: string }> = [];
  const plans: Record<string, CacheMountPlan> = {};
  const mounted: string[] = [];
  for (const kind of kinds) {
    const lower = join(shared, kind.name);
    let how: CacheMountPlan = plan !== 'fill' && plan !== 'empty' && !existsSync(lower) ? 'empty' : plan;
    let src: string | undefined;
    if (how === 'overlay') {
      src = await mountOverlay(lower, mine, kind.name);
      if (src) mounted.push(src);
      else how = 'copy';
    }
    if (how === 'copy') src = await copyOf(lower, join(mine, kind.name));
    if (!src) {
      src = join(mine, kind.name);
      await mkdir(src, { recursive: true });
      await chmod(src, 0o777);
      const seed = how === 'fill' ? seeds[kind.name] : undefined;
      if (seed && (await seed(src).catch(() => false))) how = 'seeded';
    }
    plans[kind.name] = how;
    if (mode === 'bwrap') {
      env[kind.variable] = kind.sandboxPath;
      binds.push({ src, dest: kind.sandboxPath });
    } else env[kind.variable] = src;
  }
  return {
    env,
    binds,
    hide: [scope.home],
    plans,
    release: async () => {
      for (const m of mounted) await execa('umount', ['-l', m], { reject: false });
      // A run that filled nothing (its sandbox never started the tests) leaves the next run of the base to fill it.
      const filled = await Promise.all(
        kinds.map((k) =>
          readdir(join(mine, k.name)).then(
            (names) => names.length > 0,
            () => false,
          ),
        ),
      );
      if (plan === 'fill' && filled.some(Boolean)) {
        await mkdir(join(mine, 'publish'), { recursive: true });
        for (const kind of kinds) await rename(join(mine, kind.name), join(mine, 'publish', kind.name));
        await publish(join(mine, 'publish'), shared);
      }
      await rm(mine, { recursive: true, force: true });
    },
  };
}
