import { describe, expect, it } from 'vitest';
import { changedParentLines, headTailLines } from '../../../bench/focus/changed-lines.js';
import { headTail } from '../../../core/views/excerpt.js';

describe("the focus bench's changed lines", () => {
  it('counts removed and changed lines, and the line a pure insertion follows', () => {
    const diff = ['diff --git a/x.py b/x.py', '@@ -12,3 +12,4 @@ def f():', '-a', '@@ -40 +41 @@', '@@ -50,0 +52,2 @@', '@@ -0,0 +1 @@'].join('\n');
    expect(changedParentLines(diff)).toEqual([1, 12, 13, 14, 40, 50]);
    expect(changedParentLines('')).toEqual([]);
  });

  it("headTail's lines are those it keeps whole", () => {
    const content = Array.from({ length: 100 }, (_, i) => `line ${i + 1} ${'x'.repeat(20)}`).join('\n');
    const shown = headTailLines(content, 600);
    const kept = headTail(content, 600);
    for (let n = 1; n <= 100; n++) expect(shown.has(n)).toBe(kept.split('\n').includes(`line ${n} ${'x'.repeat(20)}`));
    expect(headTailLines('a\nb', 100).size).toBe(2);
  });
});
