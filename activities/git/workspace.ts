import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import picomatch from 'picomatch';
import type { ApplyOutcome, ApplyRequest, CleanupRequest, FileSnapshot, PrepareRequest, PrepareResult } from '../../core/contracts/git.js';
import { parseEitherFormat } from '../../core/edits/formats/index.js';
import { hasWholeFilesToJudge, wholeFilesOverExisting } from '../../core/edits/formats/asked-format.js';
import type { ParseResult } from '../../core/edits/reply-syntax.js';
import { applyEdits } from '../../core/edits/apply-edits.js';
import { checkPaths } from '../../core/run/file-rules.js';
import { changedInlineTests } from '../../core/edits/inline-tests.js';
import { newTestFrameworkImports } from '../../core/edits/test-imports.js';
import { redirectedImports } from '../../core/edits/import-redirects.js';
import { foldersOf, probedAdditions } from '../../core/gate/file-probes.js';
import { unifiedDiff } from '../../core/edits/diff.js';
import { git, GitError } from '../../adapters/git/git.js';
import { configError } from '../../adapters/errors.js';
import { removeRun } from '../../adapters/git/run-cleanup.js';
import { assertRepo, freshWorktree, runDir } from '../../adapters/git/worktrees.js';
import { candidatePatch, treeOf } from '../../adapters/git/patch.js';
import { isConfigError } from '../../core/run/errors.js';
import { splitLinkPaths } from '../../core/run/workspace-files.js';

// The git queue's run activities: prepare a run (base worktree and the files
// a model sees), apply a candidate's reply in its own worktree, clean up.

/** The most file text sent to a model: keeps workflow payloads well under Temporal's limits. */
const MAX_CONTEXT_BYTES = 256 * 1024;

export async function prepareRun(req: PrepareRequest): Promise<PrepareResult> {
  await assertRepo(req.repo);
  let baseSha: string;
  try {
    baseSha = await git(req.repo, ['rev-parse', '--verify', `${req.baseRef}^{commit}`]);
  } catch {
    throw configError(`base ref "${req.baseRef}" does not name a commit in ${req.repo}`);
  }
  const tracked = await trackedFiles(req.repo, baseSha);
  const isAllowed = picomatch(req.files, { dot: true });
  const paths = tracked.filter((p) => isAllowed(p));
  // No --files: the files are chosen after the base's tests ran (gatherContext), and read there.
  if (paths.length === 0 && req.files.length) throw configError(`no tracked file at ${baseSha.slice(0, 10)} matches --files ${req.files.join(',')}`);
  const files: FileSnapshot[] = [];
  let bytes = 0;
  for (const path of paths) {
    const content = await git(req.repo, ['show', `${baseSha}:${path}`], { raw: true });
    bytes += Buffer.byteLength(content);
    if (bytes > MAX_CONTEXT_BYTES) throw configError(`the files the model may change exceed ${MAX_CONTEXT_BYTES / 1024} KiB; narrow --files`);
    files.push({ path, content });
  }
  const baseDir = join(runDir(req.runId), 'base');
  await freshWorktree(req.repo, baseDir, baseSha, req.linkPaths);
  return { baseSha, baseDir, files, baseTree: await treeOf(req.repo, baseSha) };
}

async function readBase(repo: string, sha: string, path: string): Promise<string | undefined> {
  try {
    return await git(repo, ['show', `${sha}:${path}`], { raw: true });
  } catch (err) {
    if (err instanceof GitError) return undefined;
    throw err;
  }
}

/**
 * The reply's edits: the format the draft asked (else the slot's) first, a reply written wholly in the other accepted too;
 * but a reply asked for search-replace may write a whole file only to create one (core/edits/formats/asked-format.ts).
 */
async function parseReply(req: ApplyRequest, tracked: () => Promise<string[]>): Promise<ParseResult> {
  const parsed = parseEitherFormat(req.reply, req.askedFormat ?? req.format);
  if (!hasWholeFilesToJudge(parsed, req.askedFormat)) return parsed;
  const error = wholeFilesOverExisting(parsed.edits, await tracked());
  return error ? { ok: false, error } : parsed;
}

/** The paths a commit holds. */
async function trackedFiles(repo: string, sha: string): Promise<string[]> {
  return (await git(repo, ['ls-tree', '-r', '--name-only', '-z', sha])).split('\0').filter(Boolean);
}

