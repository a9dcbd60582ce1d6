// A chat model's reply about one file, as the whole-file parser reads it: the
// first code block, under the file's path. Models put prose before the block
// (sometimes a path of their own, or none); an unclosed block at the token
// limit is closed. Replies about several files go to the parser as they are.
import { FENCE_RE } from '../reply-syntax.js';

export function assembleChatReply(reply: string, onlyFile: string | undefined): string {
  if (!onlyFile) return reply;
  const lines = reply.replace(/\r\n/g, '\n').split('\n');
  const open = lines.findIndex((l) => FENCE_RE.test(l.trim()));
  if (open < 0) return reply;
  const fence = FENCE_RE.exec(lines[open]!.trim())![1]!;
  const close = lines.findIndex((l, i) => i > open && l.trim() === fence);
  const code = lines.slice(open + 1, close < 0 ? undefined : close);
  return `${onlyFile}\n${fence}\n${code.join('\n')}\n${fence}\n`;
}
