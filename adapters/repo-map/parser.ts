// One tree-sitter runtime per process, each grammar loaded the first time a file needs it.
// @vscode/tree-sitter-wasm is a UMD bundle (no ESM named exports), hence require.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TreeSitter from '@vscode/tree-sitter-wasm';
import type { FileSymbols } from '../../core/contracts/repo-map.js';
import { isTestPath } from '../../core/context/test-paths.js';
import { extractSymbols } from './extract.js';
import { languageOf, type Grammar } from './languages.js';

const require = createRequire(import.meta.url);

/** A parse that runs longer than this is abandoned (pathological input): the file is left out of the map. */
const PARSE_TIMEOUT_MS = 2_000;

let runtime: Promise<{ ts: typeof TreeSitter; dir: string }> | undefined;
const grammars = new Map<Grammar, Promise<TreeSitter.Language>>();

function loadRuntime(): Promise<{ ts: typeof TreeSitter; dir: string }> {
  runtime ??= (async () => {
    const entry = require.resolve('@vscode/tree-sitter-wasm');
    const dir = dirname(entry);
    const ts = require(entry) as typeof TreeSitter;
    await ts.Parser.init({ locateFile: (file: string) => join(dir, file) });
    return { ts, dir };
  })();
  return runtime;
}

async function loadGrammar(grammar: Grammar): Promise<{ ts: typeof TreeSitter; language: TreeSitter.Language }> {
  const { ts, dir } = await loadRuntime();
  let language = grammars.get(grammar);
  if (!language) {
    language = ts.Language.load(join(dir, `tree-sitter-${grammar}.wasm`));
    grammars.set(grammar, language);
  }
  return { ts, language: await language };
}

/** Whether the map can read this path at all (by its extension). */
export function isMappable(path: string): boolean {
  return languageOf(path) !== undefined;
}

/**
 * The symbols of one file, or undefined when it cannot be read as source: an unknown extension,
 * binary content, or a parse that did not finish. Syntax errors are fine: tree-sitter recovers
 * and the definitions it still finds are kept.
 */
export async function parseFile(path: string, source: string): Promise<FileSymbols | undefined> {
  const lang = languageOf(path);
  if (!lang || source.includes('\u0000')) return undefined;
  const { ts, language } = await loadGrammar(lang.grammar);
  const parser = new ts.Parser();
  try {
    parser.setLanguage(language);
    const deadline = Date.now() + PARSE_TIMEOUT_MS;
    const tree = parser.parse(source, null, { progressCallback: () => Date.now() > deadline });
    if (!tree) return undefined;
    try {
      const { definitions, references } = extractSymbols(tree, lang.grammar, source);
      return { path, language: lang.language, definitions, references, isTest: isTestPath(path) };
    } finally {
      tree.delete();
    }
  } finally {
    parser.delete();
  }
}
