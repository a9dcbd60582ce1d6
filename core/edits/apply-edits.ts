// Applies parsed edits to an in-memory set of files, all or nothing.
//
// Search-replace matching is line based and tries progressively looser comparisons, stopping
// at the first that finds anything: exact; ignoring trailing whitespace; ignoring leading and
// trailing whitespace (the replacement is re-indented to the file); and finally with Unicode
// punctuation folded to ASCII. A looser pass is never used to resolve an ambiguous stricter one.

import { normalizeEditPath, type FileEdit } from './reply-syntax.js';

export type ApplyResult =
  | { ok: true; files: Record<string, string>; changed: string[] } // files = full new content for each changed path only
  | { ok: false; errors: string[]; applied: number };

/** One line and its own terminator; '' means "use the file's dominant style" (new lines). */
interface Line {
  text: string;
  eol: string;
}

interface Doc {
  lines: Line[];
  eol: '\n' | '\r\n';
  finalNewline: boolean;
}

interface Tier {
  label: string;
  key: (line: string) => string;
  reindent: boolean;
}

// Typographic characters models and editors swap for ASCII ones (and vice versa).
const PUNCTUATION: [RegExp, string][] = [
  [/[\u2018\u2019\u201A\u201B\u2032]/g, "'"],
  [/[\u201C\u201D\u201E\u201F\u2033]/g, '"'],
  [/[\u2010-\u2015\u2212]/g, '-'],
  [/[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g, ' '],
  [/\u2026/g, '...'],
  [/[\u200B\uFEFF]/g, ''],
];

function foldPunctuation(s: string): string {
  for (const [re, ascii] of PUNCTUATION) s = s.replace(re, ascii);
  return s;
}

const TIERS: Tier[] = [
  { label: 'exactly', key: (l) => l, reindent: false },
  { label: 'ignoring trailing whitespace', key: (l) => l.trimEnd(), reindent: false },
  { label: 'ignoring indentation', key: (l) => l.trim(), reindent: true },
  { label: 'ignoring indentation and Unicode punctuation', key: (l) => foldPunctuation(l).trim(), reindent: true },
];

const EXCERPT_MAX_LINES = 8;
const SIMILARITY_THRESHOLD = 0.3;

export function applyEdits(original: Record<string, string>, edits: FileEdit[]): ApplyResult {
  const docs = new Map<string, Doc>(); // working copies, created on first touch
  const failures: string[] = [];
  let applied = 0;

  edits.forEach((edit, index) => {
    const block = index + 1;
    const norm = normalizeEditPath(edit.path);
    if (!norm.ok) {
      failures.push(`block ${block}: invalid path '${edit.path}': ${norm.reason}`);
      return;
    }
    const path = norm.path;
    let doc = docs.get(path);
    if (!doc && Object.hasOwn(original, path)) {
      doc = toDoc(original[path]!);
      docs.set(path, doc);
    }

    if (edit.kind === 'whole-file') {
      const lines = textToLines(edit.content).map((text) => ({ text, eol: '' }));
      if (doc)
        doc.lines = lines; // keep the file's line-ending style and final newline
      else docs.set(path, { lines, eol: '\n', finalNewline: true });
      applied++;
      return;
    }

    if (edit.search === '') {
      if (doc) {
        failures.push(`block ${block} (${path}): empty SEARCH can only create a new file, but ${path} already exists; put the lines to change in SEARCH`);
        return;
      }
      docs.set(path, { lines: textToLines(edit.replace).map((text) => ({ text, eol: '' })), eol: '\n', finalNewline: true });
      applied++;
      return;
    }

    if (!doc) {
      failures.push(`block ${block}: file not found: ${path} (files you may edit: ${listFiles(original)})`);
      return;
    }
    const error = replaceOnce(doc, edit.search, edit.replace, `block ${block} (${path})`);
    if (error) failures.push(error);
    else applied++;
  });

  if (failures.length > 0) {
    // A failed block is never counted in `applied`, so `applied` is the number of *other* blocks.
    const note = `(${applied} other block${applied === 1 ? '' : 's'} applied cleanly; no file is changed until every block applies)`;
    const errors = failures.map((message) => `${message}\n${note}`);
    return { ok: false, errors, applied };
  }

  const changed: string[] = [];
  const entries: [string, string][] = [];
  for (const [path, doc] of docs) {
    const content = fromDoc(doc);
    if (Object.hasOwn(original, path) && original[path] === content) continue;
    changed.push(path);
    entries.push([path, content]);
  }
  if (changed.length === 0) return { ok: false, errors: ['the edits leave every file unchanged'], applied };
  // fromEntries defines own properties, so a path such as "__proto__" cannot touch the prototype.
  return { ok: true, files: Object.fromEntries(entries), changed };
}

// ---------------------------------------------------------------------------------------------

function toDoc(content: string): Doc {
  const lines: Line[] = [];
  let crlf = 0;
  let lf = 0;
  let pos = 0;
  while (pos < content.length) {
    const nl = content.indexOf('\n', pos);
    if (nl === -1) {
      lines.push({ text: content.slice(pos), eol: '' });
      break;
    }
    const cr = nl > pos && content[nl - 1] === '\r';
    if (cr) crlf++;
    else lf++;
    lines.push({ text: content.slice(pos, cr ? nl - 1 : nl), eol: cr ? '\r\n' : '\n' });
    pos = nl + 1;
  }
  // An empty file has no newline style to preserve; new content gets a final newline.
  return { lines, eol: crlf > lf ? '\r\n' : '\n', finalNewline: content === '' || content.endsWith('\n') };
}

function fromDoc(doc: Doc): string {
  const last = doc.lines.length - 1;
  return doc.lines.map((line, i) => line.text + (i < last || doc.finalNewline ? line.eol || doc.eol : '')).join('');
}

/** Edit text → lines; one trailing newline ends the last line rather than adding an empty one. */
function textToLines(text: string): string[] {
  if (text === '') return [];
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return body.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function listFiles(original: Record<string, string>): string {
  const names = Object.keys(original).sort();
  if (names.length === 0) return 'none';
  const max = 30;
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown}, … (${names.length - max} more)` : shown;
}

function leadingWhitespace(s: string): string {
  return /^\s*/.exec(s)![0];
}

/** Finds the single match of `search` and splices in `replace`; returns an error message on failure. */
function replaceOnce(doc: Doc, search: string, replace: string, where: string): string | undefined {
  const fileLines = doc.lines.map((l) => l.text);
  const searchLines = textToLines(search);
  const replaceLines = textToLines(replace);

  for (const tier of TIERS) {
    const starts = findMatches(fileLines.map(tier.key), searchLines.map(tier.key));
    if (starts.length === 0) continue;
    if (starts.length > 1) {
      const at =
        starts
          .slice(0, 5)
          .map((s) => s + 1)
          .join(', ') + (starts.length > 5 ? ', …' : '');
      return `${where}: SEARCH text matches ${starts.length} places (lines ${at}, comparing ${tier.label}); add more surrounding lines so it matches exactly one`;
    }
    const start = starts[0]!;
    const newText = tier.reindent ? reindent(replaceLines, searchLines, fileLines.slice(start, start + searchLines.length)) : replaceLines;
    doc.lines.splice(start, searchLines.length, ...newText.map((text) => ({ text, eol: '' })));
    return undefined;
  }

  const first = searchLines.find((l) => l.trim() !== '') ?? searchLines[0] ?? '';
  const quoted = first.length > 120 ? first.slice(0, 120) + '…' : first;
  let message = `${where}: SEARCH text not found (also tried ignoring whitespace and Unicode punctuation); its first line is: ${JSON.stringify(quoted)}`;
  const hint = closestExcerpt(fileLines, searchLines);
  message += hint
    ? `\ndid you mean lines ${hint.from}-${hint.to}?\n${hint.text}\nSEARCH must copy the file's current lines exactly.`
    : '\nno similar lines were found in the file; check that you are editing the right file.';
  return message;
}

function findMatches(fileKeys: string[], searchKeys: string[]): number[] {
  const starts: number[] = [];
  const n = searchKeys.length;
  for (let s = 0; s + n <= fileKeys.length; s++) {
    let k = 0;
    while (k < n && fileKeys[s + k] === searchKeys[k]) k++;
    if (k === n) starts.push(s);
  }
  return starts;
}

/**
 * Shifts the replacement by the indentation difference between the file and the SEARCH text,
 * measured on the first non-blank line, so a block written at the wrong depth lands at the
 * file's depth (as Aider does).
 */
function reindent(replaceLines: string[], searchLines: string[], matched: string[]): string[] {
  const k = searchLines.findIndex((l) => l.trim() !== '');
  if (k < 0) return replaceLines;
  const fileIndent = leadingWhitespace(matched[k]!);
  const searchIndent = leadingWhitespace(searchLines[k]!);
  if (fileIndent === searchIndent) return replaceLines;
  return replaceLines.map((line) => {
    if (line.trim() === '') return '';
    if (fileIndent.startsWith(searchIndent)) return fileIndent.slice(searchIndent.length) + line;
    if (searchIndent.startsWith(fileIndent)) {
      // Remove up to the surplus depth, but never non-whitespace.
      const surplus = searchIndent.length - fileIndent.length;
      const own = leadingWhitespace(line).length;
      return line.slice(Math.min(surplus, own));
    }
    // Different kinds of whitespace (tabs vs spaces): swap the prefix where it is present.
    return line.startsWith(searchIndent) ? fileIndent + line.slice(searchIndent.length) : line;
  });
}

// --- "did you mean": the window of file lines most similar to the SEARCH lines ---------------

function bigrams(s: string): Map<string, number> {
  const grams = new Map<string, number>();
  for (let i = 0; i + 1 < s.length; i++) {
    const g = s.slice(i, i + 2);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  return grams;
}

/** Dice coefficient on character bigrams of the trimmed lines: cheap and order-tolerant. */
function lineSimilarity(a: string, b: string, ga: Map<string, number>, gb: Map<string, number>): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  let overlap = 0;
  for (const [g, n] of ga) overlap += Math.min(n, gb.get(g) ?? 0);
  return (2 * overlap) / (a.length - 1 + b.length - 1);
}

function closestExcerpt(fileLines: string[], searchLines: string[]): { from: number; to: number; text: string } | undefined {
  if (fileLines.length === 0 || searchLines.length === 0) return undefined;
  const fileTrim = fileLines.map((l) => foldPunctuation(l).trim());
  const searchTrim = searchLines.map((l) => foldPunctuation(l).trim());
  const fileGrams = fileTrim.map(bigrams);
  const searchGrams = searchTrim.map(bigrams);
  const width = Math.min(searchLines.length, fileLines.length);

  let best = -1;
  let bestScore = 0;
  for (let s = 0; s + width <= fileLines.length; s++) {
    let score = 0;
    for (let k = 0; k < width; k++) {
      score += lineSimilarity(fileTrim[s + k]!, searchTrim[k]!, fileGrams[s + k]!, searchGrams[k]!);
    }
    score /= searchLines.length;
    if (score > bestScore) {
      bestScore = score;
      best = s;
    }
  }
  if (best < 0 || bestScore < SIMILARITY_THRESHOLD) return undefined;
  const shown = Math.min(width, EXCERPT_MAX_LINES);
  return { from: best + 1, to: best + shown, text: fileLines.slice(best, best + shown).join('\n') };
}
