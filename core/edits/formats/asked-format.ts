// A reply is read in the format its model was asked for, then in the other (./index.ts's
// parseEitherFormat), so a capable model that answers in the other format is still understood. A
// model asked for SEARCH/REPLACE blocks (the embedded chat model, when its files are longer than its
// reply cap or the slot says so) must quote the lines it changes. Were its whole-file blocks read too,
// a path line and a one-line code block would replace a whole existing file without one line of it
// quoted, and the tests judge only what they cover: an untested file is wiped. So, where the draft
// says it asked for search-replace, a whole-file block may only create a file (new files are written
// whole in either format: search-replace's empty SEARCH does the same).
import type { FileEdit, ParseResult } from '../reply-syntax.js';
import type { EditFormat } from './index.js';
import { SR_EXAMPLE } from './search-replace.js';

/**
 * Whether `parsed` holds whole files that a reply asked as `asked` may write only to create a file,
 * so the paths the base tracks are needed to judge it.
 */
export function hasWholeFilesToJudge(parsed: ParseResult, asked: EditFormat | undefined): parsed is { ok: true; edits: FileEdit[] } {
  return asked === 'search-replace' && parsed.ok && parsed.edits.some((e) => e.kind === 'whole-file');
}

// Paths as a case-insensitive or normalising file system (macOS, Windows) sees them: there, `SRC/A.py`
// or a decomposed `é` writes over the tracked file, so such a spelling is that file, not a new one.
const fold = (path: string) => path.normalize('NFC').toLowerCase();

/**
 * The refusal of a search-replace reply's whole-file blocks that would replace a file the base
 * tracks (`tracked`: its paths), told so the model rewrites them as SEARCH/REPLACE blocks;
 * undefined where every whole-file block creates a file.
 */
export function wholeFilesOverExisting(edits: readonly FileEdit[], tracked: readonly string[]): string | undefined {
  const existing = new Map(tracked.map((p) => [fold(p), p]));
  const over = edits.flatMap((e) => {
    const path = e.kind === 'whole-file' ? existing.get(fold(e.path)) : undefined;
    if (path === undefined) return [];
    return [path === e.path ? path : `${e.path} (${path} in the repository)`];
  });
  if (over.length === 0) return undefined;
  const files = [...new Set(over)];
  return [
    `${files.join(', ')} ${files.length === 1 ? 'exists' : 'exist'}, and this reply was asked for SEARCH/REPLACE blocks: a whole-file block may only create a new file, never replace one.`,
    `Change an existing file with SEARCH/REPLACE blocks that copy the lines to change: ${SR_EXAMPLE}. No file was changed.`,
  ].join('\n');
}
