import { describe, expect, it } from 'vitest';
import type { DraftContext, FileFocus } from '../../../core/contracts/draft-context.js';
import type { MapDefinition } from '../../../core/contracts/repo-map.js';
import { assembleContext } from '../../../core/context/assemble.js';
import { focusWindows, lineCount } from '../../../core/context/file-focus.js';
import { fileShares, focusForWindow, showFile, showFiles } from '../../../core/context/show-files.js';
import { fencedFile } from '../../../core/edits/reply-syntax.js';
import { headTail } from '../../../core/views/excerpt.js';

/** A Python module of `names`, each a function of 40 lines; its definitions. */
function module(names: string[]): { content: string; definitions: MapDefinition[] } {
  const lines = ['import os', ''];
  const definitions: MapDefinition[] = [];
  for (const name of names) {
    definitions.push({ name, kind: 'function', line: lines.length + 1, signature: `def ${name}(v):` });
    lines.push(`def ${name}(v):`);
    for (let i = 0; i < 39; i++) lines.push(`    v = v * ${i} + 1  # ${name}`);
  }
  return { content: `${lines.join('\n')}\n`, definitions };
}

const NAMES = ['load_config', 'read_header', 'split_fields', 'parse_version', 'cut_line', 'write_report', 'close_stream', 'flush_cache'];
const big = module(NAMES);
const focusOf = (path: string, goal: string): FileFocus => ({
  path,
  lines: lineCount(big.content),
  windows: focusWindows(big.content, big.definitions, goal, [], path),
});
/** 41 functions of 40 lines (1,642 lines, ~57,000 characters): five times the 1.5B's files share. */
const large = module([...Array.from({ length: 20 }, (_, i) => `step_${i}`), 'parse_version', ...Array.from({ length: 20 }, (_, i) => `stage_${i}`)]);
const context = (focus?: FileFocus[]): DraftContext => ({ contextTokens: 8192, tests: [], report: [], ...(focus ? { focus } : {}) });

describe('the files as the prompt builders show them', () => {
  it('files that fit, or a context with no focus for them, are shown exactly as before', () => {
    const files = [{ path: 'v.py', content: big.content }];
    expect(showFiles(files, 100_000, context([focusOf('v.py', 'parse_version')]))).toBe(fencedFile('v.py', big.content));
    expect(showFiles(files, 2000, context())).toBe(headTail(fencedFile('v.py', big.content), 2000));
    expect(showFiles(files, 2000, undefined)).toBe(headTail(fencedFile('v.py', big.content), 2000));
    expect(showFiles(files, 2000, context([focusOf('other.py', 'parse_version')]))).toBe(headTail(fencedFile('v.py', big.content), 2000));
  });

  it('a long file with a focus is shown around what the goal names; a short one beside it stays whole', () => {
    const small = { path: 'util.py', content: 'def helper():\n    return 1\n' };
    const shown = showFiles([{ path: 'v.py', content: big.content }, small], 3000, context([focusOf('v.py', 'parse_version')]));
    expect(shown.length).toBeLessThanOrEqual(3000);
    expect(shown).toContain('def parse_version(v):\n    v = v * 0 + 1  # parse_version');
    expect(shown).toContain(fencedFile('util.py', small.content));
    expect(shown).toMatch(/^# … lines \d+-\d+ left out …$/m);
  });

  it('a focus taken from another version of the file (another line count) is not used', () => {
    const stale = { ...focusOf('v.py', 'parse_version'), lines: 7 };
    expect(showFile({ path: 'v.py', content: big.content }, 2000, [stale]).text).toBe(headTail(big.content, 2000));
  });

  it('shares: short files whole, the long ones split what is left; never negative', () => {
    expect(fileShares([100, 5000, 3000], 2100)).toEqual([100, 1000, 1000]);
    expect(fileShares([10, 10], 100)).toEqual([10, 10]);
    expect(fileShares([500], -20)).toEqual([0]);
    expect(fileShares([], 100)).toEqual([]);
  });
});

describe("the context's report of a trimmed file", () => {
  it('says which lines a long file is shown by and around which definitions, and carries its focus', () => {
    const changing = [{ path: 'src/versions.py', content: large.content }];
    const focus = [{ path: 'src/versions.py', lines: lineCount(large.content), windows: focusWindows(large.content, large.definitions, 'parse_version', []) }];
    const ctx = assembleContext({ contextTokens: 8192, maxOutputTokens: 1024 }, { changing, tests: [], focus });
    const line = ctx.report.find((l) => l.startsWith('src/versions.py:'))!;
    // The head, the windows around parse_version (lines 803-842), and the last lines as the head and tail cut kept them.
    expect(line).toMatch(/^src\/versions\.py: lines 1-\d+, \d+-\d+, \d+-1642 around parse_version \(of 1642\)$/);
    const [from, to] = /lines 1-\d+, (\d+)-(\d+)/.exec(line)!.slice(1).map(Number);
    expect(from).toBeLessThanOrEqual(803);
    expect(to).toBeGreaterThanOrEqual(842);
    expect(ctx.focus).toEqual(focus);
  });

  it('a file that fits its share carries no focus and adds no line; no focus taken (no map) keeps the old report', () => {
    const short = module(NAMES.slice(0, 4));
    const changing = [{ path: 'v.py', content: short.content }];
    const focus = [{ path: 'v.py', lines: lineCount(short.content), windows: focusWindows(short.content, short.definitions, 'parse_version', []) }];
    const fits = assembleContext({ contextTokens: 8192, maxOutputTokens: 1024 }, { changing, tests: [], focus });
    expect(fits.focus).toBeUndefined();
    expect(fits.report.some((l) => l.startsWith('v.py:'))).toBe(false);
    const long = [{ path: 'v.py', content: large.content }];
    const noMap = assembleContext({ contextTokens: 8192, maxOutputTokens: 1024 }, { changing: long, tests: [] });
    expect(noMap.focus).toBeUndefined();
    expect(noMap.report.some((l) => l.startsWith('v.py:'))).toBe(false);
  });

  it('a long file no definition of which matches says it is shown by head and tail, and why', () => {
    const long = { path: 'v.py', content: large.content };
    const none = focusForWindow([long], [{ path: 'v.py', lines: lineCount(long.content), windows: [] }], 11_640);
    expect(none.report).toEqual(['v.py: head and tail (no definition in it matches the goal or the failing tests; of 1642)']);
    const unparsed = focusForWindow([long], [], 11_640);
    expect(unparsed.report).toEqual(['v.py: head and tail (no definitions found in it; of 1642)']);
  });
});
