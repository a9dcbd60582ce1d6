// What every edit format's reply is made of: file paths (on a line of their
// own, after a label, in backticks, or in a fence's info string), Markdown
// fences, and SEARCH/REPLACE markers. Each format (formats/) parses its
// blocks with these pieces.
//
// Edit text is stored with every line ending in '\n' (so '' means "no lines" and '\n' means
// "one empty line"); CRLF in the reply is accepted and normalised away.

export type FileEdit = { kind: 'search-replace'; path: string; search: string; replace: string } | { kind: 'whole-file'; path: string; content: string };

export type ParseResult = { ok: true; edits: FileEdit[] } | { ok: false; error: string };

// Models miscount marker characters, so 5-9 of them are accepted.
export const SEARCH_RE = /^<{5,9}\s*SEARCH\s*$/i;
export const DIVIDER_RE = /^={5,9}\s*$/;
export const REPLACE_RE = /^>{5,9}\s*REPLACE\s*$/i;
// A Markdown fence: 3+ backticks or tildes, then an optional info string (no backticks, per CommonMark).
export const FENCE_RE = /^(`{3,}|~{3,})\s*([^`]*?)\s*$/;

// Extensionless file names that are still clearly paths when written alone on a line.
export const BARE_FILE_NAMES = new Set([
  'Makefile',
  'GNUmakefile',
  'Dockerfile',
  'Containerfile',
  'Jenkinsfile',
  'Vagrantfile',
  'Gemfile',
  'Rakefile',
  'Procfile',
  'Justfile',
  'LICENSE',
  'CODEOWNERS',
]);

// How many non-blank lines above a block are searched for its path line; prose between the
// path and the block is tolerated, but not an arbitrarily distant path.
export const PATH_LOOKBACK = 3;

/** Validates and normalises a path from a reply: `./a//b` → `a/b`. Shared with apply-edits. */
export function normalizeEditPath(raw: string): { ok: true; path: string } | { ok: false; reason: string } {
  if (raw.includes('\0')) return { ok: false, reason: 'contains a NUL character' };
  if (raw.includes('\\')) return { ok: false, reason: 'contains a backslash; use forward slashes' };
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw) || raw.startsWith('~')) {
    return { ok: false, reason: 'is absolute; use a path relative to the repository root' };
  }
  if (raw.endsWith('/')) return { ok: false, reason: 'names a directory, not a file' };
  const segments: string[] = [];
  for (const seg of raw.split('/')) {
    if (seg === '..') return { ok: false, reason: "contains a '..' segment; paths must stay inside the repository" };
    if (seg === '' || seg === '.') continue;
    segments.push(seg);
  }
  if (segments.length === 0) return { ok: false, reason: 'is empty' };
  return { ok: true, path: segments.join('/') };
}

const LANGUAGES: Record<string, string> = { ts: 'ts', tsx: 'tsx', js: 'js', mjs: 'js', py: 'python', go: 'go', rs: 'rust', java: 'java', c: 'c', cpp: 'cpp' };

/** The fence's info string for a file, from its extension ('' when unknown). */
export function languageOf(path: string): string {
  return LANGUAGES[path.split('.').pop() ?? ''] ?? '';
}

// ---------------------------------------------------------------------------------------------

export function fail(error: string): ParseResult {
  return { ok: false, error };
}

export function linesToText(lines: string[]): string {
  return lines.map((l) => l + '\n').join('');
}

export function isMarker(line: string): boolean {
  return SEARCH_RE.test(line) || DIVIDER_RE.test(line) || REPLACE_RE.test(line);
}

/** True when a lone token plausibly names a file (rules out prose such as "Changes:" or "etc."). */
export function looksLikePath(s: string): boolean {
  if (!s || /\s/.test(s) || /[.,;:!?)]$/.test(s) || /^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return false;
  return s.includes('/') || s.includes('.') || s.includes('\\') || BARE_FILE_NAMES.has(s);
}

/** The path written on a path line, before validation, or undefined when the line is not one. */
export function pathFromLine(raw: string): string | undefined {
  let s = raw.trim();
  if (!s || isMarker(s) || FENCE_RE.test(s)) return undefined;
  s = s.replace(/^#{1,6}\s+/, ''); // "### src/a.ts"
  let labelled = false;
  const label = /^(?:\*\*)?(?:file(?:name)?|path)\s*:\s*(?:\*\*)?\s*/i.exec(s); // "File: src/a.ts", "**File:** …"
  if (label) {
    s = s.slice(label[0].length);
    labelled = true;
  }
  if (s.length > 4 && s.startsWith('**') && s.endsWith('**')) s = s.slice(2, -2); // "**src/a.ts**"
  if (s.endsWith(':')) s = s.slice(0, -1); // "src/a.ts:"
  const ticked = /^`([^`]+)`$/.exec(s);
  if (ticked) {
    s = ticked[1]!;
    labelled = true;
  }
  if (!s || /\s/.test(s)) return undefined;
  // An explicit label or backticks mark even an extensionless token (`LICENSE`) as a path.
  return labelled || looksLikePath(s) ? s : undefined;
}

/** A path in a fence info string: "```ts src/a.ts", "```src/a.ts", "```ts path=src/a.ts". */
export function pathFromFenceInfo(info: string): string | undefined {
  const tokens = info.split(/\s+/).filter(Boolean);
  if (tokens.length === 0 || tokens.length > 2) return undefined;
  const t = tokens[tokens.length - 1]!.replace(/^(?:file(?:name)?|path|title)=/i, '').replace(/^["']|["']$/g, '');
  // A lone token needs a '/' or '.', so language tags such as "Dockerfile" or "python" are not paths.
  if (tokens.length === 1 && !t.includes('/') && !t.includes('.')) return undefined;
  return looksLikePath(t) ? t : undefined;
}

export interface Fence {
  char: string;
  len: number;
  info: string;
}

export function parseFence(line: string): Fence | undefined {
  const m = FENCE_RE.exec(line.trimEnd());
  if (!m) return undefined;
  const marker = m[1]!;
  return { char: marker[0]!, len: marker.length, info: m[2] ?? '' };
}

/**
 * Looks upward from `idx` (exclusive) to `floor` (inclusive) for a path line, skipping blank and
 * fence lines and giving up after PATH_LOOKBACK other lines. Returns the raw path and its index.
 */
export function findPathLine(lines: string[], idx: number, floor: number): { raw: string; index: number } | undefined {
  let inspected = 0;
  for (let j = idx - 1; j >= floor && inspected < PATH_LOOKBACK; j--) {
    const line = lines[j]!;
    if (!line.trim() || parseFence(line)) continue;
    const raw = pathFromLine(line);
    if (raw !== undefined) return { raw, index: j };
    inspected++;
  }
  return undefined;
}

/** The fence directly above `idx` (ignoring blank lines), if any, with a path in its info string. */
export function fencePathAbove(lines: string[], idx: number, floor: number): { raw: string; index: number } | undefined {
  for (let j = idx - 1; j >= floor; j--) {
    const line = lines[j]!;
    if (!line.trim()) continue;
    const fence = parseFence(line);
    const raw = fence ? pathFromFenceInfo(fence.info) : undefined;
    return raw === undefined ? undefined : { raw, index: j };
  }
  return undefined;
}

/** A file as a whole-file block: its path, then its content in a fence. */
export function fencedFile(path: string, content: string): string {
  return `${path}\n\`\`\`\n${content}${content.endsWith('\n') ? '' : '\n'}\`\`\``;
}
