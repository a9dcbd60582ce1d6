import { chmod, copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { git } from './git.js';

// --copy: the git-ignored files of the user's checkout that match the globs,
// copied into a fresh workspace and left without write permission. The
// workspace guard keeps every file it did not mark writable out of the run's
// reach, and apply refuses an edit to one, so a candidate cannot turn a copied
// file into a pass.

/** Copies the ignored files of `repo` that match `globs` into `dir`; returns their paths. */
export async function copyIgnored(repo: string, dir: string, globs: string[]): Promise<string[]> {
  if (globs.length === 0) return [];
  const listed = await git(repo, ['ls-files', '--others', '--ignored', '--exclude-standard', '-z', '--', ...globs.map((g) => `:(glob)${g}`)]);
  const files = listed.split('\0').filter(Boolean);
  for (const p of files) {
    const to = join(dir, p);
    await mkdir(dirname(to), { recursive: true });
    await copyFile(join(repo, p), to);
    await chmod(to, 0o444);
  }
  return files;
}
