// renderMap: the ranked files' paths and signatures as the prompt shows them, best first, cut to a
// token budget. A file that does not fit whole is shown with the signatures that fit (its first
// lines) and a count of the rest; one that cannot show even one is left out and counted, and the
// files after it may still fit.

import type { FileSymbols, RankedFile, RepoMap } from '../contracts/repo-map.js';
import { CHARS_PER_TOKEN, estimateTokens } from './tokens.js';

export interface RenderedMap {
  text: string;
  tokens: number;
  /** The paths shown, in rank order. */
  files: string[];
  /** Ranked files left out for the budget (the files to skip, the focus's own, are never shown and never counted). */
  omitted: number;
  /** Files shown with only some of their signatures. */
  truncated: number;
}

/** A signature longer than this is cut: a map line is a pointer, not the code. */
const MAX_SIGNATURE_CHARS = 200;

export function renderMap(map: RepoMap, ranked: readonly RankedFile[], tokenBudget: number, skip: readonly string[] = []): RenderedMap {
  const byPath = new Map(map.files.map((f) => [f.path, f]));
  const skipped = new Set(skip);
  const candidates = ranked.filter((r) => byPath.has(r.path) && !skipped.has(r.path));
  let text = '';
  const files: string[] = [];
  let truncated = 0;
  for (const r of candidates) {
    // ceil(chars / 4) <= budget exactly when chars <= 4 * budget: room is counted in characters.
    const block = fitFile(byPath.get(r.path)!, Math.max(0, tokenBudget) * CHARS_PER_TOKEN - text.length);
    if (!block) continue;
    text += block.text;
    files.push(r.path);
    if (block.partial) truncated++;
  }
  return { text, tokens: estimateTokens(text), files, omitted: candidates.length - files.length, truncated };
}

/** The file's block, whole if it fits in `roomChars`, else its header and the first signatures that fit. */
function fitFile(file: FileSymbols, roomChars: number): { text: string; partial: boolean } | undefined {
  const fits = (t: string) => t.length <= roomChars;
  const header = `${file.path}${file.isTest ? ' (test)' : ''}:\n`;
  const lines = [...file.definitions].sort((a, b) => a.line - b.line).map((d) => `  ${d.line}: ${oneLine(d.signature)}\n`);
  const whole = header + lines.join('');
  if (fits(whole)) return { text: whole, partial: false };
  let text = header;
  let shown = 0;
  for (const line of lines) {
    const rest = `  … ${lines.length - shown - 1} more\n`;
    if (!fits(text + line + rest)) break;
    text += line;
    shown++;
  }
  if (shown === 0) return undefined;
  return { text: text + `  … ${lines.length - shown} more\n`, partial: true };
}

function oneLine(signature: string): string {
  const flat = signature.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SIGNATURE_CHARS ? flat.slice(0, MAX_SIGNATURE_CHARS - 1) + '…' : flat;
}
