// Parses a model reply into file edits. Two formats are supported:
//
// search-replace (Aider style):
//     src/a.ts                  <- path line (may be `src/a.ts`, File: src/a.ts, ### src/a.ts)
//     ```ts                     <- optional fence; its info string may carry the path (```ts src/a.ts)
//     <<<<<<< SEARCH
//     old lines
//     =======
//     new lines
//     >>>>>>> REPLACE
//     ```                       <- optional closing fence
//
// whole-file:
//     src/a.ts                  <- path line, or the path in the fence info string
//     ```ts
//     complete new content
//     ```
//
// Edit text is stored with every line ending in '\n' (so '' means "no lines" and '\n' means
// "one empty line"); CRLF in the reply is accepted and normalised away.

export type FileEdit = { kind: 'search-replace'; path: string; search: string; replace: string } | { kind: 'whole-file'; path: string; content: string };

/** Every edit format a model may be asked for: the CLI's choices and the config's schema read this list. */
export const EDIT_FORMATS = ['search-replace', 'whole-file'] as const;
export type EditFormat = (typeof EDIT_FORMATS)[number];

export type ParseResult = { ok: true; edits: FileEdit[] } | { ok: false; error: string };

// Models miscount marker characters, so 5-9 of them are accepted.
const SEARCH_RE = /^<{5,9}\s*SEARCH\s*$/i;
const DIVIDER_RE = /^={5,9}\s*$/;
const REPLACE_RE = /^>{5,9}\s*REPLACE\s*$/i;
// A Markdown fence: 3+ backticks or tildes, then an optional info string (no backticks, per CommonMark).
const FENCE_RE = /^(`{3,}|~{3,})\s*([^`]*?)\s*$/;

