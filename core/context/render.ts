// How a draft's context reads in a prompt: the tests as read-only files, the
// map as signatures of the rest of the repository. One rendering for every
// prompt style; each builder decides where it goes and how much of it fits.
import type { DraftContext } from '../contracts/draft-context.js';
import { fencedFile } from '../edits/reply-syntax.js';
import { headTail } from '../views/excerpt.js';

/** The tests, each fenced with its path, under a heading that says they may not be changed; '' when none. */
export function renderTests(context: DraftContext | undefined, maxChars: number): string {
  if (!context?.tests.length) return '';
  const files = context.tests.map((t) => fencedFile(t.path, t.content)).join('\n\n');
  return `Tests that exercise these files (read-only: never edit them; make the code pass them):\n\n${headTail(files, maxChars)}`;
}

/** The map under its heading; '' when none. */
export function renderMapSection(context: DraftContext | undefined, maxChars: number): string {
  if (!context?.map) return '';
  return `Map of the rest of the repository (signatures only, read-only; for reference):\n\n${headTail(context.map, maxChars)}`;
}
