import { describe, expect, it } from 'vitest';
import { closeOpenBlocks } from '../../../core/edits/small-model/close-blocks.js';

describe('closeOpenBlocks', () => {
  it('appends the braces a small model left open', () => {
    expect(closeOpenBlocks('function f() {\n  for (;;) {\n  }\n  return 1;\n')).toBe('function f() {\n  for (;;) {\n  }\n  return 1;\n}\n');
    expect(closeOpenBlocks('a {\nb {\n')).toBe('a {\nb {\n}\n}\n');
  });
  it('leaves balanced code alone', () => {
    const code = 'export function f(x: number) {\n  return { x };\n}\n';
    expect(closeOpenBlocks(code)).toBe(code);
  });
  it('ignores braces inside strings, template literals and comments', () => {
    const code = "function f() {\n  const s = '{{';\n  const t = `}${'{'}`;\n  // {\n  /* { */\n  return s + t;\n}\n";
    expect(closeOpenBlocks(code)).toBe(code);
  });
  it('never removes text, even when there are more closing braces', () => {
    expect(closeOpenBlocks('}\n}\n')).toBe('}\n}\n');
  });
});
