import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { MAX_PATCH_BYTES, type WorkspaceSpec } from '../../core/contracts/workspace.js';
import { configError } from '../errors.js';
import { git, GitError, gitOk } from './git.js';
import { freshWorktree, runDir, workspaceRoot } from './worktrees.js';

// A candidate as data: the git host turns a candidate's worktree into a patch
// and the tree it makes; a sandbox host turns (source, base, patch) back into a
// workspace from its own mirror of the repository and refuses one whose tree
// differs. Diffs and applies ignore every setting a repository could bring
// (external diff drivers, text conversion, prefixes, line-ending conversion).
const PLAIN = ['-c', 'core.autocrlf=false', '-c', 'core.safecrlf=false', '-c', 'diff.noprefix=false', '-c', 'diff.mnemonicPrefix=false'];

/** A patch that cannot be applied, or a workspace whose tree is not the one the git host built: never retried. */
export class WorkspaceMismatch extends Error {
  readonly type = 'OuroWorkspaceMismatch';
}

/**
 * The candidate's change as a binary-safe patch against `baseSha`, and the tree it makes: only the
 * `changed` paths of the worktree count (an added, modified or deleted file alike), never anything else in it.
 */
export async function candidatePatch(dir: string, baseSha: string, changed: string[]): Promise<{ patch: string; tree: string }> {
  const scratch = await mkdtemp(join(tmpdir(), 'ouro-patch-'));
  const env = { GIT_INDEX_FILE: join(scratch, 'index') };
  try {
    await git(dir, [...PLAIN, 'read-tree', baseSha], { env });
    if (changed.length) await git(dir, [...PLAIN, 'add', '-A', '--', ...changed], { env });
    const tree = await git(dir, [...PLAIN, 'write-tree'], { env });
    const patch = await git(
      dir,
      [
        ...PLAIN,
        'diff',
        '--cached',
        '--binary',
        '--full-index',
        '--no-renames',
        '--no-ext-diff',
        '--no-textconv',
        '--no-color',
        '--src-prefix=a/',
        '--dst-prefix=b/',
        baseSha,
      ],
      { env, raw: true },
    );
    if (Buffer.byteLength(patch) > MAX_PATCH_BYTES) {
      throw configError(`the candidate's patch is ${Math.ceil(Buffer.byteLength(patch) / 1024)} KiB, over the ${MAX_PATCH_BYTES / 1024} KiB a run carries`);
    }
    return { patch, tree };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The tree of a commit. */
export function treeOf(repo: string, sha: string): Promise<string> {
  return git(repo, ['rev-parse', `${sha}^{tree}`]);
}

/** Where this host keeps its mirrors (bare repositories, one per source, reused across runs). */
export function mirrorRoot(): string {
  return process.env.OURO_MIRROR_ROOT ?? join(workspaceRoot(), '.mirrors');
}

function mirrorDir(source: string): string {
  return join(mirrorRoot(), `${createHash('sha256').update(source).digest('hex').slice(0, 16)}.git`);
}

/** One fetch per mirror at a time in this process (git's own locks guard against other processes). */
const fetching = new Map<string, Promise<unknown>>();

function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = fetching.get(key) ?? Promise.resolve();
  const next = before.then(fn, fn);
  fetching.set(
    key,
    next.catch(() => undefined),
  );
  return next;
}

/**
 * A repository on this host holding `sha`: the source itself when it is a local repository this host
 * can read (one host, or a shared disk), else this host's mirror of it, fetched when the commit is missing.
 */
export async function repositoryWith(source: string, sha: string): Promise<{ repo: string; fetched: boolean }> {
  if (isAbsolute(source) && existsSync(source) && (await gitOk(source, ['cat-file', '-e', `${sha}^{commit}`]))) return { repo: source, fetched: false };
  const mirror = mirrorDir(source);
  return serialized(mirror, async () => {
    if (existsSync(join(mirror, 'HEAD')) && (await gitOk(mirror, ['cat-file', '-e', `${sha}^{commit}`]))) return { repo: mirror, fetched: false };
    await mkdir(mirror, { recursive: true });
    if (!existsSync(join(mirror, 'HEAD'))) await git(mirror, ['init', '--bare', '--quiet']);
    const url = isAbsolute(source) ? `file://${source}` : source;
    // --prune: refs the source dropped (a finished train's pinned commits, deleted branches) go here too,
    // and `gc --auto` packs and expires what nothing holds any more, so a long-lived host's mirrors do not only grow.
    await git(mirror, ['fetch', '--quiet', '--prune', '--no-tags', url, '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*', '+refs/ouro/*:refs/ouro/*'], {
      allowFail: true,
    });
    if (!(await gitOk(mirror, ['cat-file', '-e', `${sha}^{commit}`]))) {
      // A base on no branch (a detached commit): ask for it by name, as protocol v2 allows.
      await git(mirror, ['fetch', '--quiet', '--no-tags', url, sha], { allowFail: true });
    }
    if (!(await gitOk(mirror, ['cat-file', '-e', `${sha}^{commit}`]))) {
      const probe = await git(mirror, ['ls-remote', '--heads', url], { allowFail: true });
      throw new Error(
        probe
          ? `the commit ${sha.slice(0, 12)} is not in ${source} (fetched into ${mirror}): push it, or start the run from a commit the sandbox hosts can fetch (a release train's commits are under refs/ouro/trains/ in the git host's repository: its source must serve that repository itself)`
          : `cannot fetch ${source} into this host's mirror ${mirror}: check the run's source URL and this host's access to it`,
      );
    }
    await git(mirror, ['gc', '--auto', '--quiet'], { allowFail: true });
    return { repo: mirror, fetched: true };
  });
}

export interface MaterializedWorkspace {
  dir: string;
  /** The tree the workspace holds, equal to the spec's. */
  tree: string;
  /** Whether this host had to fetch the base first (a cold mirror). */
  fetched: boolean;
  remove(): Promise<void>;
}

/** Rebuilds a workspace from its spec on this host: the base from the mirror, the patch applied, the tree checked. */
export async function materialize(spec: WorkspaceSpec, linkPaths: string[] = []): Promise<MaterializedWorkspace> {
  const { repo, fetched } = await repositoryWith(spec.source, spec.baseSha);
  // A folder of its own per materialization: two activities may rebuild the same label at once (two
  // evaluations' benchmarks of one base); the label stays last, so a test command still sees it in $PWD.
  const own = join(runDir(spec.runId), 'sandbox', randomBytes(6).toString('hex'));
  const dir = join(own, spec.label.replace(/[^A-Za-z0-9._-]/g, '_'));
  // Links only where the source is this host's own repository (its node_modules and the like).
  await freshWorktree(repo, dir, spec.baseSha, repo === spec.source ? linkPaths : []);
  const remove = async () => {
    await git(repo, ['worktree', 'remove', '--force', dir], { allowFail: true });
    await rm(own, { recursive: true, force: true });
    await git(repo, ['worktree', 'prune'], { allowFail: true });
  };
  try {
    if (spec.patch) {
      try {
        await git(dir, [...PLAIN, 'apply', '--index', '--binary', '--whitespace=nowarn', '-'], { input: spec.patch });
      } catch (err) {
        if (err instanceof GitError)
          throw new WorkspaceMismatch(`the candidate's patch does not apply to ${spec.baseSha.slice(0, 12)}: ${err.stderr.trim().slice(0, 300)}`);
        throw err;
      }
    }
    const tree = await git(dir, [...PLAIN, 'write-tree']);
    if (tree !== spec.tree) {
      throw new WorkspaceMismatch(
        `the workspace rebuilt here has tree ${tree.slice(0, 12)}, not the ${spec.tree.slice(0, 12)} the git host built: the patch was altered or did not apply`,
      );
    }
    return { dir, tree, fetched, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}
