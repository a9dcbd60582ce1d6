// What a red base's test output says failed, for the context of a fix: the
// lines that name a failing test (its name, file:line, the assertion), and
// the repository's test files it names. Read from the failure excerpt the
// base's feedback already holds (core/feedback/failure-excerpt.ts). Pure.

const FAILURE_LINE =
  /\bFAILED\b|^\s*FAIL\b|--- FAIL:|^\s*[●×✗✕]\s|^-{4} .+ stdout -{4}|\bpanicked at\b|\b(?:Assertion|Type|Value|Key|Attribute|Index)Error\b|\b[Aa]ssert(?:ion)?\b|\.(?:py|go|rs|[cm]?[jt]sx?):\d+/;

/** The lines that say what failed, in order, each at most `width` characters, at most `max` of them. */
export function failureLines(excerpt: string, max = 12, width = 200): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of excerpt.split('\n')) {
    const line = raw.trim();
    if (!line || !FAILURE_LINE.test(line) || seen.has(line)) continue;
    seen.add(line);
    out.push(line.length > width ? `${line.slice(0, width - 1)}…` : line);
    if (out.length >= max) break;
  }
  return out;
}

/** Where `path` is first named in `text` as a whole path (after a separator, never inside a longer name), or -1. */
function firstMention(text: string, path: string): number {
  let at = text.indexOf(path);
  while (at >= 0) {
    const before = at === 0 ? ' ' : text[at - 1]!;
    const after = text[at + path.length] ?? ' ';
    if (/[\s/"'(:\\[]/.test(before) && !/[\w.-]/.test(after === '.' ? (text[at + path.length + 1] ?? ' ') : after)) return at;
    at = text.indexOf(path, at + 1);
  }
  return -1;
}

/** The tracked files the output names (whole, or by a path ending that is unique among them), in the order it names them. */
export function filesNamedIn(text: string, tracked: readonly string[]): string[] {
  const hits: Array<{ path: string; at: number }> = [];
  for (const path of tracked) {
    const at = firstMention(text, path);
    if (at >= 0) hits.push({ path, at });
  }
  // Runners often print only a file's name (foo_test.go:12): it counts when one tracked file ends with it.
  const named = new Set(hits.map((h) => h.path));
  const byName = new Map<string, string[]>();
  for (const path of tracked) {
    const name = path.split('/').at(-1)!;
    byName.set(name, [...(byName.get(name) ?? []), path]);
  }
  for (const m of text.matchAll(/(?<![\w./\\-])([\w.-]+\.(?:py|go|rs|[cm]?[jt]sx?))(?=:\d|::|\s|$)/gm)) {
    const only = byName.get(m[1]!);
    if (only?.length === 1 && !named.has(only[0]!)) {
      named.add(only[0]!);
      hits.push({ path: only[0]!, at: m.index });
    }
  }
  return hits.sort((a, b) => a.at - b.at).map((h) => h.path);
}

/** The line numbers the output names in `path` (path:LINE, whole or after a folder), in order, once each. */
export function failingLineNumbers(text: string, path: string): number[] {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const lines = new Set<number>();
  for (const m of text.matchAll(new RegExp(`(?:^|[\\s/"'(])${escaped}:(\\d+)`, 'gm'))) lines.add(Number(m[1]));
  return [...lines].filter((n) => n > 0);
}

/**
 * The parts of a test file around the lines a failure names (`before` lines above each, for the test's start,
 * `after` below), merged where they meet, each headed by its line range: what fits of a failing test too long to show whole.
 */
export function linesAround(content: string, lines: readonly number[], before = 30, after = 8): string {
  const all = content.split('\n');
  const spans = [...lines]
    .sort((a, b) => a - b)
    .map((n) => [Math.max(1, n - before), Math.min(all.length, n + after)] as [number, number])
    .filter(([from, to]) => from <= to);
  const merged: Array<[number, number]> = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span[0] <= last[1] + 1) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  return merged.map(([from, to]) => `# … lines ${from}-${to} …\n${all.slice(from - 1, to).join('\n')}`).join('\n');
}
