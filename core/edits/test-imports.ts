// Code under test that imports the test framework can rig its own verdict
// (e.g. `expect.extend({ toBe: () => ({ pass: true }) })` at import time, or
// pytest's assertion rewriting patched from a module the tests import).
// A candidate may therefore not add such an import to the files it changes.
// Imports are read from the code's syntax (js-imports.ts, python-imports.ts),
// not its text: the same words in a string or a comment are no import. This is
// a cheap, syntactic first line only: it also refuses the runner's globals by
// name (`__vitest_worker__`), but code can still reach the runner without an
// import (a computed name, prototypes, a require made with createRequire, exec
// of a string), see test/e2e/sandbox.test.ts.

import { jsImports } from './js-imports.js';
import { pythonImports } from './python-imports.js';

/** Module specifiers of test frameworks and assertion libraries (a name, or a scope ending in '/'). */
const FRAMEWORKS = ['vitest', '@vitest/', 'jest', '@jest/', 'mocha', 'chai', 'node:test', '@playwright/test', 'bun:test'];

/** Python's test runners and their plugin machinery (a top-level package: its submodules count too). */
const PY_FRAMEWORKS = ['pytest', '_pytest', 'pluggy', 'unittest', 'nose', 'nose2'];

const JS_SOURCE = /\.(?:[cm]?[jt]sx?)$/;
const PY_SOURCE = /\.pyi?$/;

function isFramework(specifier: string): boolean {
  return FRAMEWORKS.some((f) => (f.endsWith('/') ? specifier.startsWith(f) : specifier === f || specifier.startsWith(`${f}/`)));
}

/** The test-framework modules a JavaScript/TypeScript source imports (static, dynamic, re-export or require). */
export function testFrameworkImports(source: string, path = 'source.ts'): string[] {
  const { specifiers, inSourceVitest, runnerGlobals } = jsImports(source, path);
  const found = new Set(specifiers.filter(isFramework));
  // vitest's in-source testing hands the framework (expect, it, vi) to source code without an import.
  if (inSourceVitest) found.add('import.meta.vitest');
  // The runner's own state, reached as a global: vitest's worker (its config filters tests by name).
  for (const g of runnerGlobals) found.add(g);
  return [...found];
}

/** The test-framework modules a Python source imports. */
export function pythonTestFrameworkImports(source: string): string[] {
  return [...new Set(pythonImports(source).filter((m) => PY_FRAMEWORKS.includes(m.split('.')[0]!)))];
}

function frameworkImports(path: string, source: string): string[] | undefined {
  if (JS_SOURCE.test(path)) return testFrameworkImports(source, path);
  if (PY_SOURCE.test(path)) return pythonTestFrameworkImports(source);
  return undefined;
}

/** One message per changed source file that imports a test framework its base version did not. */
export function newTestFrameworkImports(changed: Array<{ path: string; before?: string; after: string }>): string[] {
  const out: string[] = [];
  for (const f of changed) {
    const after = frameworkImports(f.path, f.after);
    if (!after) continue;
    const had = new Set(frameworkImports(f.path, f.before ?? ''));
    const added = after.filter((s) => !had.has(s));
    if (added.length) {
      out.push(
        `${f.path}: imports the test framework (${added.map((s) => `'${s}'`).join(', ')}); code under test may not reach into the test runner, which could rig its own verdict`,
      );
    }
  }
  return out;
}
