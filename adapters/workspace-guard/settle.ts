import { lstat, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import picomatch from 'picomatch';
import { foldersOf, probedAdditions } from '../../core/gate/file-probes.js';
import { removeCreated, removeStrays } from './cleanup.js';
import type { WorkspaceGuard } from './guard-state.js';
import { topLevelLinks } from './workspace-listing.js';
import { changedBetween, restoreFromTree, untrackedFiles, workspaceTree } from './workspace-git.js';

// Settling a workspace after a run, or after a run that never reached its
// check (a dead worker): everything the run left is judged first, while it is
// still there to be seen, then removed, and what is left must hash to the tree
// the workspace was given. Each problem is a sentence a refused candidate's
// verdict shows, ending in `when` (during its run, or before it).

/** Files present but not part of the workspace as applied (created by a run), links excluded. */
async function createdFiles(dir: string, guard: WorkspaceGuard): Promise<string[]> {
  const out = await untrackedFiles(dir, { allowFail: true });
  const own = new Set(guard.added);
  return out.filter((p) => !own.has(p) && !guard.links.has(p.split('/')[0]!));
}

async function compareTree(guard: WorkspaceGuard, when: string): Promise<string[]> {
  const now = await workspaceTree(guard.dir, guard.gitDir);
  if (now === guard.tree) return [];
  const changed = await changedBetween(guard.dir, guard.tree, now);
  const named = changed.filter((p) => !guard.writable.has(p));
  if (!named.length && changed.length) return [];
  return [
    `changed ${named.length ? named.slice(0, 5).join(', ') : 'the workspace'}${named.length > 5 ? ` and ${named.length - 5} more` : ''} ${when} (every file of the workspace is an input of the evaluation and stays as applied)`,
  ];
}

/** Judges what a run created (and changed), removes it, and puts the files the tests may write back. */
export async function settle(guard: WorkspaceGuard, when: string): Promise<string[]> {
  const dir = guard.dir;
  const problems: string[] = [];
  const add = (what: string) => problems.push(`${what} ${when}`);
  const after = await topLevelLinks(dir).catch(() => new Map<string, string>());
  for (const [name, target] of guard.links) {
    if (after.get(name) !== target) add(`replaced ${name} (a shared dependency link)`);
  }
  const protectedGlob = picomatch(guard.opts.protectedGlobs, { dot: true });
  const created = await createdFiles(dir, guard);
  guard.created = created;
  // What the base's own run creates (a lockfile, a cache) is no violation, neither there nor in a candidate's run.
  const byBase = new Set(guard.opts.probes?.created ?? []);
  const isProtected = (p: string) => !guard.opts.reference && !byBase.has(p) && protectedGlob(p);
  // At run time only the exact paths count: a new folder's runner configuration would have been read before its code ran.
  const probed = guard.opts.probes ? probedAdditions(created, { ...guard.opts.probes, perFolder: [] }, foldersOf(guard.files)) : [];
  const probedPaths = new Set(probed.map((p) => p.path));
  // Every name is judged (thousands of junk files sorted first must not hide a planted config); links among the first 20,000.
  for (const path of created) {
    if (problems.length >= 50) break;
    if (isProtected(path)) add(`created the protected path ${path}`);
    else if (probedPaths.has(path))
      add(`created ${path}, a path the base's test run looks for (runner configuration, setup, snapshots and module resolution are the base's)`);
  }
  for (const path of created.slice(0, 20_000)) {
    const full = join(dir, path);
    const st = await lstat(full).catch(() => undefined);
    if (st?.isSymbolicLink()) {
      const target = await realpath(full).catch(() => undefined);
      if (!target || !`${target}${sep}`.startsWith(`${dir}${sep}`)) add(`created ${path}, a link leading out of the workspace`);
    }
  }
  // A file the tests may write is the run's during the run: it may have swapped it for a link (out of the workspace) or a folder.
  const writable = [...guard.writable];
  for (const p of writable) {
    const st = await lstat(join(dir, p)).catch(() => undefined);
    if (st && !st.isFile()) add(`replaced ${p}, a file the tests may write, with a ${st.isSymbolicLink() ? 'link' : 'folder or special file'}`);
  }
  await removeCreated(dir, [...guard.links.keys(), ...guard.added], created.length > 0);
  await removeStrays(dir, guard.files, [...guard.links.keys()], new Set(guard.record.extras ?? []));
  // Put back from the tree as applied by git, which replaces whatever stands at the path instead of writing through it.
  if (writable.length) await restoreFromTree(dir, guard.tree, writable);
  problems.push(...(await compareTree(guard, when)));
  return problems;
}
