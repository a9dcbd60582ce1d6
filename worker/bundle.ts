import { bundleWorkflowCode } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { CODE_EXT, CODE_ROOT } from '../adapters/project-root.js';
import { STATE_DIRS } from '../adapters/state-dirs.js';

// Bundling the workflow code takes seconds (webpack); workers restart often
// (tests, crashes, deploys). Cache the bundle in Ouro's cache folder (adapters/state-dirs.ts), keyed by a
// hash of every source file the bundle can include.
// From the sources through tsx, or from dist/ in an installed package: the bundle is made of whichever runs.
const WORKFLOWS = join(CODE_ROOT, 'workflows', `index${CODE_EXT}`);

async function sourceHash(): Promise<string> {
  const h = createHash('sha256');
  // Workflows may import only core/ (eslint.config.js holds them to it): those two trees are all a bundle can hold of Ouro's.
  for (const dir of ['workflows', 'core']) {
    const names = (await readdir(join(CODE_ROOT, dir), { recursive: true })).filter((n) => n.endsWith(CODE_EXT)).sort();
    for (const n of names) h.update(relative(CODE_ROOT, join(CODE_ROOT, dir, n))).update(await readFile(join(CODE_ROOT, dir, n)));
  }
  // Wherever npm put the SDK (a global install nests it under the package).
  h.update(await readFile(createRequire(import.meta.url).resolve('@temporalio/workflow/package.json')));
  return h.digest('hex').slice(0, 16);
}

export async function workflowBundlePath(): Promise<string> {
  const cacheDir = STATE_DIRS.cache;
  const path = join(cacheDir, `workflows-${await sourceHash()}.js`);
  if (existsSync(path)) return path;
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS, logger: quietLogger });
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, code);
  await rename(tmp, path);
  return path;
}

const noop = () => {};
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };
