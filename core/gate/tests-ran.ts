// A base is the measure every candidate is held to, so it must have run at least one test: a
// command that runs none (`pwd; ls`), a runner that found no test, or one whose every test file
// failed to load measures nothing, and a candidate held to it is held to nothing. Read from the
// runner's structured report where there is one (it decides), else from its summary line. Pure.

import type { TestRunResult } from '../contracts/sandbox.js';
import { stripAnsi } from '../views/excerpt.js';

/** What a run that shows no test may do about it; the end of every "no test ran" reason. */
export const UNCOUNTED_HINT =
  'Ouro counts tests from the reports of pytest, vitest, jest and node --test and from the summaries of those, unittest, go test and cargo test; a test command of its own can end with a line such as "12 passed, 0 failed" for Ouro to read';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Undefined when the run shows at least one test that ran (passed or failed, not skipped, not a file that failed to load); else why not. */
export function noTestsRan(r: Pick<TestRunResult, 'report' | 'counts' | 'output'>): string | undefined {
  const output = stripAnsi(r.output);
  if (r.report) {
    const { tests, passed, failed, loadErrors = 0 } = r.report;
    if (passed + failed - loadErrors > 0) return undefined;
    if (loadErrors) return `its ${plural(loadErrors, 'test file')} failed to load or collect (import or collection errors) and not one test ran`;
    return tests ? `its runner's report lists ${plural(tests, 'test')}, every one skipped` : "its runner's report lists no test";
  }
  const c = r.counts;
  if (c) {
    const loadErrors = c.loadErrors ?? 0;
    if (c.passed + c.failed - loadErrors > 0) return undefined;
    if (loadErrors || c.failedFiles)
      return `only errors loading the tests: ${plural(loadErrors || c.failedFiles!, 'test file')} failed to import or collect, and not one test ran`;
    // "ok <pkg> <time>" alone is no proof: a package whose init() exits 0 prints it too. Only -v names the tests that ran.
    if (c.runner === 'go')
      return (
        goWhy(output) ??
        `go test named no test that ran (${c.skipped} skipped); Ouro counts go tests from the lines -v prints (it sets GOFLAGS=-v: a command that sets GOFLAGS itself should add -v)`
      );
    return c.total ? `${c.runner} ran ${c.total} tests, every one skipped` : `${c.runner} ran 0 tests`;
  }
  return goWhy(output) ?? cargoWhy(output) ?? `no test that Ouro can see ran: no structured report and no summary line it recognises. ${UNCOUNTED_HINT}`;
}

function goWhy(output: string): string | undefined {
  if (/^FAIL\s+\S+\s+\[(?:build|setup) failed\]/m.test(output)) return 'go test could not build the tests ([build failed]), so none ran';
  if (/^ok\s+\S+\s+\S+\s+\[no tests to run\]/m.test(output) || /^\?\s+\S+\s+\[no test files\]/m.test(output))
    return 'go test found no test to run ([no test files] / [no tests to run])';
  return undefined;
}

function cargoWhy(output: string): string | undefined {
  return /^error: could not compile /m.test(output) ? 'cargo could not compile the tests, so none ran' : undefined;
}

/** Why a base that ran no test is no base (a green one, and a red one with --fix alike); undefined when it ran some. */
export function baseRanNoTests(r: Pick<TestRunResult, 'report' | 'counts' | 'output'>): string | undefined {
  const why = noTestsRan(r);
  return why
    ? `the base ran no test: ${why}. The base's tests are what every candidate is held to, so they must run at least one test (with --fix too): check the test command, or that the tests can load`
    : undefined;
}

/** How many of the base's tests ran (passed or failed), by count: what a candidate compared by count must pass. */
export function testsThatRan(c: { passed: number; failed: number; loadErrors?: number }): number {
  return c.passed + c.failed - (c.loadErrors ?? 0);
}
