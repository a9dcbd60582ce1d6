// A red base whose protected test files did not build or collect: the tests those files define, read
// from the base's workspace as it is (core/gate/unbuilt-tests.ts says whether it is that case,
// core/gate/required-tests.ts lists the tests). Only reading files is done here.
import { constants } from 'node:fs';
import { open, readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { recogniseUnbuiltTests } from '../../core/gate/unbuilt-tests.js';
import { requiredTests, type RequiredTests } from '../../core/gate/required-tests.js';
import { goTargetOf } from '../../core/gate/go-build-files.js';

/** A test file bigger than this is not read (its tests are not listed). */
const MAX_SOURCE_BYTES = 4 * 1024 ** 2;

export async function unbuiltTestsIn(
  dir: string,
  output: string,
  protectedGlobs: string[],
): Promise<{ unbuiltTests?: RequiredTests; unbuiltTestsNote?: string }> {
  // The sandbox mounts the workspace at its own path, so a module's file named in the output lies under one of these.
  const found = recogniseUnbuiltTests(output, protectedGlobs, [dir, await realpath(dir).catch(() => dir)]);
  if (!found) return {};
  if ('refused' in found) return { unbuiltTestsNote: found.refused };
  const { unbuilt } = found;
  const paths = unbuilt.runner === 'go' ? (await Promise.all((unbuilt.packages ?? []).map((p) => testFilesIn(dir, p.dir)))).flat() : unbuilt.files;
  const sources = (await Promise.all(paths.map(async (path) => ({ path, text: await readSource(join(dir, path)) })))).filter(
    (s): s is { path: string; text: string } => s.text !== undefined,
  );
  // go test builds for the host it runs on (the sandbox's): only that host's files are listed.
  const listed = requiredTests(unbuilt, sources, protectedGlobs, goTargetOf(process.platform, process.arch));
  return listed ? { unbuiltTests: listed } : { unbuiltTestsNote: `${unbuilt.files.join(', ')} define no test that ${unbuilt.runner} would run` };
}

async function testFilesIn(root: string, folder: string): Promise<string[]> {
  const entries = await readdir(join(root, folder), { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith('_test.go')).map((e) => (folder ? `${folder}/${e.name}` : e.name));
}

/** Without following a link (the base's own files, but a link could point anywhere) and size-capped. */
async function readSource(path: string): Promise<string | undefined> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
  if (!handle) return undefined;
  try {
    const st = await handle.stat();
    return st.isFile() && st.size <= MAX_SOURCE_BYTES ? await handle.readFile('utf8') : undefined;
  } finally {
    await handle.close();
  }
}
