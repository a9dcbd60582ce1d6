import { execa } from 'execa';
import { constants } from 'node:fs';
import { chmod, mkdir, open, readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import {
  GO_WARM_UP_COMMAND,
  GO_WARM_UP_ENV,
  GO_WARM_UP_TIMEOUT_MS,
  REPO_CACHE_IDLE_DROP_MS,
  REPO_CACHE_LOCK_STALE_MS,
} from '../../core/sandbox/repo-build-cache.js';
import { CARGO_WARM_UP_COMMAND, CARGO_WARM_UP_TIMEOUT_MS } from '../../core/sandbox/repo-cargo-warm-up.js';
import { copyFailed, LOCK_HELD, warmUpCutShort, type WarmUpTool as WarmUpToolName } from '../../core/sandbox/warm-up-notes.js';
import { CARGO_TARGET, GO_BUILD_CACHE, staleCaches, type BuildCacheKind } from '../../core/sandbox/build-caches.js';
import { DEFAULT_LIMITS } from '../../core/sandbox/sandbox-args.js';
import { runCommand } from '../process/process.js';
import { cacheUseMark, repoCacheLock, repoCachesRoot } from './build-cache-paths.js';
import { sandboxed, type WorkspaceMounts } from './sandbox.js';

// A repository's Go build cache, or a crate's target dir, made real (core/sandbox/repo-build-cache.ts
// plans it): one writer at a time, by a lock file beside the cache; a run that
// finds it locked builds cold. The warm-up runs in the sandbox as the base's
// tests do, with only the toolchain compiling; what it leaves is copied, under
// the lock, into the base's own cache, which the base's tests then fill.

/** The lock, taken whole or not at all; a lock left by a dead worker is taken over. */
async function takeLock(lock: string): Promise<boolean> {
  const at = await stat(lock).catch(() => undefined);
  if (at && Date.now() - at.mtimeMs > REPO_CACHE_LOCK_STALE_MS) await rm(lock, { force: true });
  const handle = await open(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600).catch(() => undefined);
  if (!handle) return false;
  await handle.writeFile(`${process.pid}\n`);
  await handle.close();
  return true;
}

export interface RepoWarmUp {
  /** The workspace whose packages are compiled. */
  dir: string;
  mounts: WorkspaceMounts;
  /** The repository cache's folder name (core/sandbox/repo-build-cache.ts repoCacheName). */
  name: string;
  /** Where the warmed cache is copied to: the base's own cache, empty. */
  into: string;
  /** Called while the compiler works (an activity's heartbeat). */
  onTick?: (elapsedMs: number) => void;
  tickMs?: number;
}

/** What one toolchain's warm-up runs, and the cache it writes. */
interface WarmUpTool {
  name: WarmUpToolName;
  command: string;
  env: Record<string, string>;
  kind: BuildCacheKind;
  timeoutMs: number;
}

const GO_TOOL: WarmUpTool = { name: 'go', command: GO_WARM_UP_COMMAND, env: { ...GO_WARM_UP_ENV }, kind: GO_BUILD_CACHE, timeoutMs: GO_WARM_UP_TIMEOUT_MS };
const CARGO_TOOL: WarmUpTool = { name: 'cargo', command: CARGO_WARM_UP_COMMAND, env: {}, kind: CARGO_TARGET, timeoutMs: CARGO_WARM_UP_TIMEOUT_MS };

/** Whether the base's cache was warmed, and what is worth saying: why not, or that it was cut short. */
export type WarmUpOutcome = { warmed: true; note?: string } | { warmed: false; why: string };

/** Warms the repository's Go cache (GOCACHE); see warmRepoCache. */
export const warmRepoGoCache = (w: RepoWarmUp) => warmRepoCache(w, GO_TOOL);
/** Warms the repository's Cargo target dir, where compiling it runs none of its code (core/sandbox/repo-cargo-warm-up.ts). */
export const warmRepoCargoCache = (w: RepoWarmUp) => warmRepoCache(w, CARGO_TOOL);

/**
 * Warms the repository's cache from the workspace and copies it into the base's cache.
 * Not warmed where another run holds the lock or the copy failed: the base builds cold, as it always could.
 */
async function warmRepoCache(w: RepoWarmUp, tool: WarmUpTool): Promise<WarmUpOutcome> {
  const root = repoCachesRoot();
  // Root's only: no process outside a sandbox but Ouro's reaches a cache the warm-ups write.
  await mkdir(root, { recursive: true, mode: 0o700 });
  await chmod(root, 0o700);
  const cache = join(root, w.name);
  const lock = repoCacheLock(cache);
  if (!(await takeLock(lock))) return { warmed: false, why: LOCK_HELD };
  try {
    await markUsed(cache);
    await mkdir(cache, { recursive: true });
    // The sandbox's uid writes the compiler's output there.
    await chmod(cache, 0o777);
    const sandbox = await sandboxed(w.dir, tool.command, w.mounts, DEFAULT_LIMITS, {
      env: { ...tool.env, [tool.kind.variable]: tool.kind.sandboxPath },
      writableAt: [{ src: cache, dest: tool.kind.sandboxPath }],
    });
    let cutShort = false;
    try {
      // A warm-up that fails (a package that does not compile) still leaves what did: the base's run reports the rest.
      const r = await runCommand({ command: tool.command, argv: sandbox, cwd: w.dir, timeoutMs: tool.timeoutMs, onTick: w.onTick, tickMs: w.tickMs });
      cutShort = r.timedOut;
    } finally {
      await sandbox.release();
    }
    // Each sandbox writes as a uid of its own: the next warm-up's, and the base's tests in their copy, add entries to folders this one made.
    await execa('chmod', ['-R', 'a+rwX,ug-s', cache], { reject: false });
    const r = await execa('cp', ['-a', '--reflink=auto', `${cache}/.`, w.into], { reject: false });
    if (r.exitCode !== 0) {
      // Half a copy is only slower, but an empty cache is the plain case.
      for (const name of await readdir(w.into).catch(() => [] as string[])) await rm(join(w.into, name), { recursive: true, force: true });
      return { warmed: false, why: copyFailed(String(r.stderr)) };
    }
    return cutShort ? { warmed: true, note: warmUpCutShort(tool.name, tool.timeoutMs) } : { warmed: true };
  } finally {
    await rm(lock, { force: true });
  }
}

async function markUsed(cache: string): Promise<void> {
  const mark = cacheUseMark(cache);
  await open(mark, 'a').then((h) => h.close());
  const now = new Date();
  await utimes(mark, now, now);
}

/** Drops the repositories' caches no run has used for days (a warm-up's, never one under its lock). */
export async function pruneRepoCaches(now = Date.now()): Promise<void> {
  const root = repoCachesRoot();
  const found: Array<{ path: string; lastUsedMs: number }> = [];
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (name.endsWith('.used') || name.endsWith('.lock')) continue;
    const at = join(root, name);
    const used = (await stat(cacheUseMark(at)).catch(() => undefined))?.mtimeMs ?? (await stat(at).catch(() => undefined))?.mtimeMs ?? now;
    found.push({ path: at, lastUsedMs: used });
  }
  for (const path of staleCaches(found, now, REPO_CACHE_IDLE_DROP_MS)) {
    if (!(await takeLock(repoCacheLock(path)))) continue;
    await rm(path, { recursive: true, force: true });
    await rm(cacheUseMark(path), { force: true });
    await rm(repoCacheLock(path), { force: true });
  }
}
