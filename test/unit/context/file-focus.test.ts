import { describe, expect, it } from 'vitest';
import type { MapDefinition } from '../../../core/contracts/repo-map.js';
import { describeExcerpt, fitFocus, focusedFile, focusFor, focusWindows, lineCount } from '../../../core/context/file-focus.js';
import { headTail } from '../../../core/views/excerpt.js';

const def = (name: string, line: number, kind = 'function'): MapDefinition => ({ name, kind, line, signature: `def ${name}():` });

/** A Python module: 3 import lines, then `count` functions of `body` lines each; its definitions. */
function module(names: string[], body = 20): { content: string; definitions: MapDefinition[] } {
  const lines = ['import os', 'import re', ''];
  const definitions: MapDefinition[] = [];
  for (const name of names) {
    definitions.push(def(name, lines.length + 1));
    lines.push(`def ${name}(value):`);
    for (let i = 0; i < body - 1; i++) lines.push(`    value = value + ${i}  # ${name} step ${i}`);
  }
  return { content: `${lines.join('\n')}\n`, definitions };
}

const NAMES = ['load_config', 'read_header', 'split_fields', 'parse_version', 'cut_line', 'write_report', 'close_stream', 'flush_cache'];

describe('a long file shown around what the goal names', () => {
  it('shows the head, the named definition from its line to the next one, and markers for the gaps, in file order', () => {
    const { content, definitions } = module(NAMES);
    const windows = focusWindows(content, definitions, 'parse_version rejects "1.2.3-rc1"', []);
    expect(windows[0]).toMatchObject({ names: ['parse_version'], from: 64, to: 83 });
    const excerpt = fitFocus(content, windows, 1200, 'src/versions.py')!;
    expect(excerpt.names).toEqual(['parse_version']);
    const lines = excerpt.text.split('\n');
    expect(lines.slice(0, 3)).toEqual(['import os', 'import re', '']);
    expect(lines).toContain('def parse_version(value):');
    expect(lines).toContain('    value = value + 18  # parse_version step 18');
    expect(excerpt.text.length).toBeLessThanOrEqual(1200);
    // Every gap has its marker, in the file's comment syntax, naming the lines left out.
    for (const marker of lines.filter((l) => l.includes('left out'))) expect(marker).toMatch(/^# … lines \d+-\d+ left out …$/);
    expect(excerpt.ranges[0]![0]).toBe(1);
    expect(describeExcerpt('src/versions.py', excerpt)).toMatch(/^src\/versions\.py: lines 1-\d+(, \d+-\d+)* around parse_version \(of 163\)$/);
  });

  it('ranks a definition the goal writes out above ones that only share its words, and failing tests by their callee', () => {
    const { content, definitions } = module(NAMES);
    const byGoal = focusWindows(content, definitions, 'the cut_line and the version parsing are wrong', []);
    expect(byGoal[0]!.names).toEqual(['cut_line']);
    expect(byGoal.find((w) => w.names[0] === 'parse_version')!.score).toBeGreaterThan(0);
    const byTest = focusWindows(content, definitions, 'make the tests pass', ['tests/test_io.py::test_flush_cache FAILED']);
    expect(byTest[0]!.names).toEqual(['flush_cache']);
  });

  it("a failing test's file:line inside the file points at the window that holds it", () => {
    const { content, definitions } = module(NAMES);
    const windows = focusWindows(content, definitions, 'make the tests pass', ['src/io.py:110: in write_it', 'E   AssertionError'], 'src/io.py');
    expect(windows[0]).toMatchObject({ names: ['write_report'], from: 104 });
  });

  it('fills what the matches leave with the definitions next to them, never past the budget', () => {
    const { content, definitions } = module(NAMES);
    const excerpt = fitFocus(content, focusWindows(content, definitions, 'parse_version', []), 2400, 'v.py')!;
    const shown = excerpt.text.split('\n');
    expect(shown).toContain('def split_fields(value):');
    expect(excerpt.text.length).toBeLessThanOrEqual(2400);
  });

  it('a comment marker for C-like files, none for an unknown extension', () => {
    const { content, definitions } = module(NAMES);
    const windows = focusWindows(content, definitions, 'parse_version', []);
    expect(fitFocus(content, windows, 900, 'a.go')!.text).toMatch(/^\/\/ … lines \d+-\d+ left out …$/m);
    expect(fitFocus(content, windows, 900, 'notes.unknown')!.text).toMatch(/^… lines \d+-\d+ left out …$/m);
  });
});

describe('the focus on hostile and malformed input', () => {
  // Each case below is one malformed or edge input; the count is reported with the change.
  it('no definitions: the head and tail, as before', () => {
    const { content } = module(NAMES);
    expect(focusWindows(content, [], 'parse_version', [])).toEqual([]);
    expect(focusedFile(content, [], 'parse_version', [], 900, 'v.py')).toBe(headTail(content, 900));
  });

  it('nothing matches the goal: the head and tail, as before', () => {
    const { content, definitions } = module(NAMES);
    expect(fitFocus(content, focusWindows(content, definitions, 'improve throughput', []), 900)).toBeUndefined();
    expect(focusedFile(content, definitions, 'improve throughput', [], 900, 'v.py')).toBe(headTail(content, 900));
  });

  it('a file that fits is returned unchanged', () => {
    const { content, definitions } = module(NAMES);
    expect(focusedFile(content, definitions, 'parse_version', [], content.length, 'v.py')).toBe(content);
  });

  it('definitions past the end, before line 1, fractional or NaN are dropped; the last real one runs to the end', () => {
    const { content, definitions } = module(NAMES.slice(0, 2));
    const bad = [...definitions, def('parse_version', 9999), def('cut_line', 0), def('cut_line', -4), def('cut_line', 2.5), def('cut_line', Number.NaN)];
    const windows = focusWindows(content, bad, 'parse_version cut_line read_header', []);
    expect(windows.map((w) => w.names[0])).toEqual(['read_header', 'load_config']);
    expect(windows[0]!.to).toBe(lineCount(content));
  });

  it('windows of another version of the file (past its end, inverted) are not shown', () => {
    const { content } = module(NAMES.slice(0, 2));
    const stale = [
      { from: 500, to: 520, names: ['parse_version'], score: 10 },
      { from: 30, to: 10, names: ['cut_line'], score: 5 },
    ];
    expect(fitFocus(content, stale, 200)).toBeUndefined();
    expect(focusFor([{ path: 'v.py', lines: 999, windows: stale }], 'v.py', content)).toBeUndefined();
    expect(focusFor([{ path: 'v.py', lines: lineCount(content), windows: stale }], 'v.py', content)).toBeDefined();
    expect(focusFor(undefined, 'v.py', content)).toBeUndefined();
  });

  it('a budget smaller than one window: the window\u2019s opening lines, its signature first, within the budget', () => {
    const { content, definitions } = module(NAMES, 200);
    const excerpt = fitFocus(content, focusWindows(content, definitions, 'parse_version', []), 600, 'v.py')!;
    expect(excerpt.text.length).toBeLessThanOrEqual(600);
    expect(excerpt.text).toContain('def parse_version(value):');
    expect(excerpt.ranges.some(([from, to]) => from === 604 && to < 803)).toBe(true);
  });

  it('a budget too small for even a marker: the head and tail', () => {
    const { content, definitions } = module(NAMES);
    expect(focusedFile(content, definitions, 'parse_version', [], 10, 'v.py')).toBe(headTail(content, 10));
  });

  it('CRLF: lines split without their \\r, markers end with CRLF too, and the excerpt keeps the endings', () => {
    const { content, definitions } = module(NAMES);
    const crlf = content.replace(/\n/g, '\r\n');
    const excerpt = fitFocus(crlf, focusWindows(crlf, definitions, 'parse_version', []), 1000, 'v.py')!;
    expect(lineCount(crlf)).toBe(lineCount(content));
    expect(excerpt.text).toContain('def parse_version(value):\r\n');
    expect(excerpt.text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(excerpt.text).toMatch(/# … lines \d+-\d+ left out …\r\n/);
  });

  it('a one-line file longer than the budget: the head and tail (no line fits)', () => {
    const line = `def parse_version(v): return ${'v + 1 + '.repeat(200)}0`;
    expect(focusedFile(line, [def('parse_version', 1)], 'parse_version', [], 300, 'v.py')).toBe(headTail(line, 300));
  });

  it('a name the goal writes out that several definitions share (a method in several classes): each is a match, shown in file order', () => {
    const lines = ['import abc', ''];
    const definitions: MapDefinition[] = [];
    for (const owner of ['Reader', 'Writer', 'Cache', 'Stream']) {
      definitions.push(def(owner, lines.length + 1, 'class'));
      lines.push(`class ${owner}:`);
      definitions.push(def('flush', lines.length + 1, 'method'));
      lines.push('    def flush(self):');
      for (let i = 0; i < 30; i++) lines.push(`        self.step_${i} = None  # ${owner}`);
    }
    const content = lines.join('\n');
    const windows = focusWindows(content, definitions, 'flush() leaks the handle', []);
    expect(windows.filter((w) => w.names[0] === 'flush')).toHaveLength(4);
    expect(windows.filter((w) => w.score > 0).every((w) => w.names[0] === 'flush')).toBe(true);
    const excerpt = fitFocus(content, windows, 3000, 'io.py')!;
    expect(excerpt.names).toEqual(['flush']);
    expect(excerpt.ranges.length).toBeGreaterThan(1);
    expect(excerpt.ranges).toEqual([...excerpt.ranges].sort((a, b) => a[0] - b[0]));
  });

  it('several definitions on one line share a window; duplicate names once', () => {
    const { content } = module(NAMES.slice(0, 3));
    const windows = focusWindows(content, [def('a_b', 4), def('parse_version', 4), def('parse_version', 4)], 'parse_version', []);
    expect(windows).toHaveLength(1);
    expect(windows[0]!.names).toEqual(['a_b', 'parse_version']);
  });

  it('a marker that a line of the file already reads is changed until no line does', () => {
    const { content, definitions } = module(NAMES);
    const plain = fitFocus(content, focusWindows(content, definitions, 'parse_version', []), 900, 'v.py')!;
    const first = plain.text.split('\n').find((l) => l.includes('left out'))!;
    const hostile = `${content}    ${first}\n`;
    const excerpt = fitFocus(hostile, focusWindows(hostile, definitions, 'parse_version', []), 900, 'v.py')!;
    const markers = excerpt.text.split('\n').filter((l) => l.includes('left out'));
    const fileLines = new Set(hostile.split('\n').map((l) => l.trim()));
    expect(markers.length).toBeGreaterThan(0);
    for (const m of markers) expect(fileLines.has(m.trim())).toBe(false);
  });

  it('an empty file, an empty goal, and a goal of punctuation match nothing', () => {
    expect(focusWindows('', [def('x', 1)], 'parse_version', [])).toEqual([{ from: 1, to: 1, names: ['x'], score: 0 }]);
    const { content, definitions } = module(NAMES);
    expect(focusWindows(content, definitions, '', []).every((w) => w.score === 0)).toBe(true);
    expect(focusWindows(content, definitions, '!!! ??? ``', []).every((w) => w.score === 0)).toBe(true);
  });

  it('a goal of regex metacharacters and a path with them do not throw', () => {
    const { content, definitions } = module(NAMES);
    expect(() => focusWindows(content, definitions, 'parse_version(.*)[', ['a+b(.py:12'], 'a+b(.py')).not.toThrow();
  });
});
