// gatherContext, on the git queue after the base's tests ran: the files a
// draft may change (the user's --files, or chosen from the goal, the map and
// the failing tests), the tests that exercise them and the repository's map,
// fitted to each model window the run drafts with. The choosing, finding and
// fitting are core/context's; this reads git and builds the map.
import picomatch from 'picomatch';
import type { GatherContextRequest, GatherContextResult } from '../../core/contracts/context.js';
import type { ChosenFile, FileSnapshot } from '../../core/contracts/draft-context.js';
import type { MapFocus, RepoMap } from '../../core/contracts/repo-map.js';
import { assembleContext } from '../../core/context/assemble.js';
import { chooseFilesToChange, DEFAULT_CHOICE } from '../../core/context/choose-files.js';
import { failingLineNumbers, failureLines, filesNamedIn } from '../../core/context/failing-tests.js';
import { focusWindows, lineCount } from '../../core/context/file-focus.js';
import { findTests } from '../../core/context/find-tests.js';
import { isTestPath } from '../../core/context/test-paths.js';
import { windowOf } from '../../core/context/windows.js';
import { rankFiles, renderMap } from '../../core/repo-map/index.js';
import { buildRepoMap } from '../../adapters/repo-map/index.js';
import { listTree, readBlobs, type TreeEntry } from '../../adapters/repo-map/git-tree.js';
import { configError } from '../../adapters/errors.js';

/** The most test text read to look for importers: a repository's tests beyond it are judged by name alone. */
const MAX_TEST_BYTES = 8 * 1024 * 1024;
const MAX_TEST_FILE_BYTES = 256 * 1024;
/** As prepareRun: the files the model may change travel in workflow payloads. */
const MAX_CHANGING_BYTES = 256 * 1024;

export async function gatherContext(req: GatherContextRequest): Promise<GatherContextResult> {
  const tree = (await listTree(req.repo, req.baseSha)).filter((e) => !e.path.split('/').includes('.git'));
  const tracked = tree.map((e) => e.path);
  const failing = req.failure ? filesNamedIn(req.failure, tracked).filter(isTestPath) : [];
  const tests = await readTests(req.repo, tree, failing);
  // A map that cannot be built leaves the draft without one, said in its report; the run goes on.
  let noMap: string | undefined;
  const map = await buildRepoMap(req.repo, req.baseSha).catch((err: unknown) => {
    noMap = `the map could not be built: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    return undefined;
  });
  const focus: MapFocus = { goal: req.goal, files: [], failingTests: req.failure ? [...failing, ...failureLines(req.failure)] : [] };

  let chosen: ChosenFile[] | undefined;
  let paths: string[];
  if (req.files.length) {
    const isNamed = picomatch(req.files, { dot: true });
    paths = tracked.filter((p) => isNamed(p));
  } else {
    const ranked = map ? rankFiles(map, focus) : [];
    const failingTests = tests.filter((t) => failing.includes(t.path));
    chosen = chooseFilesToChange(ranked, tracked, failingTests, { ...DEFAULT_CHOICE, protectedPaths: req.protectedPaths });
    if (!chosen.length)
      throw configError(
        `Ouro could not tell from the goal${req.failure ? ' and the failing tests' : ''} which files to change (no file of code ranks for it): name them with --files`,
      );
    paths = chosen.map((c) => c.path);
  }
  const changing = await readChanging(req.repo, tree, paths);
  const found = findTests(paths, tests, failing, req.goal);
  const byPath = new Map(tests.map((t) => [t.path, t.content]));
  const linked = found.map((t) => ({
    ...t,
    content: byPath.get(t.path)!,
    ...(req.failure && t.links.includes('failing') ? { failingLines: failingLineNumbers(req.failure, t.path) } : {}),
  }));
  const renderer = map ? mapRenderer(map, { ...focus, files: paths }, paths) : undefined;
  // Each file to change's definitions ranked for the goal and the failing tests: what a prompt too short for a long file shows of it.
  const focuses = map
    ? changing.map((f) => ({
        path: f.path,
        lines: lineCount(f.content),
        windows: focusWindows(f.content, map.files.find((m) => m.path === f.path)?.definitions ?? [], req.goal, focus.failingTests, f.path),
      }))
    : undefined;
  const contexts = req.slots.map((slot) =>
    assembleContext(windowOf(slot, process.env.OURO_LOCAL_MODEL), {
      changing,
      tests: linked,
      renderMap: renderer,
      noMap,
      ...(focuses ? { focus: focuses } : {}),
    }),
  );
  return { allowed: chosen ? paths : req.files, ...(chosen ? { chosen, files: changing } : {}), contexts };
}

/** The map of every file but those to change, ranked for the focus once and rendered per budget. */
function mapRenderer(map: RepoMap, focus: MapFocus, changing: string[]) {
  const ranked = rankFiles(map, focus);
  return (tokens: number, shownTests: string[]) => renderMap(map, ranked, tokens, [...changing, ...shownTests]);
}

/** The repository's test files with their text: the failing ones first, then in path order, within the read limits. */
async function readTests(repo: string, tree: TreeEntry[], failing: string[]): Promise<FileSnapshot[]> {
  const candidates = tree
    .filter((e) => isTestPath(e.path) && e.bytes <= MAX_TEST_FILE_BYTES)
    .sort((a, b) => Number(failing.includes(b.path)) - Number(failing.includes(a.path)) || a.path.localeCompare(b.path));
  const wanted: TreeEntry[] = [];
  let bytes = 0;
  for (const e of candidates) {
    if (bytes + e.bytes > MAX_TEST_BYTES) continue;
    bytes += e.bytes;
    wanted.push(e);
  }
  const blobs = await readBlobs(repo, [...new Set(wanted.map((e) => e.blob))]);
  return wanted.flatMap((e) => {
    const content = blobs.get(e.blob)?.toString('utf8');
    return content === undefined || content.includes('\0') ? [] : [{ path: e.path, content }];
  });
}

async function readChanging(repo: string, tree: TreeEntry[], paths: string[]): Promise<FileSnapshot[]> {
  const entries = tree.filter((e) => paths.includes(e.path));
  const bytes = entries.reduce((n, e) => n + e.bytes, 0);
  if (bytes > MAX_CHANGING_BYTES) throw configError(`the files the model may change exceed ${MAX_CHANGING_BYTES / 1024} KiB; narrow --files`);
  const blobs = await readBlobs(
    repo,
    entries.map((e) => e.blob),
  );
  return entries.map((e) => ({ path: e.path, content: blobs.get(e.blob)?.toString('utf8') ?? '' }));
}
