// SEARCH/REPLACE as the embedded chat model is asked for it: the format of ../formats/search-replace.ts
// (its parser and ../apply-edits.ts read the reply), told in a few lines with one small example in
// the file's own language. The API models' full rules (new files, deletions, block order) are more
// than a 1.5B model follows; what it most needs is to copy SEARCH exactly and to stop after the blocks.
import { languageOf } from '../reply-syntax.js';

/** A two-line change in each language, the smallest that shows context lines kept and one line changed. */
const EXAMPLES: Record<string, { file: string; search: string[]; replace: string[] }> = {
  python: { file: 'shapes.py', search: ['def area(w, h):', '    return w + h'], replace: ['def area(w, h):', '    return w * h'] },
  go: { file: 'shapes.go', search: ['func area(w, h int) int {', '\treturn w + h'], replace: ['func area(w, h int) int {', '\treturn w * h'] },
  rust: { file: 'src/shapes.rs', search: ['fn area(w: u32, h: u32) -> u32 {', '    w + h'], replace: ['fn area(w: u32, h: u32) -> u32 {', '    w * h'] },
  js: { file: 'shapes.js', search: ['function area(w, h) {', '  return w + h;'], replace: ['function area(w, h) {', '  return w * h;'] },
  ts: {
    file: 'shapes.ts',
    search: ['function area(w: number, h: number): number {', '  return w + h;'],
    replace: ['function area(w: number, h: number): number {', '  return w * h;'],
  },
};

const block = (path: string, search: string[], replace: string[]) => [path, '<<<<<<< SEARCH', ...search, '=======', ...replace, '>>>>>>> REPLACE'].join('\n');

/**
 * The reply's rules for `paths` (the files shown): SEARCH/REPLACE blocks under each file's path.
 * `tooLong`: the files do not fit the reply whole, which the model is told, so it does not try.
 */
export function chatSearchReplaceRules(paths: readonly string[], tooLong: boolean): string {
  const first = paths[0] ?? 'path/to/file';
  const example = EXAMPLES[languageOf(first)] ?? EXAMPLES.js!;
  const which = paths.length === 1 ? first : 'the file it changes';
  return [
    // In words, not as a block to fill in: shown a template block, the 1.5B gave it back word for word.
    `${tooLong ? `Do not write ${paths.length === 1 ? 'the whole file: it is' : 'whole files: they are'} too long for your reply. ` : ''}Write only the lines that change, as SEARCH/REPLACE blocks: the file's path on a line of its own, then a line \`<<<<<<< SEARCH\`, then lines copied from the file, then a line \`=======\`, then those lines as they must become, then a line \`>>>>>>> REPLACE\`.`,
    [
      'Rules:',
      `- Put the path of ${which} alone on the line above each block.`,
      '- SEARCH copies consecutive lines of the current file exactly, with their indentation, enough of them to appear only once.',
      '- Keep SEARCH short: the lines you change and one or two lines around them, never a whole function or class.',
      '- REPLACE holds those lines as they must become. For changes in several places, write several blocks.',
    ].join('\n'),
    `Example, for another file ${example.file}, making area multiply:`,
    block(example.file, example.search, example.replace),
    paths.length === 1
      ? `Reply with the SEARCH/REPLACE blocks for ${first}, and nothing after them.`
      : 'Reply with the SEARCH/REPLACE blocks, and nothing after them.',
  ].join('\n\n');
}

/**
 * The start the reply is forced to for one file: its first SEARCH marker, so the model's first line
 * is a line of the file. Unprompted, the 1.5B answered a 4,700-token file's rules with a code block
 * holding one made-up line; the whole-file parser, which the gate also tries, took it for the file.
 * Prefilled, it copied the file into SEARCH until the cap: hence the rule that keeps SEARCH short.
 */
export const SEARCH_PREFILL = '<<<<<<< SEARCH\n';