// Extensionless file names that are still clearly paths when written alone on a line.
const BARE_FILE_NAMES = new Set([
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
const PATH_LOOKBACK = 3;

const SR_EXAMPLE = "path/to/file.ext, then '<<<<<<< SEARCH', the exact current lines, '=======', the new lines, '>>>>>>> REPLACE'";
const WF_EXAMPLE = 'path/to/file.ext on its own line, then ```lang, the complete file content, then ```';

export function parseEdits(reply: string, format: EditFormat): ParseResult {
  const lines = reply.split(/\r?\n/);
  return format === 'search-replace' ? parseSearchReplace(lines) : parseWholeFile(lines);
}

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

export function describeFormat(format: EditFormat): string {
  if (format === 'search-replace') {
    return [
      'Write every change as a SEARCH/REPLACE block:',
      '',
      'path/to/file.ext',
      '<<<<<<< SEARCH',
      'the exact lines currently in the file',
      '=======',
      'the lines that replace them',
      '>>>>>>> REPLACE',
      '',
      'Rules:',
      '- Put the file path alone on the line directly above each block: relative to the repository root, forward slashes, no leading "/" and no "..".',
      '- SEARCH must copy the current lines exactly, including indentation and comments; do not number lines or skip lines with "...".',
      '- SEARCH must match exactly one place in the file: include a few unchanged lines around the change to make it unique, but keep blocks small.',
      '- For several changes, write several blocks, in any files. Blocks for one file apply in order, so a later block must match the file as earlier blocks left it.',
      '- To delete lines, leave REPLACE empty. To create a new file, leave SEARCH empty and put the whole file in REPLACE.',
      '- Text outside the blocks is ignored.',
      '',
      'Example:',
      '',
      'src/greet.ts',
      '<<<<<<< SEARCH',
      'export function greet(name: string): string {',
      "  return 'Hello ' + name;",
      '}',
      '=======',
      'export function greet(name: string): string {',
      '  return `Hello, ${name}!`;',
      '}',
      '>>>>>>> REPLACE',
    ].join('\n');
  }
  return [
    'Write every file you change in full, as a fenced code block preceded by its path:',
    '',
    'path/to/file.ext',
    '```lang',
    'the complete new content of the file',
    '```',
    '',
    'Rules:',
    '- Put the file path alone on the line directly above the opening fence: relative to the repository root, forward slashes, no leading "/" and no "..".',
    '- Give the whole file, not only the changed part: every line you leave out is deleted. Never write placeholders such as "// ... rest unchanged".',
    '- One block per file; files you do not change need no block. A new file is written the same way.',
    '- If the file itself contains lines starting with ```, open and close the block with a longer fence, such as ````.',
    '- Text outside the blocks is ignored, but every code block must be a file.',
    '',
    'Example:',
    '',
    'src/greet.ts',
    '```ts',
    'export function greet(name: string): string {',
    '  return `Hello, ${name}!`;',
    '}',
    '```',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

function fail(error: string): ParseResult {
  return { ok: false, error };
}

function linesToText(lines: string[]): string {
  return lines.map((l) => l + '\n').join('');
}

function isMarker(line: string): boolean {
  return SEARCH_RE.test(line) || DIVIDER_RE.test(line) || REPLACE_RE.test(line);
}

/** True when a lone token plausibly names a file (rules out prose such as "Changes:" or "etc."). */
function looksLikePath(s: string): boolean {
  if (!s || /\s/.test(s) || /[.,;:!?)]$/.test(s) || /^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return false;
  return s.includes('/') || s.includes('.') || s.includes('\\') || BARE_FILE_NAMES.has(s);
}

/** The path written on a path line, before validation, or undefined when the line is not one. */
function pathFromLine(raw: string): string | undefined {
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
function pathFromFenceInfo(info: string): string | undefined {
  const tokens = info.split(/\s+/).filter(Boolean);
  if (tokens.length === 0 || tokens.length > 2) return undefined;
  const t = tokens[tokens.length - 1]!.replace(/^(?:file(?:name)?|path|title)=/i, '').replace(/^["']|["']$/g, '');
  // A lone token needs a '/' or '.', so language tags such as "Dockerfile" or "python" are not paths.
  if (tokens.length === 1 && !t.includes('/') && !t.includes('.')) return undefined;
  return looksLikePath(t) ? t : undefined;
}

interface Fence {
  char: string;
  len: number;
  info: string;
}

function parseFence(line: string): Fence | undefined {
  const m = FENCE_RE.exec(line.trimEnd());
  if (!m) return undefined;
  const marker = m[1]!;
  return { char: marker[0]!, len: marker.length, info: m[2] ?? '' };
}

/**
 * Looks upward from `idx` (exclusive) to `floor` (inclusive) for a path line, skipping blank and
 * fence lines and giving up after PATH_LOOKBACK other lines. Returns the raw path and its index.
 */
function findPathLine(lines: string[], idx: number, floor: number): { raw: string; index: number } | undefined {
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
function fencePathAbove(lines: string[], idx: number, floor: number): { raw: string; index: number } | undefined {
  for (let j = idx - 1; j >= floor; j--) {
    const line = lines[j]!;
    if (!line.trim()) continue;
    const fence = parseFence(line);
    const raw = fence ? pathFromFenceInfo(fence.info) : undefined;
    return raw === undefined ? undefined : { raw, index: j };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------

function parseSearchReplace(lines: string[]): ParseResult {
  const edits: FileEdit[] = [];
  let lastPath: string | undefined;
  let floor = 0; // path lookback never reaches into the previous block
  let block = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (REPLACE_RE.test(line)) {
      return fail(`block ${block + 1} (line ${i + 1}): '>>>>>>> REPLACE' without a '<<<<<<< SEARCH' and '=======' before it`);
    }
    if (!SEARCH_RE.test(line)) {
      i++;
      continue;
    }
    block++;
    const start = i;
    const where = `block ${block} (line ${start + 1})`;

    // Path rule: the fence info string directly above the block wins, then a path line within
    // PATH_LOOKBACK lines above it (not crossing the previous block). Only when neither exists
    // may the block reuse the path of the previous block; the first block must name a path.
    let path: string;
    const named = fencePathAbove(lines, start, floor) ?? findPathLine(lines, start, floor);
    if (named) {
      const norm = normalizeEditPath(named.raw);
      if (!norm.ok) return fail(`block ${block} (line ${named.index + 1}): invalid path '${named.raw}': ${norm.reason}`);
      path = norm.path;
    } else if (lastPath !== undefined) {
      path = lastPath;
    } else {
      return fail(`${where}: no file path before '<<<<<<< SEARCH'; put the path alone on the line above the block`);
    }

    let divider = start + 1;
    for (; divider < lines.length && !DIVIDER_RE.test(lines[divider]!); divider++) {
      const l = lines[divider]!;
      if (SEARCH_RE.test(l) || REPLACE_RE.test(l)) {
        const what = SEARCH_RE.test(l) ? '<<<<<<< SEARCH' : '>>>>>>> REPLACE';
        return fail(`${where}: missing '=======' divider (found '${what}' at line ${divider + 1} first)`);
      }
    }
    if (divider >= lines.length) return fail(`${where}: missing '=======' divider (reached the end of the reply)`);

    let end = divider + 1;
    for (; end < lines.length && !REPLACE_RE.test(lines[end]!); end++) {
      const l = lines[end]!;
      if (DIVIDER_RE.test(l)) {
        return fail(`block ${block} (line ${end + 1}): a second '=======' divider; each block has exactly one, then '>>>>>>> REPLACE'`);
      }
      if (SEARCH_RE.test(l)) {
        return fail(`${where}: missing '>>>>>>> REPLACE' marker (found the next '<<<<<<< SEARCH' at line ${end + 1} first)`);
      }
    }
    if (end >= lines.length) return fail(`${where}: missing '>>>>>>> REPLACE' marker (reached the end of the reply)`);

    edits.push({
      kind: 'search-replace',
      path,
      search: linesToText(lines.slice(start + 1, divider)),
      replace: linesToText(lines.slice(divider + 1, end)),
    });
    lastPath = path;
    floor = end + 1;
    i = end + 1;
  }
  if (edits.length === 0) return fail(`no SEARCH/REPLACE edit blocks were found; write each edit as: ${SR_EXAMPLE}`);
  return { ok: true, edits };
}

// ---------------------------------------------------------------------------------------------

function parseWholeFile(lines: string[]): ParseResult {
  const edits: FileEdit[] = [];
  const seen = new Map<string, number>();
  let floor = 0;
  let block = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (SEARCH_RE.test(line)) {
      return fail(`line ${i + 1}: found '<<<<<<< SEARCH', but this reply must give whole files; write each file in full as: ${WF_EXAMPLE}`);
    }
    const fence = parseFence(line);
    if (!fence) continue;
    block++;
    const where = `block ${block} (line ${i + 1})`;

    // The path in the fence info string wins over a path line above the fence.
    const infoPath = pathFromFenceInfo(fence.info);
    const named = infoPath !== undefined ? { raw: infoPath, index: i } : findPathLine(lines, i, floor);
    if (!named) return fail(`${where}: code block has no file path; put the path alone on the line above the opening fence`);
    const norm = normalizeEditPath(named.raw);
    if (!norm.ok) return fail(`block ${block} (line ${named.index + 1}): invalid path '${named.raw}': ${norm.reason}`);
    const path = norm.path;
    const earlier = seen.get(path);
    if (earlier !== undefined) return fail(`${where}: '${path}' was already given in block ${earlier}; give each file once`);

    // Closing fence: same character, at least as long, no info string. Fences with an info
    // string inside the content (a Markdown file's own code blocks) open a nested level that
    // their bare closing fence ends, so they do not close the file early.
    const nested: number[] = [];
    let close = i + 1;
    for (; close < lines.length; close++) {
      const l = lines[close]!;
      if (SEARCH_RE.test(l)) {
        return fail(
          `block ${block} (line ${close + 1}): content of '${path}' contains a '<<<<<<< SEARCH' marker; write the complete file instead of SEARCH/REPLACE blocks`,
        );
      }
      const inner = parseFence(l);
      if (!inner || inner.char !== fence.char) continue;
      if (inner.info) {
        nested.push(inner.len);
      } else if (nested.length > 0 && inner.len >= nested[nested.length - 1]!) {
        nested.pop();
      } else if (inner.len >= fence.len) {
        break;
      }
    }
    if (close >= lines.length) {
      return fail(`${where}: code block for '${path}' is never closed; end it with a line holding only ${fence.char.repeat(fence.len)}`);
    }
    edits.push({ kind: 'whole-file', path, content: linesToText(lines.slice(i + 1, close)) });
    seen.set(path, block);
    floor = close + 1;
    i = close;
  }
  if (edits.length === 0) return fail(`no file blocks were found; write each changed file as: ${WF_EXAMPLE}`);
  return { ok: true, edits };
}
