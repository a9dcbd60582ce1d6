// Tests that live inside source files the model may change: Rust's
// `#[cfg(test)]` modules and `#[test]` functions, vitest's in-source
// `if (import.meta.vitest) { … }` blocks. The protected globs cannot cover them (the file is the candidate's to change),
// yet they are the base's tests like any other: a candidate that "fixes" an
// assert instead of the code would pass them. So each test region of the
// base's file must still be in the candidate's, verbatim. The regions are
// read from the base only (which the candidate did not write), so no text a
// candidate writes can shape them. Pure.
//
// This catches edited, removed and rewritten inline tests. A candidate that
// keeps a region's text but stops it from running (wrapping it in a macro
// that drops it, commenting it out around it) runs fewer tests: the count
// check and, where there is a report, the identity check see that.
// Python's doctests are left out: they run only where the test command asks
// (--doctest-modules), and a docstring's examples are documentation elsewhere
// (an eval task's prompt, say), which a candidate may well rewrite.

export interface TestRegion {
  /** What the region is, for the message (e.g. "#[cfg(test)] mod tests"). */
  label: string;
  /** 1-based line where it starts in the base. */
  line: number;
  text: string;
}

/** The index just past the brace that closes the one at `open`, skipping strings, chars and comments; -1 if unbalanced. */
function closingBrace(src: string, open: number, lang: 'rust' | 'js'): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      const end = src.indexOf('\n', i);
      if (end < 0) return -1;
      i = end;
    } else if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) return -1;
      i = end + 1;
    } else if (c === '"' || (lang === 'js' && (c === "'" || c === '`'))) {
      if (lang === 'rust' && src[i - 1] === 'r') {
        // r"…" (raw strings with hashes are r#"…"#, handled below)
        const end = src.indexOf('"', i + 1);
        if (end < 0) return -1;
        i = end;
        continue;
      }
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) return -1;
      i = j;
    } else if (lang === 'rust' && c === 'r' && next === '#' && /^r#+"/.test(src.slice(i, i + 10))) {
      const hashes = /^r(#+)"/.exec(src.slice(i))![1]!;
      const end = src.indexOf(`"${hashes}`, i + hashes.length + 2);
      if (end < 0) return -1;
      i = end + hashes.length;
    } else if (lang === 'rust' && c === "'") {
      // A char literal ('x', '\n', '\u{1F600}'); otherwise a lifetime, which has no closing quote.
      const lit = /^'(?:\\(?:u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'/.exec(src.slice(i, i + 14));
      if (lit) i += lit[0].length - 1;
    } else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

const lineOf = (src: string, index: number) => src.slice(0, index).split('\n').length;

/** From the start of the line at `start` through the item's closing brace. */
function blockFrom(src: string, start: number, lang: 'rust' | 'js', label: string): TestRegion | undefined {
  const lineStart = src.lastIndexOf('\n', start) + 1;
  const open = src.indexOf('{', start);
  if (open < 0) return undefined;
  // `#[cfg(test)] use …;` or `mod tests;` (tests in another file, protected by its own path): no block of its own.
  const semi = src.indexOf(';', start);
  if (lang === 'rust' && semi >= 0 && semi < open) return undefined;
  const end = closingBrace(src, open, lang);
  if (end < 0) return undefined;
  return { label, line: lineOf(src, start), text: src.slice(lineStart, end) };
}

function rustRegions(src: string): TestRegion[] {
  const regions: TestRegion[] = [];
  let coveredTo = 0;
  for (const m of src.matchAll(/#\[\s*(cfg\s*\(\s*test\s*\)|test)\s*\]/g)) {
    if (m.index < coveredTo) continue; // a #[test] inside a #[cfg(test)] module already taken whole
    const lineStart = src.lastIndexOf('\n', m.index) + 1;
    if (src.slice(lineStart, m.index).includes('//')) continue; // in a comment (a doc example, say)
    const after = src.slice(m.index + m[0].length, m.index + m[0].length + 200);
    const item = /^\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(mod|fn)\s+(\w+)/.exec(after);
    const label = `${m[0].replace(/\s+/g, '')}${item ? ` ${item[1]} ${item[2]}` : ''}`;
    const region = blockFrom(src, m.index, 'rust', label);
    if (!region) continue;
    regions.push(region);
    coveredTo = lineStart + region.text.length;
  }
  return regions;
}

function vitestRegions(src: string): TestRegion[] {
  const regions: TestRegion[] = [];
  for (const m of src.matchAll(/\bif\s*\(\s*import\.meta\.vitest\s*\)/g)) {
    const region = blockFrom(src, m.index, 'js', 'if (import.meta.vitest) { … }');
    if (region) regions.push(region);
  }
  return regions;
}

/** The test regions of a source file, by its extension. */
export function inlineTestRegions(path: string, src: string): TestRegion[] {
  if (/\.rs$/.test(path)) return rustRegions(src);
  if (/\.(?:[cm]?[jt]sx?)$/.test(path)) return vitestRegions(src);
  return [];
}

/** One message per changed file whose base holds a test region the candidate's version no longer has verbatim. */
export function changedInlineTests(changed: Array<{ path: string; before?: string; after: string }>): string[] {
  const out: string[] = [];
  for (const f of changed) {
    if (f.before === undefined) continue;
    let rest = f.after;
    const gone: TestRegion[] = [];
    for (const region of inlineTestRegions(f.path, f.before)) {
      // Each region once: two identical regions in the base must both still be there.
      const at = rest.indexOf(region.text);
      if (at < 0) gone.push(region);
      else rest = rest.slice(0, at) + rest.slice(at + region.text.length);
    }
    if (gone.length) {
      const which = gone.map((r) => `${r.label} at line ${r.line}`);
      out.push(
        `${f.path}: changes the tests inside it (${which.slice(0, 3).join('; ')}${which.length > 3 ? `; and ${which.length - 3} more` : ''}); tests in a source file are the base's like any other, change the code instead`,
      );
    }
  }
  return out;
}
