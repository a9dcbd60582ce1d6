// The localisation rules that read names out of a goal (issue 26): each case here failed before its rule.
import { describe, expect, it } from 'vitest';
import type { FileSymbols } from '../../../core/contracts/repo-map.js';
import { rankFiles } from '../../../core/repo-map/index.js';
import { namedIdentifiers } from '../../../core/repo-map/words.js';

const file = (path: string, defines: string[] = []): FileSymbols => ({
  path,
  language: 'javascript',
  definitions: defines.map((name) => ({ name, kind: 'function', line: 1, signature: `function ${name}()` })),
  references: [],
  isTest: false,
});
const focus = (goal: string) => ({ goal, files: [], failingTests: [] });

describe('a short name in backticks', () => {
  it('is a name, as a longer one is; unquoted, it stays prose', () => {
    expect(namedIdentifiers('add meridiem in `ar` locale')).toContain('ar');
    expect(namedIdentifiers('add meridiem in ar locale')).not.toContain('ar');
    expect(namedIdentifiers('`a` is too short even quoted')).not.toContain('a');
    // Malformed quoting: an unclosed backtick, an empty pair, a pair around punctuation.
    expect(namedIdentifiers('the `ar locale')).not.toContain('ar');
    expect(namedIdentifiers('`` and `-` and `ar')).toEqual([]);
  });

  it('ranks the file it names above its neighbours that merely share the word (`ar` -> ar.js, not ar-dz.js)', () => {
    const map = { commit: 'c0ffee', files: ['src/locale/ar-dz.js', 'src/locale/ar-iq.js', 'src/locale/ar.js', 'src/index.js'].map((p) => file(p)) };
    expect(rankFiles(map, focus('fix(locale): add meridiem in `ar` locale (#2418)'))[0]?.path).toBe('src/locale/ar.js');
  });
});
