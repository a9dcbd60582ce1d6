// A chat model's reply about one file, as the parsers read it. Whole file: the first code block,
// under the file's path. Models put prose before the block (sometimes a path of their own, or
// none); an unclosed block is closed where the model ended it, and kept unclosed (refused) where the reply cap cut it. Search-replace: each SEARCH/REPLACE block
// under the file's path, whatever path (the example's, or none) the model wrote above it; the
// blocks' text is kept as written, so what SEARCH must match is the gate's to judge, and a reply
// with no block goes to the parser as it is (a cut-off whole file is not closed here). Replies
// about several files go to the parser as they are.
import type { EditFormat } from '../formats/index.js';
import { FENCE_RE, REPLACE_RE, SEARCH_RE } from '../reply-syntax.js';

/** The draft's line for a reply the reply cap stopped. */
export function replyCutNote(capTokens: number): string {
  return `reply cut at the ${capTokens.toLocaleString('en-US')}-token cap`;
}

export function assembleChatReply(
  reply: string,
  onlyFile: string | undefined,
  format: EditFormat = 'whole-file',
  responsePrefix = '',
  cutAtCap = false,
): string {
  // The forced start is read back with the reply whether or not the model's text repeats it.
  if (responsePrefix && !reply.startsWith(responsePrefix)) reply = `${responsePrefix}${reply}`;
  if (!onlyFile) return reply;
  const lines = reply.replace(/\r\n/g, '\n').split('\n');
  if (format === 'search-replace') return searchReplaceBlocks(lines, onlyFile) ?? reply;
  const open = lines.findIndex((l) => FENCE_RE.test(l.trim()));
  if (open < 0) return reply;
  const fence = FENCE_RE.exec(lines[open]!.trim())![1]!;
  const close = lines.findIndex((l, i) => i > open && l.trim() === fence);
  // A block the cap stopped is a cut file: left unclosed, the parser refuses it rather than the tests failing a file that ends mid-way.
  if (close < 0 && cutAtCap) return `${onlyFile}\n${lines.slice(open).join('\n')}`;
  const code = lines.slice(open + 1, close < 0 ? undefined : close);
  return `${onlyFile}\n${fence}\n${code.join('\n')}\n${fence}\n`;
}

/** Every block from its SEARCH marker to its REPLACE marker (or the reply's end: the parser says it is cut), each under `path`. */
function searchReplaceBlocks(lines: string[], path: string): string | undefined {
  const blocks: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!SEARCH_RE.test(lines[i]!.trim())) continue;
    let end = i + 1;
    while (end < lines.length && !REPLACE_RE.test(lines[end]!.trim())) end++;
    blocks.push([path, ...lines.slice(i, end + 1).map((l) => (SEARCH_RE.test(l.trim()) || REPLACE_RE.test(l.trim()) ? l.trim() : l))].join('\n'));
    i = end;
  }
  return blocks.length ? `${blocks.join('\n')}\n` : undefined;
}
