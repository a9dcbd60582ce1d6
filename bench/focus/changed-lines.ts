// The parent-side lines a fix touches, read from its zero-context diff: each line it removes or
// changes, and for a pure insertion the line it follows (line 1 for an insertion at the top). The
// lines a prompt must show for a SEARCH block to quote the place of the fix.

/** The parent's 1-based line numbers the hunks of `git diff -U0` touch, sorted, once each. */
export function changedParentLines(diff: string): number[] {
  const lines = new Set<number>();
  for (const m of diff.matchAll(/^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/gm)) {
    const start = Number(m[1]);
    const count = m[2] === undefined ? 1 : Number(m[2]);
    if (count === 0) lines.add(Math.max(1, start));
    for (let n = start; n < start + count; n++) lines.add(n);
  }
  return [...lines].sort((a, b) => a - b);
}

/** The 1-based lines of `content` that `headTail(content, maxChars)` keeps whole: those inside its head or its tail. */
export function headTailLines(content: string, maxChars: number): Set<number> {
  const shown = new Set<number>();
  const lines = content.split('\n');
  if (content.length <= maxChars) {
    lines.forEach((_, i) => shown.add(i + 1));
    return shown;
  }
  // As core/views/excerpt.ts cuts: `half` characters from each end.
  const half = Math.max(0, Math.floor((maxChars - 40) / 2));
  let start = 0;
  lines.forEach((line, i) => {
    const end = start + line.length;
    if (end <= half || start >= content.length - half) shown.add(i + 1);
    start = end + 1;
  });
  return shown;
}
