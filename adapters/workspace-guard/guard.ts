import { lstat } from 'node:fs/promises';
import picomatch from 'picomatch';
import { freeze, isRoot, takeBackOwnership } from './ownership.js';
import { readRecord, saveRecord, type GuardRecord } from './record.js';
import { POISON_DEATHS, type GuardOptions, type WorkspaceGuard } from './guard-state.js';
import { settle } from './settle.js';
import { beyond, listTree, topLevelLinks } from './workspace-listing.js';
import { gitDirAndHead, restoreFromTree, trackedFiles, untrackedFiles, workspaceTree } from './workspace-git.js';

// The evaluator's inputs are frozen. Every file of a workspace (the base's
// tracked files and the candidate's patch) is an input of the evaluation: a
// run may create files (caches, build output), but what it created is judged
// and removed after it, and the workspace must then hash to the very tree it
// was given. When Ouro runs as root, the workspace is also frozen while the
// run goes on (ownership.ts); without root the same checks run after the
// fact (a file rewritten and restored within one run is not seen).
//
// An activity calls the guard around each sandboxed run:
//   guardWorkspace   before the first run: record, freeze, or settle what a dead worker left
//   markRunUnderWay  just before each run: from here a dead worker leaves a run unsettled
//   verifyWorkspace  after each run: judge what it left, remove it, settle
// The sandbox (adapters/sandbox/sandbox.ts) is only told what to mount: the
// guard's links, protected files and writable files.

export { POISON_DEATHS, type GuardOptions, type WorkspaceGuard } from './guard-state.js';

/**
 * Prepares a workspace for a run. The first guard of a workspace records its links, its
 * files (tracked and added by the patch) and its tree id in its private git dir (which the
 * sandbox can neither see under /tmp nor write anywhere), and freezes it. A later guard (an
 * activity retry, the benchmark after the tests) finds it settled by the last run's verify,
 * or, after a run that never finished (a dead worker), removes what it created, freezes it
 * again and compares against the record.
 */
export async function guardWorkspace(dir: string, optsOrGlobs: GuardOptions | string[]): Promise<WorkspaceGuard> {
  const opts: GuardOptions = Array.isArray(optsOrGlobs) ? { protectedGlobs: optsOrGlobs } : optsOrGlobs;
  const { gitDir, head } = await gitDirAndHead(dir);
  const saved = await readRecord(gitDir, head);
  const unsettled = saved !== undefined && !saved.settled;
  const isWritable = opts.writable?.length ? picomatch(opts.writable, { dot: true }) : () => false;
  if (isRoot() && (unsettled || (await lstat(dir)).uid !== 0)) await takeBackOwnership(dir);
  let record: GuardRecord;
  if (saved) {
    record = saved;
    if (unsettled) {
      // Files the tests may write are put back from the record, not taken as a dead run left them.
      const back = saved.tracked.filter((t) => isWritable(t));
      if (back.length) await restoreFromTree(dir, saved.tree, back);
    }
  } else {
    const links = await topLevelLinks(dir);
    const added = (await untrackedFiles(dir)).filter((p) => !links.has(p.split('/')[0]!));
    const tracked = await trackedFiles(dir);
    const extras = beyond(await listTree(dir, [...links.keys()]), new Set([...tracked, ...added]));
    record = { head, links: Object.fromEntries(links), added, tracked, tree: await workspaceTree(dir, gitDir), settled: false, extras };
  }
  const links = new Map(Object.entries(record.links));
  const isProtected = picomatch(opts.protectedGlobs, { dot: true });
  const writable = new Set(record.tracked.filter((t) => isWritable(t) && !isProtected(t)));
  const guard: WorkspaceGuard = {
    dir,
    gitDir,
    links,
    protectedFiles: record.tracked.filter((p) => isProtected(p)),
    files: new Set([...record.tracked, ...record.added]),
    added: record.added,
    tree: record.tree,
    writable,
    before: [],
    created: [],
    opts,
    record,
  };
  if (unsettled) {
    // A run that never reached its verify (a dead worker): judge and remove what it left, as its verify would have.
    guard.before = await settle(guard, 'before its run (left by an earlier run in this workspace)');
    record.deaths = (saved.deaths ?? 0) + 1;
    if (record.deaths >= POISON_DEATHS) {
      guard.poison = `its runs ended with the worker gone ${record.deaths} times in a row (it kills or starves its worker): dropped so that the run goes on`;
    }
  }
  if (isRoot() && (!saved || unsettled)) await freeze(dir, [...links.keys()]);
  await saveRecord(gitDir, { ...record, settled: false });
  return guard;
}

/** Just before a run: from here until its verify, this workspace may hold a run's leftovers, and a guard after a dead worker checks it whole. */
export async function markRunUnderWay(guard: WorkspaceGuard): Promise<void> {
  await saveRecord(guard.gitDir, { ...guard.record, settled: false });
}

/**
 * After a run: what it created is checked (no protected path, no path the base's test run
 * looks for, no link leading out) and removed; the dependency links must be untouched; the
 * workspace must hash to the tree it was given.
 */
export async function verifyWorkspace(dir: string, guard: WorkspaceGuard, when = 'during its run'): Promise<string[]> {
  // What was already wrong before the run is reported once, as such.
  const fresh = (await settle(guard, when)).filter((p) => !guard.before.some((b) => b.startsWith(p.slice(0, p.length - when.length))));
  // Put back as applied: the next guard of this workspace need not check it again.
  await saveRecord(guard.gitDir, { ...guard.record, settled: true, deaths: 0 });
  return [...new Set([...guard.before, ...fresh])].slice(0, 10);
}
