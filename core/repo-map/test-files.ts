// Whether a path is a test file, by the conventions of the languages the map reads: the ranking
// treats test files apart (they are never chosen as files to change) and the prompt shows them apart.

const TEST_DIRS = /(^|\/)(tests?|__tests__|spec|specs|testing|testdata|test_utils|e2e)\//i;
const TEST_NAMES = [
  /(^|\/)test_[^/]*\.py$/,
  /(^|\/)[^/]*_test\.py$/,
  /(^|\/)conftest\.py$/,
  /(^|\/)[^/]*_test\.go$/,
  /(^|\/)[^/]*\.(test|spec)\.[cm]?[jt]sx?$/,
  /(^|\/)[^/]*_tests?\.rs$/,
];

export function isTestPath(path: string): boolean {
  return TEST_DIRS.test(path) || TEST_NAMES.some((re) => re.test(path));
}
