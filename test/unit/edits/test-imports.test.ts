import { describe, expect, it } from 'vitest';
import { newTestFrameworkImports, pythonTestFrameworkImports, testFrameworkImports } from '../../../core/edits/test-imports.js';

describe('testFrameworkImports', () => {
  it.each([
    [`import { expect } from 'vitest';`, ['vitest']],
    [`import {\n  expect,\n  vi,\n} from "vitest";`, ['vitest']],
    [`import 'vitest';`, ['vitest']],
    [`export { expect } from 'vitest';`, ['vitest']],
    [`const v = await import('vitest');`, ['vitest']],
    ['const v = await import(`vitest`);', ['vitest']],
    [`const { expect } = require('@jest/globals');`, ['@jest/globals']],
    [`import { JestChaiExpect } from '@vitest/expect';`, ['@vitest/expect']],
    [`import { expect } from 'chai';`, ['chai']],
    [`import { describe } from 'mocha';`, ['mocha']],
    [`import { test } from 'node:test';`, ['node:test']],
    [`import { expect } from '@playwright/test';`, ['@playwright/test']],
    [`import { expect } from 'jest';`, ['jest']],
    [`import x from 'vitest/config';`, ['vitest/config']],
    // read from the syntax: forms a text search misses or splits
    [`import v = require('vitest');`, ['vitest']],
    [`const v = await import('vi' + 'test');`, ['vitest']],
    [`const v = require(('chai'));`, ['chai']],
    [`export * from 'vitest';`, ['vitest']],
    [`if (import.meta['vitest']) {}`, ['import.meta.vitest']],
    [`const s = "from 'x'"; import { expect } from 'vitest';`, ['vitest']],
    // the runner's state as a global, without an import
    [`const w = (globalThis as any).__vitest_worker__;`, ['__vitest_worker__']],
    [`const w = globalThis['__vitest_worker__'];`, ['__vitest_worker__']],
    [`declare const __vitest_index__: unknown; __vitest_index__;`, ['__vitest_index__']],
  ])('finds the framework in %j', (src, want) => {
    expect(testFrameworkImports(src)).toEqual(want);
  });

  it.each([
    `import { readFile } from 'node:fs';`,
    `import assert from 'node:assert';`,
    `import { vitestLike } from './vitest-like.js';`,
    `import x from 'jest-diff-free';`,
    `import y from 'chai-string-utils-not';`,
    `const runner = 'vitest'; // a string, not an import`,
    // the words of an import inside a string, a template, a comment or a regex are no import (a text search refused them)
    `export const help = "import { expect } from 'vitest'";`,
    "export const doc = `usage:\\n  import { it } from 'vitest';\\n  require('chai')`;",
    `// import { expect } from 'vitest';\nexport const a = 1;`,
    `/* const { expect } = require('@jest/globals'); */ export const a = 1;`,
    `export const re = /from 'vitest'/;`,
    `export const meta = { vitest: "import.meta.vitest" };`,
    // erased at compile time: nothing runs
    `import type { Assertion } from 'vitest';`,
    `export type { TestContext } from 'vitest';`,
    // a call named like a loader that is not one
    `obj.require('vitest');`,
    `const name = '__vitest_worker__';`, // a string that is no access
  ])('ignores %j', (src) => {
    expect(testFrameworkImports(src)).toEqual([]);
  });
});

