import { describe, it, expect } from 'vitest';
import { applyEdits, type ApplyResult } from '../../../core/edits/apply-edits.js';
import { parseEdits } from '../../../core/edits/formats/index.js';
import type { FileEdit } from '../../../core/edits/reply-syntax.js';

const sr = (path: string, search: string, replace: string): FileEdit => ({ kind: 'search-replace', path, search, replace });

function files(result: ApplyResult): Record<string, string> {
  if (!result.ok) throw new Error(`expected ok, got errors:\n${result.errors.join('\n')}`);
  return result.files;
}

function errors(result: ApplyResult): string[] {
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.files)}`);
  return result.errors;
}

const GREET = ['export function greet(name: string) {', "  return 'Hello ' + name;", '}', ''].join('\n');

describe('applyEdits: matching', () => {
  it('applies an exact match and returns only changed files', () => {
    const result = applyEdits({ 'greet.ts': GREET, 'other.ts': 'x\n' }, [sr('greet.ts', "  return 'Hello ' + name;\n", '  return `Hi ${name}`;\n')]);
    expect(result).toEqual({
      ok: true,
      files: { 'greet.ts': 'export function greet(name: string) {\n  return `Hi ${name}`;\n}\n' },
      changed: ['greet.ts'],
    });
  });

  it('applies several blocks to one file in order, the second seeing the first', () => {
    const out = files(applyEdits({ 'a.txt': 'one\ntwo\nthree\n' }, [sr('a.txt', 'one\n', 'uno\n'), sr('a.txt', 'uno\ntwo\n', 'uno\ndos\n')]));
    expect(out['a.txt']).toBe('uno\ndos\nthree\n');
  });

  it('applies blocks to several files', () => {
    const result = applyEdits({ 'a.txt': 'a\n', 'b.txt': 'b\n' }, [sr('a.txt', 'a\n', 'A\n'), sr('b.txt', 'b\n', 'B\n')]);
    expect(result).toEqual({ ok: true, files: { 'a.txt': 'A\n', 'b.txt': 'B\n' }, changed: ['a.txt', 'b.txt'] });
  });

  it('matches ignoring trailing whitespace', () => {
    const out = files(applyEdits({ 'a.py': 'x = 1   \ny = 2\n' }, [sr('a.py', 'x = 1\ny = 2\n', 'x = 10\ny = 2\n')]));
    expect(out['a.py']).toBe('x = 10\ny = 2\n');
  });

  it('matches ignoring indentation and re-indents the replacement to the file', () => {
    const file = ['class A:', '    def f(self):', '        return 1', '', '    def g(self):', '        return 2', ''].join('\n');
    // The model dropped the class-level indentation entirely.
    const search = 'def f(self):\n    return 1\n';
    const replace = 'def f(self):\n    x = 1\n\n    return x\n';
    const out = files(applyEdits({ 'a.py': file }, [sr('a.py', search, replace)]));
    expect(out['a.py']).toBe(
      ['class A:', '    def f(self):', '        x = 1', '', '        return x', '', '    def g(self):', '        return 2', ''].join('\n'),
    );
  });

  it('removes surplus indentation when the SEARCH was indented deeper than the file', () => {
    const out = files(
      applyEdits({ 'a.ts': 'if (x) {\n  go();\n}\n' }, [sr('a.ts', '    if (x) {\n      go();\n    }\n', '    if (x) {\n      stop();\n    }\n')]),
    );
    expect(out['a.ts']).toBe('if (x) {\n  stop();\n}\n');
  });

  it('matches curly quotes, dashes and non-breaking spaces against ASCII', () => {
    const file = 'const msg = \u201Cit\u2019s done\u201D; // a \u2014 b\u00A0c\n';
    const out = files(applyEdits({ 'a.js': file }, [sr('a.js', 'const msg = "it\'s done"; // a - b c\n', 'const msg = "done";\n')]));
    expect(out['a.js']).toBe('const msg = "done";\n');
  });

  it('rejects an ambiguous match, saying how many places and where', () => {
    const file = 'x();\ny();\nx();\nz();\nx();\n';
    const [message] = errors(applyEdits({ 'a.ts': file }, [sr('a.ts', 'x();\n', 'w();\n')]));
    expect(message).toMatch(/^block 1 \(a\.ts\): SEARCH text matches 3 places \(lines 1, 3, 5, comparing exactly\); add more surrounding lines/);
  });

  it('prefers a unique exact match over several indentation-insensitive ones', () => {
    const out = files(applyEdits({ 'a.ts': 'x();\n  x();\n' }, [sr('a.ts', '  x();\n', '  y();\n')]));
    expect(out['a.ts']).toBe('x();\n  y();\n');
  });

  it('reports a miss with the first search line and a did-you-mean excerpt', () => {
    const file = [
      'import fs from "fs";',
      '',
      'export function load(path: string) {',
      '  const text = fs.readFileSync(path, "utf8");',
      '  return JSON.parse(text);',
      '}',
      '',
    ].join('\n');
    const search = 'export function load(file: string) {\n  const text = fs.readFileSync(file, "utf8");\n';
    const [message] = errors(applyEdits({ 'src/load.ts': file }, [sr('src/load.ts', search, 'x\n')]));
    expect(message).toContain('block 1 (src/load.ts): SEARCH text not found');
    expect(message).toContain('its first line is: "export function load(file: string) {"');
    expect(message).toContain('did you mean lines 3-4?\nexport function load(path: string) {\n  const text = fs.readFileSync(path, "utf8");');
  });

  it('keeps the did-you-mean excerpt to at most 8 lines', () => {
    const file = Array.from({ length: 30 }, (_, i) => `line number ${i}`).join('\n') + '\n';
    const search = Array.from({ length: 12 }, (_, i) => `line numbr ${i + 5}`).join('\n') + '\n';
    const [message] = errors(applyEdits({ 'a.txt': file }, [sr('a.txt', search, '')]));
    const excerpt = message!.split('did you mean lines 6-13?\n')[1]!.split('\nSEARCH must copy')[0]!;
    expect(excerpt.split('\n')).toEqual(Array.from({ length: 8 }, (_, i) => `line number ${i + 5}`));
  });

  it('says when nothing in the file looks similar', () => {
    const [message] = errors(applyEdits({ 'a.txt': 'alpha\nbeta\n' }, [sr('a.txt', 'zzzz qqqq\n', 'x\n')]));
    expect(message).toContain('no similar lines were found');
    expect(message).not.toContain('did you mean');
  });
});

describe('applyEdits: all or nothing', () => {
  it('reports every failing block, counts the others, and writes nothing', () => {
    const original = { 'a.txt': 'a\n', 'b.txt': 'b\n' };
    const result = applyEdits(original, [sr('a.txt', 'a\n', 'A\n'), sr('b.txt', 'nope\n', 'B\n'), sr('missing.txt', 'm\n', 'M\n'), sr('b.txt', 'b\n', 'B\n')]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.applied).toBe(2);
    expect(result.errors).toHaveLength(2);
    expect(result.errors[0]).toMatch(/^block 2 \(b\.txt\): SEARCH text not found/);
    expect(result.errors[1]).toMatch(/^block 3: file not found: missing\.txt \(files you may edit: a\.txt, b\.txt\)/);
    for (const e of result.errors) expect(e).toContain('(2 other blocks applied cleanly; no file is changed until every block applies)');
    expect(original).toEqual({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
  });

  it('rejects edits that leave every file unchanged', () => {
    const result = applyEdits({ 'a.txt': 'a\nb\n' }, [sr('a.txt', 'a\n', 'A\n'), sr('a.txt', 'A\n', 'a\n')]);
    expect(result).toEqual({ ok: false, errors: ['the edits leave every file unchanged'], applied: 2 });
    expect(errors(applyEdits({ 'a.txt': 'x\n' }, [{ kind: 'whole-file', path: 'a.txt', content: 'x\n' }]))).toEqual(['the edits leave every file unchanged']);
  });

  it('omits files whose edits cancel out from the result', () => {
    const result = applyEdits({ 'a.txt': 'a\n', 'b.txt': 'b\n' }, [sr('a.txt', 'a\n', 'A\n'), sr('b.txt', 'b\n', 'B\n'), sr('a.txt', 'A\n', 'a\n')]);
    expect(result).toEqual({ ok: true, files: { 'b.txt': 'B\n' }, changed: ['b.txt'] });
  });
});

describe('applyEdits: new files and whole files', () => {
  it('creates a new file from an empty SEARCH, then lets later blocks edit it', () => {
    const result = applyEdits({ 'a.txt': 'a\n' }, [
      sr('src/new.ts', '', 'export const x = 1;\n'),
      sr('./src/new.ts', 'export const x = 1;\n', 'export const x = 2;\n'),
    ]);
    expect(result).toEqual({ ok: true, files: { 'src/new.ts': 'export const x = 2;\n' }, changed: ['src/new.ts'] });
  });

  it('refuses an empty SEARCH on a file that exists', () => {
    const [message] = errors(applyEdits({ 'a.txt': 'a\n' }, [sr('a.txt', '', 'b\n')]));
    expect(message).toMatch(/^block 1 \(a\.txt\): empty SEARCH can only create a new file, but a\.txt already exists/);
  });

  it('replaces and creates whole files', () => {
    const result = applyEdits({ 'a.txt': 'old\n' }, [
      { kind: 'whole-file', path: 'a.txt', content: 'new\n' },
      { kind: 'whole-file', path: 'b.txt', content: 'b\n' },
    ]);
    expect(result).toEqual({ ok: true, files: { 'a.txt': 'new\n', 'b.txt': 'b\n' }, changed: ['a.txt', 'b.txt'] });
  });

  it('rejects unsafe paths even when edits were not built by the parser', () => {
    const [message] = errors(applyEdits({}, [{ kind: 'whole-file', path: '../x', content: 'x\n' }]));
    expect(message).toMatch(/^block 1: invalid path '\.\.\/x': contains a '\.\.' segment/);
  });

  it('treats "__proto__" as an ordinary path', () => {
    const result = applyEdits({}, [{ kind: 'whole-file', path: '__proto__', content: 'x\n' }]);
    expect(files(result)['__proto__']).toBe('x\n');
    expect(Object.getPrototypeOf(files(result))).toBe(Object.prototype);
  });
});

describe('applyEdits: line endings', () => {
  it('keeps CRLF line endings', () => {
    const out = files(applyEdits({ 'a.txt': 'one\r\ntwo\r\nthree\r\n' }, [sr('a.txt', 'two\n', 'TWO\nextra\n')]));
    expect(out['a.txt']).toBe('one\r\nTWO\r\nextra\r\nthree\r\n');
  });

  it('keeps a missing final newline, also when the last line is replaced or extended', () => {
    expect(files(applyEdits({ 'a.txt': 'a\nb' }, [sr('a.txt', 'b\n', 'B\n')]))['a.txt']).toBe('a\nB');
    expect(files(applyEdits({ 'a.txt': 'a\nb' }, [sr('a.txt', 'b\n', 'b\nc\n')]))['a.txt']).toBe('a\nb\nc');
    expect(files(applyEdits({ 'a.txt': 'a\r\nb' }, [{ kind: 'whole-file', path: 'a.txt', content: 'x\ny\n' }]))['a.txt']).toBe('x\r\ny');
  });

  it('keeps the endings of untouched lines in a mixed file', () => {
    const out = files(applyEdits({ 'a.txt': 'a\r\nb\nc\r\nd\r\n' }, [sr('a.txt', 'd\n', 'D\n')]));
    expect(out['a.txt']).toBe('a\r\nb\nc\r\nD\r\n');
  });

  it('applies a parsed CRLF reply to a CRLF file end to end', () => {
    const reply = ['greet.ts', '```ts', '<<<<<<< SEARCH', "  return 'Hello ' + name;", '=======', "  return 'Hi ' + name;", '>>>>>>> REPLACE', '```'].join(
      '\r\n',
    );
    const parsed = parseEdits(reply, 'search-replace');
    if (!parsed.ok) throw new Error(parsed.error);
    const out = files(applyEdits({ 'greet.ts': GREET.replace(/\n/g, '\r\n') }, parsed.edits));
    expect(out['greet.ts']).toBe("export function greet(name: string) {\r\n  return 'Hi ' + name;\r\n}\r\n");
  });
});
