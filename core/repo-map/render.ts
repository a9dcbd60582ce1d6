// renderMap: the ranked files' paths and signatures as the prompt shows them, best first, cut to a
// token budget. Whole files only: a file that does not fit ends the map, so what is shown is always
// a prefix of the ranking and `omitted` says how many ranked files were left out.

import type { FileSymbols, RankedFile, RepoMap } from '../contracts/repo-map.js';
import { estimateTokens } from './tokens.js';

export interface RenderedMap {
  text: string;
  tokens: number;
  /** The paths shown, in order. */
  files: string[];
  /** Ranked files left out for the budget (the focus's own files are never shown and never counted). */
  omitted: number;
}

/** A signature longer than this is cut: a map line is a pointer, not the code. */
const MAX_SIGNATURE_CHARS = 200;

export function renderMap(map: RepoMap, ranked: readonly RankedFile[], tokenBudget: number, skip: readonly string[] = []): RenderedMap {
  const byPath = new Map(map.files.map((f) => [f.path, f]));
  const skipped = new Set(skip);
  const candidates = ranked.filter((r) => byPath.has(r.path) && !skipped.has(r.path));
  const blocks: string[] = [];
  const files: string[] = [];
  let tokens = 0;
  for (const r of candidates) {
    const block = renderFile(byPath.get(r.path)!);
    const cost = estimateTokens(block);
    if (tokens + cost > tokenBudget) break;
    blocks.push(block);
    files.push(r.path);
    tokens += cost;
  }
  const text = blocks.join('');
  return { text, tokens: estimateTokens(text), files, omitted: candidates.length - files.length };
}

function renderFile(file: FileSymbols): string {
  const lines = [...file.definitions]
    .sort((a, b) => a.line - b.line)
    .map((d) => `  ${d.line}: ${oneLine(d.signature)}`)
    .join('\n');
  return `${file.path}${file.isTest ? ' (test)' : ''}:\n${lines ? lines + '\n' : ''}`;
}

function oneLine(signature: string): string {
  const flat = signature.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SIGNATURE_CHARS ? flat.slice(0, MAX_SIGNATURE_CHARS - 1) + '…' : flat;
}
