// rankFiles: the goal's names, the named files and the failing tests steer a personalised
// PageRank over the reference graph; each ranked file says why it ranks.
import { describe, expect, it } from 'vitest';
import type { FileSymbols, MapDefinition, RepoMap } from '../../../core/contracts/repo-map.js';
import { chooseFilesToChange } from '../../../core/context/choose-files.js';
import { rankFiles } from '../../../core/repo-map/index.js';
import { calleeNames } from '../../../core/repo-map/seeds.js';
import { identifierWords, meaningfulWords } from '../../../core/repo-map/words.js';

const def = (name: string, kind = 'function'): MapDefinition => ({ name, kind, line: 1, signature: `def ${name}()` });
const file = (path: string, defines: string[], uses: string[], isTest = false): FileSymbols => ({
  path,
  language: 'python',
  definitions: defines.map((n) => def(n)),
  references: uses,
  isTest,
});

// A small library: a hub every module imports, a parser, a cache, a CLI, and their tests.
const map: RepoMap = {
  commit: 'c0ffee',
  files: [
    file('lib/util.py', ['ensure_list', 'log_debug'], []),
    file('lib/version.py', ['parse_version', 'Version'], ['ensure_list', 'log_debug']),
    file('lib/cache.py', ['TTLCache', 'expire'], ['ensure_list', 'log_debug']),
    file('lib/cli.py', ['main'], ['parse_version', 'TTLCache', 'ensure_list', 'log_debug']),
    file('tests/test_version.py', ['test_parse_version_prerelease'], ['parse_version', 'Version'], true),
    file('tests/test_cache.py', ['test_ttl_expiry'], ['TTLCache', 'expire'], true),
  ],
};
const paths = map.files.map((f) => f.path);
const choose = (ranked: ReturnType<typeof rankFiles>, max: number) =>
  chooseFilesToChange(ranked, paths, [], { max, cutOff: 0, clearOf: 0, floor: 0, protectedPaths: [] }).map((c) => c.path);
const focus = (goal: string, extra: Partial<{ files: string[]; failingTests: string[] }> = {}) => ({ goal, files: [], failingTests: [], ...extra });

describe('rankFiles', () => {
  it('a goal naming a function ranks its defining file first, and says so', () => {
    const ranked = rankFiles(map, focus('parse_version drops the pre-release tag'));
    expect(ranked[0]?.path).toBe('lib/version.py');
    expect(ranked[0]?.reasons).toContain('defines parse_version named in the goal');
  });

  it('a goal in words matches paths and split identifiers (camelCase, snake_case)', () => {
    const ranked = rankFiles(map, focus('TTL entries never expire'));
    expect(ranked[0]?.path).toBe('lib/cache.py');
    expect(ranked[0]?.reasons.join('; ')).toMatch(/'ttl'/);
  });

  it("a failing test's callee ranks high, and the hub everyone imports does not win on imports alone", () => {
    const ranked = rankFiles(map, focus('wrong result for some inputs', { failingTests: ['tests/test_version.py::test_parse_version_prerelease'] }));
    const chosen = choose(ranked, 1);
    expect(chosen).toEqual(['lib/version.py']);
    expect(ranked.find((r) => r.path === 'lib/version.py')?.reasons.join('; ')).toMatch(/parse_version/);
    expect(ranked.find((r) => r.path === 'tests/test_version.py')?.reasons).toContain('holds a failing test');
  });

  it('rank flows along references: a file the seeded file uses is explained by it', () => {
    const ranked = rankFiles(map, focus('', { files: ['lib/cli.py'] }));
    expect(ranked[0]?.path).toBe('lib/cli.py');
    const util = ranked.find((r) => r.path === 'lib/util.py');
    expect(util?.reasons.some((r) => r.startsWith('lib/cli.py uses its'))).toBe(true);
  });

  it('named files come first whatever their score', () => {
    const ranked = rankFiles(map, focus('parse_version is wrong', { files: ['lib/util.py'] }));
    expect(ranked[0]?.path).toBe('lib/util.py');
    expect(ranked[0]?.reasons).toContain('named in the files to change');
  });

  it('the choice of files to change never holds a test file', () => {
    const ranked = rankFiles(map, focus('test_ttl_expiry fails', { failingTests: ['tests/test_cache.py'] }));
    expect(choose(ranked, 3).every((p) => !p.startsWith('tests/'))).toBe(true);
  });

  it('is deterministic, ranks every file once, and handles an empty map and an empty focus', () => {
    const a = rankFiles(map, focus('cache expiry'));
    expect(rankFiles(map, focus('cache expiry'))).toEqual(a);
    expect(new Set(a.map((r) => r.path)).size).toBe(map.files.length);
    expect(rankFiles({ commit: 'x', files: [] }, focus('anything'))).toEqual([]);
    const blank = rankFiles(map, focus(''));
    expect(blank).toHaveLength(map.files.length);
    expect(blank.every((r) => Number.isFinite(r.score))).toBe(true);
  });
});

describe('words', () => {
  it('splits camelCase, PascalCase, snake_case, kebab-case and paths', () => {
    expect(identifierWords('parseHTTPVersion')).toEqual(['parse', 'http', 'version']);
    expect(identifierWords('lib/ttl_cache-impl.py')).toEqual(['lib', 'ttl', 'cache', 'impl', 'py']);
    expect(meaningfulWords('Fix: the TTLCache does not expire (closes #12)')).toEqual(['ttl', 'cache', 'expire']);
  });

  it("guesses a test's callee from its name", () => {
    expect(calleeNames('test_parse_version')).toContain('parse_version');
    expect(calleeNames('TestNewVersion')).toEqual(expect.arrayContaining(['NewVersion', 'newVersion']));
    expect(calleeNames('it_compares')).toEqual([]);
  });
});
