import { describe, expect, it } from 'vitest';
import { indentUnit, reindentBody } from '../../../core/edits/small-model/reindent.js';

const ORIGINAL =
  '/** The largest number in xs. */\nexport function largest(xs: number[]): number {\n  let best = xs[0];\n  for (const x of xs) {\n    if (x < best) best = x;\n  }\n  return best;\n}\n';
const HEAD = '/** The largest number in xs. */\nexport function largest(xs: number[]): number {\n';

describe('reindentBody', () => {
  it("indents a body a small model wrote at column 0, by brace depth, with the file's unit", () => {
    const flat = 'let best = xs[0];\nfor (const x of xs) {\nif (x > best) best = x;\n}\nreturn best;\n}\n';
    expect(HEAD + reindentBody(HEAD, flat, ORIGINAL)).toBe(ORIGINAL.replace('x < best', 'x > best'));
  });

  it('re-indents a body whose statements lost their level while inner lines kept some', () => {
    const mixed = 'let best = xs[0];\nfor (const x of xs) {\n  if (x > best) best = x;\n}\nreturn best;\n}';
    expect(reindentBody(HEAD, mixed, ORIGINAL)).toBe('  let best = xs[0];\n  for (const x of xs) {\n    if (x > best) best = x;\n  }\n  return best;\n}');
  });

  it('leaves an indented body, a Python body and a one-liner as they are', () => {
    const indented = '  let best = xs[0];\nreturn best;\n}\n';
    expect(reindentBody(HEAD, indented, ORIGINAL)).toBe(indented);
    expect(reindentBody('def mean(xs):\n', 'return sum(xs)\nx = 1\n', 'def mean(xs):\n    return 0\n')).toBe('return sum(xs)\nx = 1\n');
    expect(reindentBody(HEAD, '}\n', ORIGINAL)).toBe('}\n');
  });

  it('ignores braces in strings and comments, and uses tabs where the file does', () => {
    const flat = 'const s = "{";\n// {\nif (a) {\nreturn 1;\n}\nreturn 0;\n}\n';
    expect(reindentBody('function f(a) {\n', flat, 'function g() {\n\treturn 1;\n}\n')).toBe(
      '\tconst s = "{";\n\t// {\n\tif (a) {\n\t\treturn 1;\n\t}\n\treturn 0;\n}\n',
    );
    expect(indentUnit('x\n    y\n')).toBe('    ');
  });
});