describe('newTestFrameworkImports', () => {
  it('refuses a changed source that adds a test-framework import', () => {
    const msgs = newTestFrameworkImports([
      { path: 'src/sum.ts', before: 'export const a = 1;\n', after: `import { expect } from 'vitest';\nexport const a = 1;\n` },
    ]);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatch(/^src\/sum\.ts: imports the test framework \('vitest'\)/);
  });

  it("refuses in-source testing added to code (import.meta.vitest hands it vitest's expect without an import); keeps a base's own", () => {
    const rig = `export const a = 1;\nif (import.meta.vitest) { import.meta.vitest.expect.extend({ toBe: () => ({ pass: true, message: () => '' }) }); }\n`;
    const [msg] = newTestFrameworkImports([{ path: 'src/sum.ts', before: 'export const a = 1;\n', after: rig }]);
    expect(msg).toMatch(/^src\/sum\.ts: imports the test framework \('import\.meta\.vitest'\)/);
    expect(newTestFrameworkImports([{ path: 'src/sum.ts', before: rig, after: `// changed\n${rig}` }])).toEqual([]);
  });

  it('refuses a new file that imports a test framework', () => {
    expect(newTestFrameworkImports([{ path: 'src/rig.mjs', after: `const { expect } = await import('vitest');` }])).toHaveLength(1);
  });

  it('accepts an import the base file already had (in-source tests, helpers)', () => {
    const before = `import { expect } from 'vitest';\nexport const a = 1;\n`;
    expect(newTestFrameworkImports([{ path: 'src/helpers.ts', before, after: `${before}export const b = 2;\n` }])).toEqual([]);
  });

  it('only looks at JavaScript and TypeScript sources', () => {
    expect(newTestFrameworkImports([{ path: 'docs/guide.md', after: `import { expect } from 'vitest';` }])).toEqual([]);
    expect(newTestFrameworkImports([{ path: 'src/x.cts', after: `const c = require('chai');` }])).toHaveLength(1);
  });
});

describe('pythonTestFrameworkImports', () => {
  it.each([
    ['import pytest', ['pytest']],
    ['import os, pytest as pt', ['pytest']],
    ['from _pytest.assertion import rewrite', ['_pytest.assertion']],
    ['from unittest import mock', ['unittest']],
    ['import pluggy.hooks', ['pluggy.hooks']],
    ['if True: import pytest', ['pytest']],
    ['x = 1; import pytest', ['pytest']],
    ['def f():\n    import pytest\n', ['pytest']],
    ['from \\\n  pytest import fixture', ['pytest']],
    ['from pytest import (\n  fixture,\n  mark,\n)', ['pytest']],
    ["m = __import__('pytest')", ['pytest']],
    ["m = importlib.import_module('unittest.mock')", ['unittest.mock']],
    ["sys.modules['_pytest.python'].Function.runtest = None", ['_pytest.python']],
    ["f = sys.modules.get('pytest')", ['pytest']],
    // after a string that ends in an escaped quote, or a bytes literal: the import is real
    ["r'\\'' ; import pytest", ['pytest']],
    ["b'''x''' ; import nose", ['nose']],
    ['f"{x!r}"\nimport nose2', ['nose2']],
  ])('finds the framework in %j', (src, want) => {
    expect(pythonTestFrameworkImports(src)).toEqual(want);
  });

  it.each([
    'doc = """\nimport pytest\n"""\nx = 1',
    "doc = '''\nfrom pytest import fixture\n'''",
    "s = 'import pytest'  # import pytest",
    '# import pytest',
    'print("import pytest")',
    "rb'import pytest'",
    'u"import unittest"',
    // f-strings: the literal text and the fields' own strings alike
    `f = f"{x!r} import pytest {'import unittest'}"`,
    `f = f"{ {'a': 'from pytest import x'}['a'] }"`,
    'f = f"""\n{ "import pytest" }\nimport nose\n"""',
    'f = f"{"import pytest"}"', // 3.12: the same quote nested inside a field
    'f = f"{{import pytest}}"',
    "m = importlib.import_module(f'{name}')",
    // relative imports are the project's own modules
    'from . import pytest',
    'from .pytest import x',
    'import pytest_like_helpers',
    'raise ValueError("x") from None',
    "sys.modules['json']",
    'modules["pytest"]',
  ])('ignores %j', (src) => {
    expect(pythonTestFrameworkImports(src)).toEqual([]);
  });

  it('refuses a changed Python source that adds one; keeps what the base had', () => {
    const rig = 'import _pytest.assertion.rewrite as r\nr.AssertionRewritingHook = None\n\ndef sum_to(n):\n    return n\n';
    expect(newTestFrameworkImports([{ path: 'src/mathkit/sum.py', before: 'def sum_to(n):\n    return 0\n', after: rig }])).toEqual([
      "src/mathkit/sum.py: imports the test framework ('_pytest.assertion.rewrite'); code under test may not reach into the test runner, which could rig its own verdict",
    ]);
    expect(newTestFrameworkImports([{ path: 'src/mathkit/sum.py', before: rig, after: `${rig}# changed\n` }])).toEqual([]);
    expect(newTestFrameworkImports([{ path: 'src/mathkit/doc.py', after: 'HELP = """\nimport pytest\n"""\n' }])).toEqual([]);
  });
});
