import { describe, it, expect } from 'vitest';
import { unifiedDiff } from '../../../core/edits/diff.js';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

describe('unifiedDiff', () => {
  it('writes a git-style diff of a changed file with a/ and b/ prefixes', () => {
    const before = 'export function add(a, b) {\n  return a - b;\n}\n';
    const after = 'export function add(a, b) {\n  return a + b;\n}\n';
    const d = unifiedDiff('src/math.js', before, after);
    expect(d).toContain('--- a/src/math.js\n+++ b/src/math.js\n');
    expect(d).toContain('@@ -1,3 +1,3 @@\n export function add(a, b) {\n-  return a - b;\n+  return a + b;\n }\n');
  });

  it('diffs a new file against /dev/null', () => {
    const d = unifiedDiff('src/quote.ts', undefined, "export const Q = '\"';\nexport const SEP = ',';\n");
    expect(d).toContain('--- /dev/null\n+++ b/src/quote.ts\n');
    expect(d).toContain("@@ -0,0 +1,2 @@\n+export const Q = '\"';\n+export const SEP = ',';\n");
    expect(d).not.toContain('a/src/quote.ts');
  });

  it('treats an empty existing file as existing, not new', () => {
    const d = unifiedDiff('src/empty.ts', '', 'x\n');
    expect(d).toContain('--- a/src/empty.ts\n');
    expect(d).not.toContain('/dev/null');
  });

  it('shows three lines of context around a change', () => {
    const before = lines(20);
    const after = before.replace('line 10\n', 'line ten\n');
    const d = unifiedDiff('notes.txt', before, after);
    expect(d).toContain('@@ -7,7 +7,7 @@\n line 7\n line 8\n line 9\n-line 10\n+line ten\n line 11\n line 12\n line 13\n');
    expect(d).not.toContain('line 6\n');
    expect(d).not.toContain('line 14\n');
  });

  it('writes separate hunks for distant changes', () => {
    const before = lines(40);
    const after = before.replace('line 5\n', 'line five\n').replace('line 35\n', 'line thirty-five\n');
    const d = unifiedDiff('notes.txt', before, after);
    expect(d.match(/^@@ /gm)).toHaveLength(2);
  });

  it('marks a missing final newline', () => {
    const d = unifiedDiff('a.txt', 'old', 'new');
    expect(d).toContain('-old\n\\ No newline at end of file\n+new\n\\ No newline at end of file\n');
  });

  it('has no hunk for identical content', () => {
    const d = unifiedDiff('same.ts', 'a\nb\n', 'a\nb\n');
    expect(d).not.toContain('@@');
    expect(d).not.toMatch(/^[+-][^+-]/m);
  });
});
