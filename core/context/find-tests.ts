// The test files that exercise the files a draft may change: those the base's
// failing run named, those that import one of the files, and those named after
// one. Most telling first, so a budget that cuts, cuts the least telling.
import type { FileSnapshot } from '../contracts/draft-context.js';
import { importerOf } from './imported-files.js';
import { namedAfter } from './test-paths.js';

export type TestLink = 'failing' | 'imports' | 'named';

export interface FoundTest {
  path: string;
  links: TestLink[];
}

const weight = (links: TestLink[]) => (links.includes('failing') ? 4 : 0) + (links.includes('imports') ? 2 : 0) + (links.includes('named') ? 1 : 0);

/**
 * Of `tests` (the repository's test files and their text), those linked to a file in `changing`, most
 * telling first. `failing` lists the test files a red base's output named, in its order: they come first.
 */
export function findTests(changing: readonly string[], tests: readonly FileSnapshot[], failing: readonly string[] = []): FoundTest[] {
  const found: Array<FoundTest & { order: number }> = [];
  tests.forEach((test, order) => {
    const links: TestLink[] = [];
    if (failing.includes(test.path)) links.push('failing');
    const imports = importerOf(test.path, test.content);
    if (changing.some((c) => c !== test.path && imports(c))) links.push('imports');
    if (changing.some((c) => namedAfter(test.path, c))) links.push('named');
    if (links.length) found.push({ path: test.path, links, order: links.includes('failing') ? failing.indexOf(test.path) : order });
  });
  return found
    .sort((a, b) => weight(b.links) - weight(a.links) || a.order - b.order || a.path.localeCompare(b.path))
    .map(({ path, links }) => ({ path, links }));
}
