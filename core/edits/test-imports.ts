// Code under test that imports the test framework can rig its own verdict
// (e.g. `expect.extend({ toBe: () => ({ pass: true }) })` at import time).
// A candidate may therefore not add such an import to the files it changes.
// This is a cheap, syntactic first line only: code can still reach the
// runner without an import (globals, prototypes), see test/e2e/sandbox.test.ts.

/** Module specifiers of test frameworks and assertion libraries (a name, or a scope ending in '/'). */
const FRAMEWORKS = ['vitest', '@vitest/', 'jest', '@jest/', 'mocha', 'chai', 'node:test', '@playwright/test', 'bun:test'];

const SOURCE_EXT = /\.(?:[cm]?[jt]sx?)$/;

function isFramework(specifier: string): boolean {
  return FRAMEWORKS.some((f) => (f.endsWith('/') ? specifier.startsWith(f) : specifier === f || specifier.startsWith(`${f}/`)));
}

/** The test-framework modules a JavaScript/TypeScript source imports (static, dynamic, re-export or require). */
export function testFrameworkImports(source: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\bfrom\s*(['"])([^'"\n]+)\1/g, // import … from 'x', export … from 'x'
    /\bimport\s*(['"])([^'"\n]+)\1/g, // import 'x'
    /\b(?:import|require)\s*\(\s*(['"`])([^'"`\n]+)\1\s*[,)]/g, // import('x'), require('x')
  ];
  for (const re of patterns) {
    for (const m of source.matchAll(re)) {
      const spec = m[2]!;
      if (isFramework(spec)) found.add(spec);
    }
  }
  // vitest's in-source testing hands the framework (expect, it, vi) to source code without an import.
  if (/\bimport\.meta\.vitest\b/.test(source)) found.add('import.meta.vitest');
  return [...found];
}

/** One message per changed source file that imports a test framework its base version did not. */
export function newTestFrameworkImports(changed: Array<{ path: string; before?: string; after: string }>): string[] {
  const out: string[] = [];
  for (const f of changed) {
    if (!SOURCE_EXT.test(f.path)) continue;
    const had = new Set(testFrameworkImports(f.before ?? ''));
    const added = testFrameworkImports(f.after).filter((s) => !had.has(s));
    if (added.length) {
      out.push(
        `${f.path}: imports the test framework (${added.map((s) => `'${s}'`).join(', ')}); code under test may not reach into the test runner, which could rig its own verdict`,
      );
    }
  }
  return out;
}
