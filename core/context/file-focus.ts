// What a prompt shows of a file to change that is longer than its share: the
// file's first lines, then the definitions the goal and the failing tests point
// at, each from its line to the next definition, with a marker line for every
// gap. A small model asked for SEARCH/REPLACE blocks can only quote lines it
// saw, and the function to fix is more often in a long file's middle than in
// its head or tail. The definitions are scored by the repository map's own
// matcher (core/repo-map/seeds.ts), each definition taken as a file of its own.
// Where nothing matches, the head and tail as before. Pure.
import type { FileFocus, FocusWindow } from '../contracts/draft-context.js';
import type { FileSymbols, MapDefinition } from '../contracts/repo-map.js';
import { seedFiles, SEED_WEIGHTS } from '../repo-map/seeds.js';
import { headTail } from '../views/excerpt.js';
import { failingLineNumbers } from './failing-tests.js';

/** The most lines of the file's head (its imports) shown above the windows. */
const HEAD_LINES = 10;
/** The head's most of the budget: the windows are what the model came for. */
const HEAD_SHARE = 0.2;
/** The most windows a focus carries: enough for any file a prompt holds, small in a workflow payload. */
const MAX_WINDOWS = 300;

/** A file's lines without their ends, and the end it uses (a CRLF file is shown with CRLF). */
function splitLines(content: string): { lines: string[]; eol: string } {
  const eol = content.includes('\r\n') ? '\r\n' : '\n';
  const lines = content.split(/\r?\n/);
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return { lines, eol };
}

export function lineCount(content: string): number {
  return splitLines(content).lines.length;
}

/**
 * The file's definitions as windows of lines (from a definition to the line before the next one),
 * most relevant first: scored by the goal's and the failing tests' names and words as the map ranks
 * files, plus the failing tests' file:line in this file. Definitions outside the file are dropped;
 * several on one line share a window.
 */
export function focusWindows(content: string, definitions: readonly MapDefinition[], goal: string, failingTests: readonly string[], path = ''): FocusWindow[] {
  const total = lineCount(content);
  const byLine = new Map<number, MapDefinition[]>();
  for (const d of definitions) {
    if (!Number.isInteger(d.line) || d.line < 1 || d.line > total || typeof d.name !== 'string') continue;
    byLine.set(d.line, [...(byLine.get(d.line) ?? []), d]);
  }
  const starts = [...byLine.keys()].sort((a, b) => a - b);
  if (starts.length === 0) return [];
  // Each window as a file that defines its names: the map's matcher scores it against the focus.
  const asFiles: FileSymbols[] = starts.map((line, i) => ({
    path: `\0${i}`,
    language: 'python',
    definitions: byLine.get(line)!,
    references: [],
    isTest: false,
  }));
  const { weights } = seedFiles(asFiles, { goal, files: [], failingTests: [...failingTests] });
  const named = path ? failingLineNumbers(failingTests.join('\n'), path) : [];
  const windows = starts.map((from, i) => {
    const to = (starts[i + 1] ?? total + 1) - 1;
    const hits = named.filter((n) => n >= from && n <= to).length;
    const score = weights[i]! + (hits ? SEED_WEIGHTS.failingTestFile : 0);
    return { from, to, names: [...new Set(byLine.get(from)!.map((d) => d.name))], score: Math.round(score * 1000) / 1000 };
  });
  return windows.sort((a, b) => b.score - a.score || a.from - b.from).slice(0, MAX_WINDOWS);
}

/** What a prompt shows of a long file: the text, the line ranges it holds, and the names it was cut around. */
export interface FocusedExcerpt {
  text: string;
  ranges: Array<[number, number]>;
  /** The matched definitions shown, most relevant first. */
  names: string[];
  lines: number;
}

/** The comment a gap's marker is written in, by the file's extension; none where unknown. */
function commentPrefix(path: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  if (['py', 'pyi', 'rb', 'sh', 'bash', 'pl', 'r', 'yaml', 'yml', 'toml', 'ex', 'exs', 'jl'].includes(ext)) return '# ';
  if (
    [
      'ts',
      'tsx',
      'mts',
      'cts',
      'js',
      'jsx',
      'mjs',
      'cjs',
      'go',
      'rs',
      'c',
      'h',
      'cc',
      'cpp',
      'hpp',
      'java',
      'kt',
      'swift',
      'cs',
      'scala',
      'php',
      'dart',
    ].includes(ext)
  )
    return '// ';
  return '';
}

/**
 * The excerpt of `content` that fits `maxChars`: its head, the windows with a score best first (the
 * first cut to its opening lines when it alone is too long), then unscored windows nearest to them,
 * in file order with a marker line for each gap. Undefined where no window scores or none fits: the
 * caller keeps the head and tail.
 */
