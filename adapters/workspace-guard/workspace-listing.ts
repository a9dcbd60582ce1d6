import { execa } from 'execa';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { foldersOf } from '../../core/gate/file-probes.js';

// What stands in a workspace, as the filesystem (not git) sees it: git never
// lists an empty folder, a FIFO or a socket, and a run could leave the next
// one an answer in any of them. The top-level links are the shared
// dependencies (node_modules…), which the guard checks but never enters.

/** Top-level symbolic links (shared dependencies) and where they point. */
export async function topLevelLinks(dir: string): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if ((await lstat(path)).isSymbolicLink()) links.set(name, await readlink(path));
  }
  return links;
}

/** Every path under the workspace (`.git` and the top-level dependency links not entered), in find's order: a folder before what it holds. */
export async function listTree(dir: string, linkNames: string[]): Promise<string[]> {
  const prune = ['-path', join(dir, '.git'), ...linkNames.flatMap((n) => ['-o', '-path', join(dir, n)])];
  const listed = await execa('find', [dir, '-mindepth', '1', '(', ...prune, ')', '-prune', '-o', '-print0'], { reject: false, stripFinalNewline: false });
  return String(listed.stdout)
    .split('\0')
    .filter(Boolean)
    .map((full) => relative(dir, full));
}

/** What stands in the workspace beyond its files and their folders (a nested dependency link, say). */
export function beyond(paths: string[], files: ReadonlySet<string>): string[] {
  const folders = foldersOf(files);
  return paths.filter((rel) => !files.has(rel) && !folders.has(rel));
}
