import { describe, expect, it } from 'vitest';
import { newTestFrameworkImports, testFrameworkImports } from '../../../core/edits/test-imports.js';

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
