import { describe, it, expect } from 'vitest';
import { headTail, stripAnsi, oneLine } from '../../../core/views/excerpt.js';

const ESC = '\u001b';

describe('headTail', () => {
  it('returns text that fits unchanged', () => {
    const text = 'short output\n';
    expect(headTail(text, 100)).toBe(text);
    expect(headTail('x'.repeat(100), 100)).toBe('x'.repeat(100));
  });

  it('keeps the head and the tail of long output and says how much was cut', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i}`);
    const text = ['FAIL src/a.test.ts > adds', ...lines, '      Tests  1 failed | 41 passed (42)'].join('\n');
    const out = headTail(text, 400);
    expect(out.startsWith('FAIL src/a.test.ts > adds\n')).toBe(true);
    expect(out.endsWith('Tests  1 failed | 41 passed (42)')).toBe(true);
    expect(out).not.toContain('line 250\n');
    const half = Math.floor((400 - 40) / 2);
    expect(out).toContain(`\n… [${text.length - 2 * half} characters cut] …\n`);
  });

  it('never exceeds the budget', () => {
    const text = 'a'.repeat(10_000) + 'b'.repeat(10_000);
    for (const max of [60, 100, 1200, 2500, 19_999]) {
      const out = headTail(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.startsWith('a')).toBe(true);
      expect(out.endsWith('b')).toBe(true);
    }
  });

  it('cuts the middle exactly: head + marker + tail rebuild the kept parts', () => {
    const text = '0123456789'.repeat(20);
    const out = headTail(text, 60); // half = 10
    expect(out).toBe(`0123456789\n… [180 characters cut] …\n0123456789`);
  });

  it('keeps only the marker for a budget smaller than the marker', () => {
    const text = 'x'.repeat(100);
    const out = headTail(text, 10);
    expect(out).toBe('\n… [100 characters cut] …\n');
    expect(out).not.toContain('x');
  });
});

describe('stripAnsi', () => {
  it('removes colour and style codes', () => {
    expect(stripAnsi(`${ESC}[1m${ESC}[31m2 failed${ESC}[39m${ESC}[22m | ${ESC}[32m3 passed${ESC}[39m`)).toBe('2 failed | 3 passed');
  });

  it('removes 256-colour, cursor and private-mode sequences', () => {
    expect(stripAnsi(`${ESC}[38;5;208mwarn${ESC}[0m${ESC}[2K${ESC}[1G${ESC}[?25lok${ESC}[?25h`)).toBe('warnok');
  });

  it('leaves text without escape codes and plain brackets alone', () => {
    expect(stripAnsi('[100%] passed [x]')).toBe('[100%] passed [x]');
  });
});

describe('oneLine', () => {
  it('flattens newlines and runs of whitespace', () => {
    expect(oneLine('  tests\n  3/5 passed,\t2 failed \n')).toBe('tests 3/5 passed, 2 failed');
  });

  it('cuts to the maximum with an ellipsis', () => {
    const out = oneLine('abcdefghijklmnopqrstuvwxyz', 10);
    expect(out).toBe('abcdefghi…');
    expect(out).toHaveLength(10);
  });

  it('keeps text of exactly the maximum length', () => {
    expect(oneLine('abcdefghij', 10)).toBe('abcdefghij');
  });

  it('defaults to 160 characters', () => {
    expect(oneLine('w '.repeat(200))).toHaveLength(160);
    expect(oneLine('w '.repeat(200)).endsWith('…')).toBe(true);
  });
});
