import type { CompactPrompt } from './compact-prompt.js';
import { closeOpenBlocks } from './close-blocks.js';
import { reindentBody } from './reindent.js';

/**
 * The small-model reply as the edit parser reads it: the prefilled head and what the model
 * wrote after it, in one code block that is always closed (the stop sequence is not part of
 * the model's text), with braces it left open closed and a body it wrote at column 0
 * indented like the file. Pure.
 */
export function assembleCompactReply(responseText: string, prompt: Pick<CompactPrompt, 'responsePrefix' | 'stopAt'>, original?: string): string {
  const prefix = prompt.responsePrefix ?? '';
  const generated = responseText.startsWith(prefix) ? responseText : `${prefix}${responseText}`;
  if (!prompt.stopAt) return generated;
  const fenceEnd = generated.indexOf(prompt.stopAt, prefix.length - 1);
  const fenceLine = prefix.split('\n')[0] ?? '';
  let code = generated.slice(fenceLine.length + 1, fenceEnd === -1 ? undefined : fenceEnd + 1);
  const head = prefix.slice(fenceLine.length + 1);
  if (original !== undefined && head && code.startsWith(head)) code = `${head}${reindentBody(head, code.slice(head.length), original)}`;
  const closed = closeOpenBlocks(code);
  return `${fenceLine}\n${closed}${closed.endsWith('\n') ? '' : '\n'}${prompt.stopAt.trim()}\n`;
}
