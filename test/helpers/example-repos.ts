import { execa } from 'execa';
import { rm } from 'node:fs/promises';
import { afterAll } from 'vitest';
import { createExampleRepo as createInTmp } from '../../dev/example-repo.js';

// A test file's example repositories are its own and go when its tests end: every run of the
// suite made dozens of /tmp/ouro-example-* copies and left them there. Importing this module
// registers the clean-up on the importing file (vitest evaluates it once per file); hooks run
// last-registered first, so the file's own afterAll (stopping the workers using them) runs before.
const created: string[] = [];
afterAll(removeExampleRepos);

/** dev/example-repo's copy of the bundled example, removed after the test file's last test. */
export async function createExampleRepo(opts?: Parameters<typeof createInTmp>[0]): Promise<string> {
  const dir = await createInTmp(opts);
  created.push(dir);
  return dir;
}

/** Removes every example repository this file created so far. */
export async function removeExampleRepos(): Promise<void> {
  await Promise.all(created.splice(0).map(removeTree));
}

async function removeTree(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
  } catch {
    // A run may leave a folder without write permission (frozen inputs): open it up, then remove.
    await execa('chmod', ['-R', 'u+w', dir], { reject: false });
    await rm(dir, { recursive: true, force: true });
  }
}
