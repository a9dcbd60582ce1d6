// What a long file's prompt shows of the place a fix went (issue 26), no model run: for each fix
// commit of bench/data/fixes-selection.json and bench/data/localise-corpus.jsonl, each source file
// the fix changed whose parent-side text is longer than the embedded 1.5B's files share
// (core/context/budget.ts with its catalogue window), the share of the fix's changed lines (those
// the diff removes or changes, and the line a pure insertion follows) that the prompt shows whole:
// cut by head and tail (core/views/excerpt.ts), as before, against cut around the definitions the
// goal points at (core/context/file-focus.ts), the definitions parsed by the repository map's parser.
// The goal is the commit message; no failing tests (a green parent has none to give).
//   npm run bench:focus [-- --mirrors /work/.mirror]
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../adapters/project-root.js';
import { git } from '../adapters/git/git.js';
import { parseFile } from '../adapters/repo-map/index.js';
import { CHARS_PER_TOKEN, contextBudget } from '../core/context/budget.js';
import { fitFocus, focusWindows } from '../core/context/file-focus.js';
import { EMBEDDED_MODELS } from '../core/models/catalog.js';
import { parseCorpus, type CorpusEntry } from './localise/corpus.js';
import { loadCases, mirrorOf } from './fixes/commits.js';
import { changedParentLines, headTailLines } from './focus/changed-lines.js';

const { values: args } = parseArgs({ options: { mirrors: { type: 'string', default: '/work/.mirror' } } });
const MODEL = EMBEDDED_MODELS['qwen2.5-coder-1.5b'].drafting;
const SHARE = contextBudget(MODEL.contextTokens, MODEL.maxOutputTokens).files * CHARS_PER_TOKEN;

interface Row {
  repo: string;
  fix: string;
  path: string;
  selected: boolean;
  lines: number;
  changed: number;
  byHeadTail: number;
  byFocus: number;
  /** The definitions the excerpt was cut around; empty where none matched (head and tail kept). */
  around: string[];
}

async function measure(entry: CorpusEntry, selected: boolean): Promise<Row[]> {
  const mirror = mirrorOf(entry.repo, args.mirrors!);
  const rows: Row[] = [];
  for (const path of entry.sourceFiles) {
    const content = await git(mirror, ['show', `${entry.parent}:${path}`], { allowFail: true, raw: true });
    if (content.length <= SHARE) continue;
    const changed = changedParentLines(await git(mirror, ['diff', '-U0', '--no-color', entry.parent, entry.fix, '--', path]));
    if (changed.length === 0) continue;
    const symbols = await parseFile(path, content);
    const excerpt = fitFocus(content, focusWindows(content, symbols?.definitions ?? [], entry.message, [], path), SHARE, path);
    const headTail = headTailLines(content, SHARE);
    const inRanges = (n: number) => excerpt?.ranges.some(([from, to]) => n >= from && n <= to) ?? headTail.has(n);
    rows.push({
      repo: entry.repo,
      fix: entry.fix.slice(0, 8),
      path,
      selected,
      lines: content.split('\n').length,
      changed: changed.length,
      byHeadTail: changed.filter((n) => headTail.has(n)).length,
      byFocus: changed.filter(inRanges).length,
      around: excerpt?.names ?? [],
    });
  }
  return rows;
}

const pct = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(0)}%` : '-');

function summary(label: string, rows: readonly Row[]): string {
  const changed = rows.reduce((n, r) => n + r.changed, 0);
  const head = rows.reduce((n, r) => n + r.byHeadTail, 0);
  const focus = rows.reduce((n, r) => n + r.byFocus, 0);
  const allHead = rows.filter((r) => r.byHeadTail === r.changed).length;
  const allFocus = rows.filter((r) => r.byFocus === r.changed).length;
  const fellBack = rows.filter((r) => r.around.length === 0).length;
  const worse = rows.filter((r) => r.byFocus < r.byHeadTail).length;
  return (
    `| ${label} | ${rows.length} | ${changed} | ${head} (${pct(head, changed)}) | ${focus} (${pct(focus, changed)}) | ` +
    `${allHead} | ${allFocus} | ${fellBack} | ${worse} |`
  );
}

async function main(): Promise<void> {
  const selection = await loadCases(args.mirrors!);
  const corpus = parseCorpus(await readFile(join(PROJECT_ROOT, 'bench', 'data', 'localise-corpus.jsonl'), 'utf8'));
  const chosen = new Set(selection.map((c) => c.fix));
  const entries = new Map<string, CorpusEntry>();
  for (const e of [...selection, ...corpus]) entries.set(e.fix, e);
  const rows: Row[] = [];
  const missing: string[] = [];
  for (const entry of entries.values()) {
    try {
      rows.push(...(await measure(entry, chosen.has(entry.fix))));
    } catch (err) {
      missing.push(`${entry.repo} ${entry.fix.slice(0, 8)}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
  console.log(`Files share of qwen2.5-coder-1.5b (${MODEL.contextTokens} tokens, reply ${MODEL.maxOutputTokens}): ${SHARE} characters`);
  console.log(`Commits: ${entries.size} (${selection.length} of the fixes selection); changed source files longer than the share: ${rows.length}\n`);
  console.log('| repo | fix | file | lines | changed lines | head+tail shows | focus shows | focus around |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.repo} | ${r.fix}${r.selected ? '*' : ''} | ${r.path} | ${r.lines} | ${r.changed} | ${r.byHeadTail} | ${r.byFocus} | ${r.around.slice(0, 3).join(', ') || '(none matched: head+tail)'} |`,
    );
  console.log('\n* in the fixes selection\n');
  console.log(
    '| set | files | changed lines | shown by head+tail | shown by focus | files wholly shown (head+tail) | (focus) | no match (head+tail kept) | focus shows fewer |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  console.log(summary('all', rows));
  console.log(
    summary(
      'fixes selection',
      rows.filter((r) => r.selected),
    ),
  );
  if (missing.length) console.log(`\nNot measured (${missing.length}):\n${missing.map((m) => `- ${m}`).join('\n')}`);
}

await main();
