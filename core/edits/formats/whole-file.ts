// whole-file: the model writes each file it changes in full. Robust for
// small files and small models (nothing to match); the embedded models'
// prompts (../small-model/, ../chat-model/) produce this format.
//     src/a.ts                  <- path line, or the path in the fence info string
//     ```ts
//     complete new content
//     ```
import {
  fail,
  findPathLine,
  linesToText,
  normalizeEditPath,
  parseFence,
  pathFromFenceInfo,
  SEARCH_RE,
  type FileEdit,
  type ParseResult,
} from '../reply-syntax.js';

export const WF_EXAMPLE = 'path/to/file.ext on its own line, then ```lang, the complete file content, then ```';

const INSTRUCTIONS = [
  'Write every file you change in full, as a fenced code block preceded by its path:',
  '',
  'path/to/file.ext',
  '```lang',
  'the complete new content of the file',
  '```',
  '',
  'Rules:',
  '- Put the file path alone on the line directly above the opening fence: relative to the repository root, forward slashes, no leading "/" and no "..".',
  '- Give the whole file, not only the changed part: every line you leave out is deleted. Never write placeholders such as "// ... rest unchanged".',
  '- One block per file; files you do not change need no block. A new file is written the same way.',
  '- If the file itself contains lines starting with ```, open and close the block with a longer fence, such as ````.',
  '- Text outside the blocks is ignored, but every code block must be a file.',
  '',
  'Example:',
  '',
  'src/greet.ts',
  '```ts',
  'export function greet(name: string): string {',
  '  return `Hello, ${name}!`;',
  '}',
  '```',
].join('\n');

export const wholeFile = {
  name: 'whole-file',
  instructions: INSTRUCTIONS,
  parse: parseWholeFile,
} as const;

function parseWholeFile(lines: string[]): ParseResult {
  const edits: FileEdit[] = [];
  const seen = new Map<string, number>();
  let floor = 0;
  let block = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (SEARCH_RE.test(line)) {
      return fail(`line ${i + 1}: found '<<<<<<< SEARCH', but this reply must give whole files; write each file in full as: ${WF_EXAMPLE}`);
    }
    const fence = parseFence(line);
    if (!fence) continue;
    block++;
    const where = `block ${block} (line ${i + 1})`;

    // The path in the fence info string wins over a path line above the fence.
    const infoPath = pathFromFenceInfo(fence.info);
    const named = infoPath !== undefined ? { raw: infoPath, index: i } : findPathLine(lines, i, floor);
    if (!named) return fail(`${where}: code block has no file path; put the path alone on the line above the opening fence`);
    const norm = normalizeEditPath(named.raw);
    if (!norm.ok) return fail(`block ${block} (line ${named.index + 1}): invalid path '${named.raw}': ${norm.reason}`);
    const path = norm.path;
    const earlier = seen.get(path);
    if (earlier !== undefined) return fail(`${where}: '${path}' was already given in block ${earlier}; give each file once`);

    // Closing fence: same character, at least as long, no info string. Fences with an info
    // string inside the content (a Markdown file's own code blocks) open a nested level that
    // their bare closing fence ends, so they do not close the file early.
    const nested: number[] = [];
    let close = i + 1;
    for (; close < lines.length; close++) {
      const l = lines[close]!;
      if (SEARCH_RE.test(l)) {
        return fail(
          `block ${block} (line ${close + 1}): content of '${path}' contains a '<<<<<<< SEARCH' marker; write the complete file instead of SEARCH/REPLACE blocks`,
        );
      }
      const inner = parseFence(l);
      if (!inner || inner.char !== fence.char) continue;
      if (inner.info) {
        nested.push(inner.len);
      } else if (nested.length > 0 && inner.len >= nested[nested.length - 1]!) {
        nested.pop();
      } else if (inner.len >= fence.len) {
        break;
      }
    }
    if (close >= lines.length) {
      return fail(`${where}: code block for '${path}' is never closed; end it with a line holding only ${fence.char.repeat(fence.len)}`);
    }
    edits.push({ kind: 'whole-file', path, content: linesToText(lines.slice(i + 1, close)) });
    seen.set(path, block);
    floor = close + 1;
    i = close;
  }
  if (edits.length === 0) return fail(`no file blocks were found; write each changed file as: ${WF_EXAMPLE}`);
  return { ok: true, edits };
}
