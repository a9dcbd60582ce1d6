// Where built maps are kept, one JSON file per commit. A map depends only on the commit's tree and
// on the parser, so a file written once stays right until MAP_FORMAT changes.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { isTestPath } from '../../core/context/test-paths.js';
import type { RepoMap } from '../../core/contracts/repo-map.js';
import { cachePath } from '../state-dirs.js';

/** Bumped whenever what the parser extracts changes, so older cached maps are rebuilt, not trusted. */
export const MAP_FORMAT = 4;

/** The one place that says where maps are cached: moves with the per-user state directories. */
export function repoMapCacheDir(): string {
  return cachePath('repo-map');
}

const definitionSchema = z.object({ name: z.string(), kind: z.string(), line: z.number().int(), signature: z.string() });
const cachedMapSchema = z.object({
  format: z.literal(MAP_FORMAT),
  commit: z.string(),
  files: z.array(
    z.object({
      path: z.string(),
      language: z.enum(['typescript', 'javascript', 'python', 'go', 'rust']),
      definitions: z.array(definitionSchema),
      references: z.array(z.string()),
      isTest: z.boolean(),
    }),
  ),
});

function cacheFile(cacheDir: string, commit: string): string {
  return join(cacheDir, `${commit}.json`);
}

/** The cached map of a commit, or undefined when there is none or it is unreadable or of another format. */
export async function readCachedMap(cacheDir: string, commit: string): Promise<RepoMap | undefined> {
  let text: string;
  try {
    text = await readFile(cacheFile(cacheDir, commit), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = cachedMapSchema.safeParse(JSON.parse(text));
    if (!parsed.success || parsed.data.commit !== commit) return undefined;
    // Whether a file is a test follows the path rule of today, not of the build that cached it.
    return { commit: parsed.data.commit, files: parsed.data.files.map((f) => ({ ...f, isTest: isTestPath(f.path) })) };
  } catch {
    return undefined;
  }
}

export async function writeCachedMap(cacheDir: string, map: RepoMap): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const target = cacheFile(cacheDir, map.commit);
  // Written aside and renamed: two builds of one commit never leave a half-written file behind.
  const partial = `${target}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(partial, JSON.stringify({ format: MAP_FORMAT, ...map }));
  await rename(partial, target);
}
