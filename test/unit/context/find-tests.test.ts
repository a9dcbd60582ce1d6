import { describe, expect, it } from 'vitest';
import { findTests } from '../../../core/context/find-tests.js';
import { importsFile, pythonModuleNames } from '../../../core/context/imported-files.js';
import { isTestPath, namedAfter } from '../../../core/context/test-paths.js';

const snap = (path: string, content = '') => ({ path, content });

describe('test files by name', () => {
  it.each([
    ['tests/test_keys.py', 'src/cachetools/keys.py'],
    ['pkg/keys_test.py', 'pkg/keys.py'],
    ['parse/lexer_test.go', 'parse/lexer.go'],
    ['test/sum.test.ts', 'src/sum.ts'],
    ['src/sum.spec.tsx', 'src/sum.tsx'],
    ['tests/sum.rs', 'src/sum.rs'],
    ['__tests__/index.test.js', 'src/index.js'],
    ['tests/test_util.py', 'src/util/__init__.py'],
  ])('%s is named after %s', (test, source) => {
    expect(isTestPath(test)).toBe(true);
    expect(namedAfter(test, source)).toBe(true);
  });

  it.each([
    ['tests/test_keys.py', 'src/cachetools/func.py'],
    ['test/summary.test.ts', 'src/sum.ts'],
    ['parse/lexer_test.go', 'parse/parser.go'],
  ])('%s is not named after %s', (test, source) => expect(namedAfter(test, source)).toBe(false));

  it('tells tests from code (conftest and package inits are support, not tests)', () => {
    expect(['src/keys.py', 'src/testing_utils.ts', 'tests/conftest.py', 'tests/__init__.py', 'README.md', 'test/data.json'].map(isTestPath)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('tells tests by the folders and names the repository map knew too', () => {
    const tests = [
      'Tests/helpers.py',
      'specs/parse.js',
      'pkg/testdata/sample.go',
      'src/test_utils/fake.ts',
      'e2e/run.ts',
      'src/parse_test.rs',
      'src/parse_tests.rs',
      'pkg/keys_tests.py',
    ];
    expect(tests.filter((p) => !isTestPath(p))).toEqual([]);
    expect(['src/contest.py', 'src/latest/mod.rs', 'src/e2e.ts', 'src/spec_parser.go', 'pkg/testdata.go'].filter(isTestPath)).toEqual([]);
  });
});

describe('test files by import', () => {
  it('python: absolute, from-package, relative and src-layout imports', () => {
    expect(pythonModuleNames('src/cachetools/keys.py')).toEqual(['src.cachetools.keys', 'cachetools.keys', 'keys']);
    expect(importsFile('tests/test_keys.py', 'import unittest\n\nimport cachetools.keys\n', 'src/cachetools/keys.py')).toBe(true);
    expect(importsFile('tests/t.py', 'from cachetools import keys, func as f\n', 'src/cachetools/keys.py')).toBe(true);
    expect(importsFile('tests/t.py', 'from cachetools import (\n    keys,\n)\n', 'src/cachetools/keys.py')).toBe(true);
    expect(importsFile('pkg/tests/t.py', 'from ..core import run\n', 'pkg/core.py')).toBe(true);
    expect(importsFile('pkg/t_x.py', 'from .util import helper\n', 'pkg/util.py')).toBe(true);
    expect(importsFile('tests/test_keys.py', 'import cachetools\n', 'src/cachetools/keys.py')).toBe(false);
    // An import written in a string or a comment is none.
    expect(importsFile('tests/t.py', '# import cachetools.keys\nx = "import cachetools.keys"\n', 'src/cachetools/keys.py')).toBe(false);
  });

  it('typescript/javascript: relative specifiers with any extension or an index, never a package', () => {
    expect(importsFile('test/sum.test.ts', "import { sumTo } from '../src/sum.js';\n", 'src/sum.ts')).toBe(true);
    expect(importsFile('test/a.test.js', "const m = require('../lib');\n", 'lib/index.js')).toBe(true);
    expect(importsFile('test/a.test.ts', "const m = await import('../src/sum');\n", 'src/sum.ts')).toBe(true);
    expect(importsFile('test/a.test.ts', "import { x } from 'sum';\n", 'src/sum.ts')).toBe(false);
    expect(importsFile('test/a.test.ts', "// import { x } from '../src/sum.js'\n", 'src/sum.ts')).toBe(false);
    expect(importsFile('test/a.test.ts', 'import { broken from ', 'src/sum.ts')).toBe(false);
  });

  it("go: the test's own package, or a package it imports by path", () => {
    expect(importsFile('calc/add_test.go', 'package calc\n', 'calc/mul.go')).toBe(true);
    expect(importsFile('e2e/run_test.go', 'package e2e\n\nimport (\n\t"testing"\n\t"example.com/m/calc"\n)\n', 'calc/mul.go')).toBe(true);
    expect(importsFile('e2e/run_test.go', 'package e2e\n\nimport "example.com/m/calc"\n', 'calc/mul.go')).toBe(true);
    expect(importsFile('e2e/run_test.go', 'package e2e\n\nimport "example.com/m/other"\n', 'calc/mul.go')).toBe(false);
  });

  it('hostile imports: climbing out of the repository, deeper than the root, an empty or huge source', () => {
    expect(importsFile('test/a.test.ts', "import x from '../../../etc/passwd.js';\n", 'etc/passwd.ts')).toBe(false);
    expect(importsFile('t.py', 'from .... import keys\n', 'keys.py')).toBe(false);
    expect(importsFile('tests/t.py', '', 'src/keys.py')).toBe(false);
    expect(importsFile('tests/t.py', `${'x = 1\n'.repeat(50_000)}import keys\n`, 'src/keys.py')).toBe(true);
    expect(importsFile('README.md', 'import keys', 'keys.py')).toBe(false);
  });

  it('rust: a use of the module under the crate', () => {
    expect(importsFile('tests/parse.rs', 'use mycrate::lexer::Token;\n', 'src/lexer.rs')).toBe(true);
    expect(importsFile('tests/parse.rs', 'use mycrate::lexer;\n', 'src/lexer/mod.rs')).toBe(true);
    expect(importsFile('tests/parse.rs', 'use mycrate::parser;\n', 'src/lexer.rs')).toBe(false);
  });
});

describe('findTests', () => {
  const tests = [
    snap('tests/test_func.py', 'import cachetools.func\n'),
    snap('tests/test_keys.py', 'import cachetools.keys\n'),
    snap('tests/test_cached.py', 'import cachetools\n'),
    snap('tests/test_other.py', 'from cachetools import keys\n'),
  ];

  it('keeps linked tests only, most telling first: imports and name, then imports alone', () => {
    expect(findTests(['src/cachetools/keys.py'], tests)).toEqual([
      { path: 'tests/test_keys.py', links: ['imports', 'named'] },
      { path: 'tests/test_other.py', links: ['imports'] },
    ]);
  });

  it('puts the tests a red base named first, linked or not, in the order it named them', () => {
    expect(findTests(['src/cachetools/keys.py'], tests, ['tests/test_cached.py', 'tests/test_keys.py']).map((t) => [t.path, t.links.join('+')])).toEqual([
      ['tests/test_keys.py', 'failing+imports+named'],
      ['tests/test_cached.py', 'failing'],
      ['tests/test_other.py', 'imports'],
    ]);
  });

  it('a test whose name the goal says comes before its peers, never in place of a link', () => {
    const peers = [
      snap('tests/test_cache.py', 'import cachetools\n'),
      snap('tests/test_lru.py', 'import cachetools\n'),
      snap('tests/test_ttl_unrelated.py', ''),
    ];
    expect(findTests(['src/cachetools/__init__.py'], peers, [], 'LRU eviction drops the least recently used item')).toEqual([
      { path: 'tests/test_lru.py', links: ['imports', 'in-goal'] },
      { path: 'tests/test_cache.py', links: ['imports'] },
    ]);
  });

  it('finds nothing for files no test touches', () => {
    expect(findTests(['src/cachetools/__main__.py'], tests)).toEqual([]);
  });
});
