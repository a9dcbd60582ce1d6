// The files of one commit, read straight from git's object store: no checkout, no worktree, the
// user's working tree untouched. One `git cat-file --batch` reads every blob in a single process.

import { execa } from 'execa';
import { git } from '../git/git.js';

export interface TreeEntry {
  path: string;
  blob: string;
  bytes: number;
}

/** The commit's tracked files (regular files only: no submodules, no symlinks), with their sizes. */
export async function listTree(repoDir: string, commit: string): Promise<TreeEntry[]> {
  const out = await git(repoDir, ['ls-tree', '-r', '-l', '-z', '--full-tree', commit]);
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    // "<mode> blob <sha> <size>\t<path>"
    const m = /^(\d+) blob ([0-9a-f]+)\s+(\d+)\t(.+)$/s.exec(record);
    if (!m || m[1] === '120000') continue;
    entries.push({ path: m[4]!, blob: m[2]!, bytes: Number(m[3]) });
  }
  return entries;
}

/** The contents of the given blobs, by blob id. */
export async function readBlobs(repoDir: string, blobs: readonly string[]): Promise<Map<string, Buffer>> {
  const contents = new Map<string, Buffer>();
  if (blobs.length === 0) return contents;
  const r = await execa('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', 'cat-file', '--batch'], {
    cwd: repoDir,
    input: blobs.join('\n') + '\n',
    encoding: 'buffer',
    stripFinalNewline: false,
    maxBuffer: 1024 * 1024 * 1024,
    // As adapters/git/git.ts does: no inherited GIT_* variable may point git at another repository.
    env: { ...withoutGitVariables(process.env), GIT_TERMINAL_PROMPT: '0' },
    extendEnv: false,
  });
  const out = Buffer.from(r.stdout);
  let at = 0;
  while (at < out.length) {
    const headerEnd = out.indexOf(0x0a, at);
    if (headerEnd < 0) break;
    const header = out.subarray(at, headerEnd).toString('utf8');
    const m = /^([0-9a-f]+) \S+ (\d+)$/.exec(header);
    if (!m) {
      // "<sha> missing": nothing follows but the header.
      at = headerEnd + 1;
      continue;
    }
    const size = Number(m[2]);
    contents.set(m[1]!, out.subarray(headerEnd + 1, headerEnd + 1 + size));
    at = headerEnd + 1 + size + 1;
  }
  return contents;
}

function withoutGitVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('GIT_')));
}

export async function resolveCommit(repoDir: string, commit: string): Promise<string> {
  return git(repoDir, ['rev-parse', '--verify', `${commit}^{commit}`]);
}
