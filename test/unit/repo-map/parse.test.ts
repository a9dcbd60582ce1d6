// The parser, one fixture snippet per language: the definitions it finds, their signatures with
// the body left out, the identifiers the file uses, and whether it is a test file.
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../../adapters/repo-map/parser.js';
import type { FileSymbols } from '../../../core/contracts/repo-map.js';

const defs = (f: FileSymbols | undefined) => f?.definitions.map((d) => [d.kind, d.name, d.signature]);

describe('parseFile: TypeScript', () => {
  const source = [
    "import { helperOf } from './helpers';",
    'export function parseVersion(text: string): Version {',
    '  return helperOf(text).version;',
    '}',
    'export class Cache<K, V> extends LruBase {',
    '  get(key: K): V | undefined {',
    '    return this.entries.get(key);',
    '  }',
    '}',
    'export interface CacheOptions { maxSize: number }',
    'export type Key = string | number;',
    'export const makeKey = (parts: string[]): Key => parts.join(":");',
    'enum Colour { Red }',
  ].join('\n');

  it('finds functions, classes, methods, interfaces, types, arrow functions and enums, with signatures only', async () => {
    expect(defs(await parseFile('src/cache.ts', source))).toEqual([
      ['function', 'parseVersion', 'export function parseVersion(text: string): Version'],
      ['class', 'Cache', 'export class Cache<K, V> extends LruBase'],
      ['method', 'get', 'get(key: K): V | undefined'],
      ['interface', 'CacheOptions', 'export interface CacheOptions'],
      ['type', 'Key', 'export type Key = string | number;'],
      ['function', 'makeKey', 'export const makeKey = (parts: string[]): Key'],
      ['enum', 'Colour', 'enum Colour'],
    ]);
  });

  it('lists the identifiers it uses, not the ones it defines', async () => {
    const f = await parseFile('src/cache.ts', source);
    expect(f?.references).toEqual(expect.arrayContaining(['helperOf', 'Version', 'LruBase', 'entries', 'text']));
    expect(f?.references).not.toContain('parseVersion');
    expect(f?.language).toBe('typescript');
    expect(f?.isTest).toBe(false);
  });

  it('reads .tsx with JSX, and knows a .test.ts file for a test', async () => {
    const tsx = await parseFile('ui/App.tsx', 'export function App(props: Props) {\n  return <Panel title={titleOf(props)} />;\n}\n');
    expect(defs(tsx)).toEqual([['function', 'App', 'export function App(props: Props)']]);
    expect(tsx?.references).toEqual(expect.arrayContaining(['Panel', 'titleOf', 'Props']));
    expect((await parseFile('src/cache.test.ts', "it('works', () => expect(parseVersion('1')).toBe(1));"))?.isTest).toBe(true);
  });
});

describe('parseFile: JavaScript (.js, .jsx, .mjs, .cjs)', () => {
  it.each(['lib/a.js', 'lib/a.jsx', 'lib/a.mjs', 'lib/a.cjs'])('%s', async (path) => {
    const f = await parseFile(
      path,
      'export default function render(node) {\n  return walk(node);\n}\nconst wrap = function (x) { return x; };\nclass Tree { grow() {} }\n',
    );
    expect(f?.language).toBe('javascript');
    expect(defs(f)).toEqual([
      ['function', 'render', 'export default function render(node)'],
      ['function', 'wrap', 'const wrap = function (x)'],
      ['class', 'Tree', 'class Tree'],
      ['method', 'grow', 'grow()'],
    ]);
    expect(f?.references).toContain('walk');
  });

  it('finds methods assigned in a plugin and functions bound inside a closure', async () => {
    const plugin = [
      'export default (option, Dayjs, dayjs) => {',
      '  const proto = Dayjs.prototype;',
      '  const fixOffset = (timestamp, offset) => timestamp - offset;',
      '  proto.tz = function (timezone, keepLocalTime) { return fixOffset(this, timezone); };',
      '  dayjs.updateLocale = function (locale) {};',
      '  let count = 0;',
      '};',
    ].join('\n');
    expect(defs(await parseFile('src/plugin/timezone/index.js', plugin))).toEqual([
      ['function', 'fixOffset', 'const fixOffset = (timestamp, offset)'],
      ['method', 'tz', 'proto.tz = function (timezone, keepLocalTime)'],
      ['method', 'updateLocale', 'dayjs.updateLocale = function (locale)'],
    ]);
  });

  it('knows __tests__/ and .spec.jsx for tests', async () => {
    expect((await parseFile('src/__tests__/render.js', 'test("x", () => {});'))?.isTest).toBe(true);
    expect((await parseFile('src/render.spec.jsx', 'test("x", () => {});'))?.isTest).toBe(true);
  });
});

