// The files a draft would change when the user named none: the best-ranked files that are not
// tests. A test file shows what is expected; the fix belongs in the code it tests.

import type { RankedFile, RepoMap } from '../contracts/repo-map.js';

export function chooseFiles(map: RepoMap, ranked: readonly RankedFile[], count: number): string[] {
  const tests = new Set(map.files.filter((f) => f.isTest).map((f) => f.path));
  return ranked
    .filter((r) => !tests.has(r.path))
    .slice(0, count)
    .map((r) => r.path);
}
