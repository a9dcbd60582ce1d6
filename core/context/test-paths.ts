// Which files are tests, and which tests are named after a file: foo.py ↔
// test_foo.py / foo_test.py, foo.go ↔ foo_test.go, foo.ts ↔ foo.test.ts /
// foo.spec.ts, and a file named like the module under test/, tests/ or
// __tests__/. The one rule for the run (a test is shown read-only, never chosen
// to change) and for the repository map (a test file ranks apart). Pure: paths only.

/** Folders whose code is tests or their fixtures, in any letter case. */
const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec', 'specs', 'testing', 'testdata', 'test_utils', 'e2e']);
const SOURCE_EXT = /\.(?:py|pyi|go|rs|[cm]?[jt]sx?)$/i;
const TEST_NAME = /^test_.+\.py$|_tests?\.py$|_test\.go$|_tests?\.rs$|\.(?:test|spec)\.[cm]?[jt]sx?$/;
/** Test support a fix may need to change: pytest's fixtures and a package's init, even under tests/. */
const SUPPORT_NAME = /^(?:conftest|__init__)\.py$/;

const segments = (path: string) => path.split('/');
const baseName = (path: string) => segments(path).at(-1)!;

/** Whether `path` is a test file of one of the languages Ouro reads, by its name or its folder. */
export function isTestPath(path: string): boolean {
  if (!SOURCE_EXT.test(path)) return false;
  const name = baseName(path);
  if (TEST_NAME.test(name)) return true;
  if (SUPPORT_NAME.test(name)) return false;
  return segments(path)
    .slice(0, -1)
    .some((s) => TEST_DIRS.has(s.toLowerCase()));
}

/** The name a file's tests are named after: its stem, or its folder's for an __init__.py, index.ts or mod.rs. */
export function moduleStem(path: string): string {
  const parts = segments(path);
  const stem = parts.at(-1)!.replace(/\.[^.]+$/, '');
  if ((stem === '__init__' || stem === 'index' || stem === 'mod' || stem === 'lib') && parts.length > 1) return parts.at(-2)!;
  return stem;
}

/** The stem a test file is named for: test_foo.py, foo_test.go, foo.test.ts, tests/foo.rs all say foo. */
export function testedStem(testPath: string): string {
  return baseName(testPath)
    .replace(/\.[^.]+$/, '')
    .replace(/\.(?:test|spec)$/, '')
    .replace(/^tests?_/, '')
    .replace(/_tests?$/, '')
    .toLowerCase();
}

/** Whether the test file is named after the source file. */
export function namedAfter(testPath: string, sourcePath: string): boolean {
  const tested = testedStem(testPath);
  const own = sourcePath
    .split('/')
    .at(-1)!
    .replace(/\.[^.]+$/, '')
    .toLowerCase();
  return tested.length > 0 && (tested === moduleStem(sourcePath).toLowerCase() || tested === own);
}