export async function applyCandidate(req: ApplyRequest): Promise<ApplyOutcome> {
  // Listed at most once, and only when a check needs it: parsing under search-replace, or the probes.
  let listed: Promise<string[]> | undefined;
  const tracked = () => (listed ??= trackedFiles(req.repo, req.baseSha));
  const parsed = await parseReply(req, tracked);
  if (!parsed.ok) return { ok: false, status: 'malformed', message: parsed.error };
  const paths = [...new Set(parsed.edits.map((e) => e.path))];
  // Files copied (--copy) or linked (node_modules, --link) from the user's checkout are the user's, like protected
  // ones; a linked folder is the user's own folder, so a write under it would change their checkout and what the
  // tests load.
  const { links, copies } = splitLinkPaths(req.linkPaths);
  const userPaths = [...copies, ...links.flatMap((l) => [l, `${l.replace(/\/+$/, '')}/**`])];
  const violations = checkPaths(paths, { allowed: req.allowed, protected: [...req.protectedPaths, ...userPaths] });
  if (violations.length) {
    return { ok: false, status: 'refused', message: violations.map((v) => `${v.path}: ${v.reason}`).join('\n') };
  }
  const original: Record<string, string> = {};
  for (const p of paths) {
    const content = await readBase(req.repo, req.baseSha, p);
    if (content !== undefined) original[p] = content;
  }
  if (req.probes) {
    // Runner configuration is the base's whatever its name: a file the base's run looked for may not appear.
    const added = paths.filter((p) => original[p] === undefined);
    const baseFiles = added.length ? await tracked() : [];
    // Names of files the model may change (allowed, not protected) are code, not runner configuration.
    const isAllowed = picomatch(req.allowed, { dot: true });
    const isProtected = picomatch(req.protectedPaths, { dot: true });
    const mayChange = (t: string) => isAllowed(t) && !isProtected(t);
    const codeNames = new Set(baseFiles.filter(mayChange).map((t) => t.split('/').pop()!));
    const probed = probedAdditions(added, req.probes, foldersOf(baseFiles), codeNames);
    if (probed.length) return { ok: false, status: 'refused', message: probed.map((v) => `${v.path}: ${v.reason}`).join('\n') };
  }
  const applied = applyEdits(original, parsed.edits);
  if (!applied.ok) return { ok: false, status: 'malformed', message: applied.errors.join('\n') };
  const changes = applied.changed.map((p) => ({ path: p, before: original[p], after: applied.files[p]! }));
  const rigging = [...newTestFrameworkImports(changes), ...changedInlineTests(changes), ...redirectedImports(changes)];
  if (rigging.length) return { ok: false, status: 'refused', message: rigging.join('\n') };

  const dir = join(runDir(req.runId), req.candidateId);
  await freshWorktree(req.repo, dir, req.baseSha, req.linkPaths);
  // Every path checked before any is written: a refused candidate leaves no half-written worktree behind.
  for (const path of applied.changed) {
    // Parsing already refuses `..` and absolute paths; this guards the write itself.
    if (!resolve(dir, path).startsWith(`${dir}/`)) return { ok: false, status: 'refused', message: `${path}: resolves outside the workspace` };
    const link = await linkOnTheWay(dir, path);
    if (link)
      return {
        ok: false,
        status: 'refused',
        message:
          link === path
            ? `${path}: is a symbolic link in the base; Ouro does not write through links`
            : `${path}: ${link} is a symbolic link in the base; Ouro does not write through links`,
      };
  }
  for (const path of applied.changed) {
    const target = resolve(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, applied.files[path]!);
  }
  const diff = applied.changed.map((p) => unifiedDiff(p, original[p], applied.files[p]!)).join('');
  // The candidate as data, for sandbox hosts that do not hold the repository.
  let asData: { patch: string; tree: string };
  try {
    asData = await candidatePatch(dir, req.baseSha, applied.changed);
  } catch (err) {
    if (isConfigError((err as { type?: string }).type ?? '')) return { ok: false, status: 'refused', message: (err as Error).message };
    throw err;
  }
  return { ok: true, dir, changed: applied.changed, diff, ...asData };
}

/**
 * The first of `path`'s folders (or the file itself) that is a symbolic link in the worktree, if any: the base may
 * track a link to another folder (or out of the repository), and `mkdir -p` and a write follow it.
 */
async function linkOnTheWay(dir: string, path: string): Promise<string | undefined> {
  const parts = path.split('/').filter((p) => p && p !== '.');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    const st = await lstat(join(dir, prefix)).catch(() => undefined);
    if (!st) return undefined;
    if (st.isSymbolicLink()) return prefix;
  }
  return undefined;
}

/** The run's worktrees, folder and pinned refs removed (adapters/git/run-cleanup.ts). */
export async function cleanupRun(req: CleanupRequest): Promise<void> {
  await removeRun(req);
}
