import { execa } from 'execa';
import { join } from 'node:path';

// Why a frozen workspace is root's: when Ouro runs as root, the command runs
// as an unprivileged sandbox uid, and every file of the workspace stays owned
// by root while every folder is root's with mode 1777 (sticky). The run may
// create new files (caches, build output) but may not write, delete or rename
// an existing one, so a golden file, fixture, snapshot or benchmark input
// cannot change under the tests. Without root none of this applies, and the
// guard's checks after the run are all there is.

export const isRoot = () => process.getuid?.() === 0;

/** Every file back to root: a worker killed mid-run (or an older Ouro) may have left some owned by the sandbox uid. */
export async function takeBackOwnership(dir: string): Promise<void> {
  await execa('chown', ['-R', '-h', '0:0', dir], { reject: false });
}

/** Owner root, folders 1777 (create, but not delete others' files), files readable by all; `.git` and the dependency links not entered. */
export async function freeze(dir: string, linkNames: string[]): Promise<void> {
  const prune = ['-path', join(dir, '.git'), ...linkNames.flatMap((n) => ['-o', '-path', join(dir, n)])];
  await takeBackOwnership(dir);
  await execa(
    'find',
    [
      dir,
      '(',
      ...prune,
      ')',
      '-prune',
      '-o',
      '-type',
      'd',
      '-exec',
      'chmod',
      '1777',
      '{}',
      '+',
      '-o',
      '-type',
      'f',
      '!',
      '-perm',
      '-o+r',
      '-exec',
      'chmod',
      'o+r',
      '{}',
      '+',
    ],
    { reject: false },
  );
}