describe('parseFile: Python', () => {
  const source = [
    'import functools',
    'MAX_SIZE = 128',
    '',
    '@functools.lru_cache',
    'def parse_version(text: str) -> Version:',
    '    return Version(split_parts(text))',
    '',
    'class TTLCache(Cache):',
    '    def expire(self, time=None):',
    '        return self.__timer()',
  ].join('\n');

  it('finds module constants, functions, classes and methods', async () => {
    expect(defs(await parseFile('cachetools/__init__.py', source))).toEqual([
      ['variable', 'MAX_SIZE', 'MAX_SIZE = 128'],
      ['function', 'parse_version', 'def parse_version(text: str) -> Version:'],
      ['class', 'TTLCache', 'class TTLCache(Cache):'],
      ['function', 'expire', 'def expire(self, time=None):'],
    ]);
  });

  it('lists calls and bases as references; test_*.py and tests/ are tests', async () => {
    const f = await parseFile('cachetools/__init__.py', source);
    expect(f?.references).toEqual(expect.arrayContaining(['Version', 'split_parts', 'Cache', 'functools', 'lru_cache']));
    expect(f?.isTest).toBe(false);
    expect((await parseFile('tests/test_ttl.py', 'def test_expire():\n    assert TTLCache(1).expire() is None\n'))?.isTest).toBe(true);
    expect((await parseFile('pkg/ttl_test.py', 'def test_expire(): pass\n'))?.isTest).toBe(true);
  });
});

describe('parseFile: Go', () => {
  const source = [
    'package version',
    '',
    'type Version struct {',
    '\tsegments []int64',
    '}',
    '',
    'type Constraint interface {',
    '\tCheck(v *Version) bool',
    '}',
    '',
    'const MaxSegments = 3',
    '',
    'func NewVersion(v string) (*Version, error) {',
    '\treturn parseSegments(strings.Split(v, "."))',
    '}',
    '',
    'func (v *Version) String() string { return fmt.Sprint(v.segments) }',
  ].join('\n');

  it('finds types, interface methods, constants, functions and methods', async () => {
    expect(defs(await parseFile('version.go', source))).toEqual([
      ['type', 'Version', 'type Version struct'],
      ['type', 'Constraint', 'type Constraint interface'],
      ['method', 'Check', 'Check(v *Version) bool'],
      ['const', 'MaxSegments', 'const MaxSegments = 3'],
      ['func', 'NewVersion', 'func NewVersion(v string) (*Version, error)'],
      ['method', 'String', 'func (v *Version) String() string'],
    ]);
  });

  it('lists calls and fields as references; _test.go is a test', async () => {
    const f = await parseFile('version.go', source);
    expect(f?.references).toEqual(expect.arrayContaining(['parseSegments', 'Split', 'Sprint', 'segments']));
    expect((await parseFile('version_test.go', 'package version\nfunc TestNewVersion(t *testing.T) { NewVersion("1") }\n'))?.isTest).toBe(true);
  });
});

describe('parseFile: Rust', () => {
  const source = [
    'use std::fmt;',
    'pub struct Version { pub major: u64 }',
    'impl fmt::Display for Version {',
    '    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, "{}", self.major) }',
    '}',
    'pub trait Parse { fn parse(text: &str) -> Self; }',
    'pub enum Op { Exact, Greater }',
    'pub const MAX: u32 = 3;',
    'pub fn compare(a: &Version, b: &Version) -> Ordering { cmp_parts(a, b) }',
  ].join('\n');

  it('finds structs, impls, fns, traits and their methods, enums and constants', async () => {
    expect(defs(await parseFile('src/version.rs', source))).toEqual([
      ['struct', 'Version', 'pub struct Version'],
      ['impl', 'Version', 'impl fmt::Display for Version'],
      ['fn', 'fmt', 'fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result'],
      ['trait', 'Parse', 'pub trait Parse'],
      ['fn', 'parse', 'fn parse(text: &str) -> Self;'],
      ['enum', 'Op', 'pub enum Op'],
      ['const', 'MAX', 'pub const MAX: u32 = 3;'],
      ['fn', 'compare', 'pub fn compare(a: &Version, b: &Version) -> Ordering'],
    ]);
  });

  it('lists the types and calls it uses; tests/ is a test', async () => {
    const f = await parseFile('src/version.rs', source);
    expect(f?.references).toEqual(expect.arrayContaining(['Formatter', 'Ordering', 'cmp_parts', 'major']));
    expect((await parseFile('tests/compare.rs', 'fn it_compares() { compare(&a, &b); }\n'))?.isTest).toBe(true);
  });
});
