// The test files that exercise the files a draft may change: those the base's
// failing run named, those that import one of the files, and those named after
// one. Most telling first (a test whose name the goal says comes before its
// peers), so a budget that cuts, cuts the least telling.
import type { FileSnapshot } from '../contracts/draft-context.js';
import { importerOf } from './imported-files.js';
import { namedAfter, testedStem } from './test-paths.js';
import { identifierWords, meaningfulWords, stem } from '../repo-map/words.js';

export type TestLink = 'failing' | 'imports' | 'named' | 'in-goal';

export interface FoundTest {
  path: string;
  links: TestLink[];
}

const WEIGHTS: Record<TestLink, number> = { failing: 4, imports: 2, 'in-goal': 1.5, named: 1 };
const weight = (links: TestLink[]) => links.reduce((n, l) => n + WEIGHTS[l], 0);

/**
 * Of `tests` (the repository's test files and their text), those linked to a file in `changing`, most
 * telling first. `failing` lists the test files a red base's output named, in its order: they come first.
 */
export function findTests(changing: readonly string[], tests: readonly FileSnapshot[], failing: readonly string[] = [], goal = ''): FoundTest[] {
  const goalWords = new Set(meaningfulWords(goal).map(stem));
  const found: Array<FoundTest & { order: number }> = [];
  tests.forEach((test, order) => {
    const links: TestLink[] = [];
    if (failing.includes(test.path)) links.push('failing');
    const imports = importerOf(test.path, test.content);
    if (changing.some((c) => c !== test.path && imports(c))) links.push('imports');
    if (changing.some((c) => namedAfter(test.path, c))) links.push('named');
    // The goal's words only order the tests already linked: "LRU eviction" puts test_lru.py before test_cache.py.
    if (links.length && identifierWords(testedStem(test.path)).some((w) => goalWords.has(stem(w)))) links.push('in-goal');
    if (links.length) found.push({ path: test.path, links, order: links.includes('failing') ? failing.indexOf(test.path) : order });
  });
  return found
    .sort((a, b) => weight(b.links) - weight(a.links) || a.order - b.order || a.path.localeCompare(b.path))
    .map(({ path, links }) => ({ path, links }));
}
