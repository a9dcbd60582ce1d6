import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { git } from '../git/git.js';
import { runCommand } from '../process/process.js';
import { CARGO_LOCK_COMMAND, type CargoRepoFacts } from '../../core/sandbox/repo-cargo-warm-up.js';
import { DEFAULT_LIMITS } from '../../core/sandbox/sandbox-args.js';
import { sandboxed, type WorkspaceMounts } from './sandbox.js';

// What core/sandbox/repo-cargo-warm-up.ts judges, read from the base commit
// itself (its tree, not the folder's files): what a build of the base compiles.
// A read that fails gives nothing, which the judge refuses.

export async function cargoRepoFacts(dir: string): Promise<CargoRepoFacts> {
  const tracked = (await git(dir, ['ls-tree', '-r', '-z', '--full-tree', '--name-only', 'HEAD'], { allowFail: true, raw: true })).split('\0').filter(Boolean);
  const manifests: Record<string, string | undefined> = {};
  for (const path of tracked.filter((p) => p === 'Cargo.toml' || p.endsWith('/Cargo.toml'))) {
    manifests[path] = await git(dir, ['show', `HEAD:${path}`], { allowFail: true, raw: true });
  }
  // The lock beside the workspace's own Cargo.toml (the folder may be a subfolder of the repository).
  const lockTracked = (await git(dir, ['ls-tree', '--name-only', 'HEAD', '--', 'Cargo.lock'], { allowFail: true })).trim() !== '';
  const lock = lockTracked ? await git(dir, ['show', 'HEAD:./Cargo.lock'], { allowFail: true, raw: true }) : undefined;
  return { trackedPaths: tracked, manifests, lock };
}

/** Resolves a Cargo.lock in the workspace from the user's downloaded registry, in the sandbox (the base's tests would write the same); undefined where it could not. */
export async function resolvedCargoLock(dir: string, mounts: WorkspaceMounts): Promise<string | undefined> {
  const sandbox = await sandboxed(dir, CARGO_LOCK_COMMAND, mounts, DEFAULT_LIMITS);
  try {
    const r = await runCommand({ command: CARGO_LOCK_COMMAND, argv: sandbox, cwd: dir, timeoutMs: 120_000 });
    if (r.exitCode !== 0) return undefined;
  } finally {
    await sandbox.release();
  }
  return readFile(join(dir, 'Cargo.lock'), 'utf8').catch(() => undefined);
}
