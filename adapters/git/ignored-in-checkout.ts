import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git } from './git.js';
import { missingFileGlobs } from '../../core/gate/ignored-missing.js';

/**
 * The git-ignored files of the user's checkout (the one a worktree was made from) that a failed
 * run's output says were missing and that the workspace lacks (core/gate/ignored-missing.ts).
 * Empty where nothing matches or the workspace is not a worktree of a checkout.
 */
export async function ignoredInCheckout(workspace: string, output: string): Promise<string[]> {
  const globs = missingFileGlobs(output);
  if (globs.length === 0) return [];
  try {
    const common = await git(workspace, ['rev-parse', '--path-format=absolute', '--git-common-dir']);
    const checkout = dirname(common);
    if (!existsSync(join(checkout, '.git'))) return [];
    const listed = await git(checkout, ['ls-files', '--others', '--ignored', '--exclude-standard', '-z', '--', ...globs.map((g) => `:(glob)${g}`)]);
    return listed
      .split('\0')
      .filter(Boolean)
      .filter((p) => !existsSync(join(workspace, p)))
      .slice(0, 10);
  } catch {
    return [];
  }
}
