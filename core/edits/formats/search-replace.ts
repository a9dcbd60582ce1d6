// search-replace (Aider style): the model names a file, then replaces exact
// lines with new ones. Cheap for big files and small changes.
//     src/a.ts                  <- path line (may be `src/a.ts`, File: src/a.ts, ### src/a.ts)
//     ```ts                     <- optional fence; its info string may carry the path (```ts src/a.ts)
//     <<<<<<< SEARCH
//     old lines
//     =======
//     new lines
//     >>>>>>> REPLACE
//     ```                       <- optional closing fence
// Applied by ../apply-edits.ts (exact, then whitespace-tolerant, then punctuation-folded matching).
import {
  DIVIDER_RE,
  fail,
  fencePathAbove,
  findPathLine,
  linesToText,
  normalizeEditPath,
  REPLACE_RE,
  SEARCH_RE,
  type FileEdit,
  type ParseResult,
} from '../reply-syntax.js';

export const SR_EXAMPLE = "path/to/file.ext, then '<<<<<<< SEARCH', the exact current lines, '=======', the new lines, '>>>>>>> REPLACE'";

const INSTRUCTIONS = [
  'Write every change as a SEARCH/REPLACE block:',
  '',
  'path/to/file.ext',
  '<<<<<<< SEARCH',
  'the exact lines currently in the file',
  '=======',
  'the lines that replace them',
  '>>>>>>> REPLACE',
  '',
  'Rules:',
  '- Put the file path alone on the line directly above each block: relative to the repository root, forward slashes, no leading "/" and no "..".',
  '- SEARCH must copy the current lines exactly, including indentation and comments; do not number lines or skip lines with "...".',
  '- SEARCH must match exactly one place in the file: include a few unchanged lines around the change to make it unique, but keep blocks small.',
  '- For several changes, write several blocks, in any files. Blocks for one file apply in order, so a later block must match the file as earlier blocks left it.',
  '- To delete lines, leave REPLACE empty. To create a new file, leave SEARCH empty and put the whole file in REPLACE.',
  '- Text outside the blocks is ignored.',
  '',
  'Example:',
  '',
  'src/greet.ts',
  '<<<<<<< SEARCH',
  'export function greet(name: string): string {',
  "  return 'Hello ' + name;",
  '}',
  '=======',
  'export function greet(name: string): string {',
  '  return `Hello, ${name}!`;',
  '}',
  '>>>>>>> REPLACE',
].join('\n');

export const searchReplace = {
  name: 'search-replace',
  instructions: INSTRUCTIONS,
  parse: parseSearchReplace,
} as const;

function parseSearchReplace(lines: string[]): ParseResult {
  const edits: FileEdit[] = [];
  let lastPath: string | undefined;
  let floor = 0; // path lookback never reaches into the previous block
  let block = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (REPLACE_RE.test(line)) {
      return fail(`block ${block + 1} (line ${i + 1}): '>>>>>>> REPLACE' without a '<<<<<<< SEARCH' and '=======' before it`);
    }
    if (!SEARCH_RE.test(line)) {
      i++;
      continue;
    }
    block++;
    const start = i;
    const where = `block ${block} (line ${start + 1})`;

    // Path rule: the fence info string directly above the block wins, then a path line within
    // PATH_LOOKBACK lines above it (not crossing the previous block). Only when neither exists
    // may the block reuse the path of the previous block; the first block must name a path.
    let path: string;
    const named = fencePathAbove(lines, start, floor) ?? findPathLine(lines, start, floor);
    if (named) {
      const norm = normalizeEditPath(named.raw);
      if (!norm.ok) return fail(`block ${block} (line ${named.index + 1}): invalid path '${named.raw}': ${norm.reason}`);
      path = norm.path;
    } else if (lastPath !== undefined) {
      path = lastPath;
    } else {
      return fail(`${where}: no file path before '<<<<<<< SEARCH'; put the path alone on the line above the block`);
    }

    let divider = start + 1;
    for (; divider < lines.length && !DIVIDER_RE.test(lines[divider]!); divider++) {
      const l = lines[divider]!;
      if (SEARCH_RE.test(l) || REPLACE_RE.test(l)) {
        const what = SEARCH_RE.test(l) ? '<<<<<<< SEARCH' : '>>>>>>> REPLACE';
        return fail(`${where}: missing '=======' divider (found '${what}' at line ${divider + 1} first)`);
      }
    }
    if (divider >= lines.length) return fail(`${where}: missing '=======' divider (reached the end of the reply)`);

    let end = divider + 1;
    for (; end < lines.length && !REPLACE_RE.test(lines[end]!); end++) {
      const l = lines[end]!;
      if (DIVIDER_RE.test(l)) {
        return fail(`block ${block} (line ${end + 1}): a second '=======' divider; each block has exactly one, then '>>>>>>> REPLACE'`);
      }
      if (SEARCH_RE.test(l)) {
        return fail(`${where}: missing '>>>>>>> REPLACE' marker (found the next '<<<<<<< SEARCH' at line ${end + 1} first)`);
      }
    }
    if (end >= lines.length) return fail(`${where}: missing '>>>>>>> REPLACE' marker (reached the end of the reply)`);

    edits.push({
      kind: 'search-replace',
      path,
      search: linesToText(lines.slice(start + 1, divider)),
      replace: linesToText(lines.slice(divider + 1, end)),
    });
    lastPath = path;
    floor = end + 1;
    i = end + 1;
  }
  if (edits.length === 0) return fail(`no SEARCH/REPLACE edit blocks were found; write each edit as: ${SR_EXAMPLE}`);
  return { ok: true, edits };
}
