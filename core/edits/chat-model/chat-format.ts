// Which edit format the embedded chat model is asked for. Whole files measured best on small
// files (HumanEval: nothing to match, nothing to misquote), but a reply is capped (the catalogue's
// maxOutputTokens, 1,024 for the 1.5B) and a real source file is often longer: the reply is cut
// mid-file and the draft is lost. Files too long for it (together: a reply about several files holds
// them all) are asked for as SEARCH/REPLACE blocks, whose length follows the change, not the files;
// so is every file when the slot's --edit-format says so.
import type { FileSnapshot } from '../../contracts/draft-context.js';
import { tokensOf } from '../../context/budget.js';
import type { EditFormat } from '../formats/index.js';

export interface ChatFormat {
  format: EditFormat;
  /** Why search-replace was asked, for the draft's report ("search-replace: src/x.py is ~2,900 tokens, the reply cap is 1,024", or the files and their sum); absent for whole files. */
  note?: string;
}

const count = (n: number) => n.toLocaleString('en-US');

/** The files a note names by size, the rest counted. */
const NAMED = 3;

/**
 * Whole files unless the slot asks for search-replace or the files to change would not fit `replyTokens`
 * whole together (a reply about several files holds each of them; counted as the budget counts, which is
 * the margin). No cap known: the slot decides.
 */
export function chooseChatFormat(files: readonly FileSnapshot[], asked: EditFormat, replyTokens?: number): ChatFormat {
  if (asked === 'search-replace') return { format: 'search-replace', note: 'search-replace: asked by the edit format' };
  if (replyTokens === undefined || files.length === 0) return { format: 'whole-file' };
  // The budget's 3 characters a token is the margin a whole file's fence, path and change need: the 1.5B's
  // tokenizer puts 3.3–3.5 characters of Go and 4.3–4.9 of Python in a token. A 15% margin on top sent a
  // 631-token Python file that came back whole in 636 tokens (cachetools 86352aed) to search-replace,
  // which the 1.5B then wrote until the cap.
  const sized = files.map((f) => ({ path: f.path, tokens: tokensOf(f.content) })).sort((a, b) => b.tokens - a.tokens);
  const total = sized.reduce((sum, f) => sum + f.tokens, 0);
  if (total <= replyTokens) return { format: 'whole-file' };
  const cap = `the reply cap is ${count(replyTokens)}`;
  if (sized.length === 1) return { format: 'search-replace', note: `search-replace: ${sized[0]!.path} is ~${count(total)} tokens, ${cap}` };
  const named = sized.slice(0, NAMED).map((f) => `${f.path} ~${count(f.tokens)}`);
  if (sized.length > NAMED) named.push(`${sized.length - NAMED} more`);
  return { format: 'search-replace', note: `search-replace: ${sized.length} files are ~${count(total)} tokens together (${named.join(', ')}), ${cap}` };
}