export function fitFocus(content: string, windows: readonly FocusWindow[], maxChars: number, path = ''): FocusedExcerpt | undefined {
  const { lines, eol } = splitLines(content);
  const total = lines.length;
  const valid = windows.filter((w) => Number.isInteger(w.from) && Number.isInteger(w.to) && w.from >= 1 && w.from <= w.to && w.to <= total);
  const scored = valid.filter((w) => w.score > 0);
  if (scored.length === 0) return undefined;
  const marker = markerFor(lines, commentPrefix(path));
  // Characters up to each line, its end included: a range's cost in O(1).
  const upTo = [0];
  for (const line of lines) upTo.push(upTo.at(-1)! + line.length + eol.length);
  const cost = (ranges: ReadonlyArray<[number, number]>) => {
    const merged = mergeRanges(ranges);
    let chars = 0;
    let next = 1;
    for (const [from, to] of merged) {
      if (from > next) chars += marker(next, from - 1).length + eol.length;
      chars += upTo[to]! - upTo[from - 1]!;
      next = to + 1;
    }
    if (next <= total) chars += marker(next, total).length + eol.length;
    return chars;
  };

  const chosen: Array<[number, number]> = [];
  const firstDefinition = Math.min(...valid.map((w) => w.from));
  let head = Math.min(firstDefinition - 1, HEAD_LINES);
  while (head > 0 && cost([[1, head]]) > maxChars * HEAD_SHARE) head--;
  if (head > 0) chosen.push([1, head]);
  const fits = (range: [number, number]) => cost([...chosen, range]) <= maxChars;
  const shown: FocusWindow[] = [];
  for (const w of scored) {
    if (fits([w.from, w.to])) {
      chosen.push([w.from, w.to]);
      shown.push(w);
    } else if (shown.length === 0) {
      // The best window alone is too long: its opening lines (the signature first) rather than none of it.
      let to = w.to - 1;
      while (to >= w.from && !fits([w.from, to])) to--;
      if (to >= w.from) {
        chosen.push([w.from, to]);
        shown.push(w);
      }
    }
  }
  if (shown.length === 0) return undefined;
  // What is left of the budget goes to the code around the matches: the callers and helpers next to them.
  const distance = (w: FocusWindow) => Math.min(...shown.map((s) => Math.abs(s.from - w.from)));
  const rest = valid.filter((w) => w.score <= 0).sort((a, b) => distance(a) - distance(b) || a.from - b.from);
  for (const w of rest) if (fits([w.from, w.to])) chosen.push([w.from, w.to]);
  // The last of it goes as the head and tail cut did: lines after the head and before the end, in turn.
  let top = head;
  let bottom = total + 1;
  const edges = (t: number, b: number): Array<[number, number]> => [
    ...(t > 0 ? [[1, t] as [number, number]] : []),
    ...(b <= total ? [[b, total] as [number, number]] : []),
  ];
  for (let turn = 0, stuck = 0; stuck < 2 && top + 1 < bottom; turn++) {
    const [t, b] = turn % 2 === 0 ? [top + 1, bottom] : [top, bottom - 1];
    if (cost([...chosen, ...edges(t, b)]) <= maxChars) {
      [top, bottom] = [t, b];
      stuck = 0;
    } else stuck++;
  }
  chosen.push(...edges(top, bottom));
  const ranges = mergeRanges(chosen);
  const out: string[] = [];
  let next = 1;
  for (const [from, to] of ranges) {
    if (from > next) out.push(marker(next, from - 1));
    out.push(...lines.slice(from - 1, to));
    next = to + 1;
  }
  if (next <= total) out.push(marker(next, total));
  const names = [...new Set(shown.flatMap((w) => w.names))];
  return { text: out.join(eol) + (content.endsWith('\n') ? eol : ''), ranges, names, lines: total };
}

/** Sorted, overlapping and adjacent ranges joined. */
function mergeRanges(ranges: ReadonlyArray<[number, number]>): Array<[number, number]> {
  const merged: Array<[number, number]> = [];
  for (const [from, to] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = merged.at(-1);
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/**
 * The gap's marker line ("# … lines 40-81 left out …"), made unlike every line of the file (compared
 * trimmed) so that a SEARCH block quoting it can never match the file.
 */
function markerFor(lines: readonly string[], prefix: string): (from: number, to: number) => string {
  const present = new Set(lines.map((l) => l.trim()));
  return (from, to) => {
    let text = `${prefix}… lines ${from}-${to} left out …`;
    while (present.has(text.trim())) text = `${text} (not in the file)`;
    return text;
  };
}

/** How a trimmed file was shown, for the draft's report: "src/x.py: lines 1-12, 140-210 around parse_version, cut_line (of 900)". */
export function describeExcerpt(path: string, excerpt: FocusedExcerpt): string {
  const ranges = excerpt.ranges.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`)).join(', ');
  const names = excerpt.names.slice(0, 4).join(', ') + (excerpt.names.length > 4 ? ', …' : '');
  return `${path}: lines ${ranges} around ${names} (of ${excerpt.lines})`;
}

/** The file's focus when the file is the version it was taken from. */
export function focusFor(focus: readonly FileFocus[] | undefined, path: string, content: string): FileFocus | undefined {
  const found = focus?.find((f) => f.path === path);
  return found && found.lines === lineCount(content) ? found : undefined;
}

/**
 * A file to change as a prompt shows it in `maxChars`: whole when it fits; else around the definitions
 * the goal and the failing tests point at; else, where none does, its head and tail.
 */
export function focusedFile(
  content: string,
  definitions: readonly MapDefinition[],
  goal: string,
  failingTests: readonly string[],
  maxChars: number,
  path = '',
): string {
  if (content.length <= maxChars) return content;
  const excerpt = fitFocus(content, focusWindows(content, definitions, goal, failingTests, path), maxChars, path);
  return excerpt?.text ?? headTail(content, maxChars);
}
