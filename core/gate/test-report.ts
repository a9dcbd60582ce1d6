import { stripAnsi } from '../views/excerpt.js';

export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  total: number;
  runner: string;
  /** Test files (suites) the runner could not load or run at all: their tests are in no count. Only when there are some. */
  failedFiles?: number;
  /** Of `failed`, the test files or modules that failed to load or collect (pytest's collection errors, node's files that threw at import): no test of theirs ran. Only when there are some. */
  loadErrors?: number;
}

/**
 * The runner's file-level line (vitest's "Test Files", jest's "Test Suites"). A file with a failing
 * test counts there too, so only when no test failed does a failed file mean one that never ran its tests.
 */
function withFailedFiles(c: TestCounts, text: string, line: RegExp): TestCounts {
  const body = [...text.matchAll(line)].at(-1)?.[1] ?? '';
  const failedFiles = num(/(\d+)\s+failed/.exec(body)?.[1]);
  return failedFiles > 0 && c.failed === 0 ? { ...c, failedFiles } : c;
}

// Summary lines of common runners. The exit code decides pass/fail; these
// counts only make reports readable ("41 passed, 1 failed"). The last match wins,
// since runners print their summary at the end.
type Parser = (text: string) => TestCounts | undefined;

const num = (s: string | undefined) => (s === undefined ? 0 : Number.parseInt(s, 10));

const vitest: Parser = (t) => {
  const lines = [...t.matchAll(/^\s*Tests\s+(.+?)\((\d+)\)\s*$/gm)];
  const last = lines.at(-1);
  // "Tests  no tests": every test file failed to load (or none had a test); the file line says which.
  if (!last && /^\s*Tests\s+no tests\s*$/m.test(t) && /^\s*Test Files\s/m.test(t))
    return withFailedFiles({ passed: 0, failed: 0, skipped: 0, total: 0, runner: 'vitest' }, t, /^\s*Test Files\s+(.+?)\(\d+\)\s*$/gm);
  if (!last) return undefined;
  const body = last[1] ?? '';
  const get = (w: string) => num(new RegExp(`(\\d+)\\s+${w}`).exec(body)?.[1]);
  const counts = { passed: get('passed'), failed: get('failed'), skipped: get('skipped') + get('todo'), total: num(last[2]), runner: 'vitest' };
  return withFailedFiles(counts, t, /^\s*Test Files\s+(.+?)\(\d+\)\s*$/gm);
};

const jest: Parser = (t) => {
  const m = [...t.matchAll(/^Tests:\s+(.+?),\s*(\d+)\s+total\s*$/gm)].at(-1);
  if (!m) return undefined;
  const body = m[1] ?? '';
  const get = (w: string) => num(new RegExp(`(\\d+)\\s+${w}`).exec(body)?.[1]);
  const counts = { passed: get('passed'), failed: get('failed'), skipped: get('skipped'), total: num(m[2]), runner: 'jest' };
  return withFailedFiles(counts, t, /^Test Suites:\s+(.+?)\s*$/gm);
};

const nodeTest: Parser = (t) => {
  const pass = [...t.matchAll(/^(?:#|ℹ)\s*pass\s+(\d+)\s*$/gm)].at(-1);
  const fail = [...t.matchAll(/^(?:#|ℹ)\s*fail\s+(\d+)\s*$/gm)].at(-1);
  if (!pass || !fail) return undefined;
  const last = (w: string) => num([...t.matchAll(new RegExp(`^(?:#|ℹ)\\s*${w}\\s+(\\d+)\\s*$`, 'gm'))].at(-1)?.[1]);
  const skipped = last('skipped') + last('todo');
  const passed = num(pass[1]);
  const failed = num(fail[1]) + last('cancelled');
  // The spec reporter names a file that threw before defining its tests by its absolute path, as if it were one failed test.
  const files = new Set([...t.matchAll(/^\s*✖ (\/\S+\.[cm]?[jt]sx?) \([\d.]+m?s\)\s*$/gm)].map((m) => m[1]));
  const loadErrors = Math.min(files.size, failed);
  return { passed, failed, skipped, total: passed + failed + skipped, runner: 'node:test', ...(loadErrors ? { loadErrors } : {}) };
};

const pytest: Parser = (t) => {
  // `=== 3 passed in 0.1s ===`, or bare with -q: `3 failed, 1 passed in 0.30s`.
  const m = [
    ...t.matchAll(/^(?:=+ )?((?:\d+ (?:passed|failed|errors?|skipped|xfailed|xpassed|deselected|warnings?)(?:, )?)+) in [\d.]+s(?: \([^)]*\))?(?: =+)?\s*$/gm),
  ].at(-1);
  if (!m) return undefined;
  const body = m[1] ?? '';
  const get = (w: string) => num(new RegExp(`(\\d+)\\s+${w}`).exec(body)?.[1]);
  // xfail/xpass are tests too (its JUnit report lists them): expected failures count as skipped, unexpected passes as passed.
  const passed = get('passed') + get('xpassed');
  const failed = get('failed') + get('errors?');
  const skipped = get('skipped') + get('xfailed');
  // Errors are collection errors (a test module that failed to import) or fixture errors; only the first kind never started a test.
  const collecting = new Set([...t.matchAll(/^_+ ERROR collecting (\S+) _+\s*$/gm)].map((c) => c[1])).size;
  const interrupted = num(/^!+ Interrupted: (\d+) errors? during collection !+\s*$/m.exec(t)?.[1]);
  const loadErrors = Math.min(Math.max(collecting, interrupted), failed);
  return { passed, failed, skipped, total: passed + failed + skipped, runner: 'pytest', ...(loadErrors ? { loadErrors } : {}) };
};

// Python's unittest: "Ran 6 tests in 0.001s", then "OK (skipped=1, expected failures=1)" or
// "FAILED (failures=1, errors=2)". A module that failed to import is an error of its own (_FailedTest).
const unittest: Parser = (t) => {
  const ran = [...t.matchAll(/^Ran (\d+) tests? in [\d.]+s\s*$/gm)].at(-1);
  if (!ran) return undefined;
  const verdict = /^(?:OK|FAILED)(?: \(([^)]*)\))?\s*$/m.exec(t.slice((ran.index ?? 0) + ran[0].length));
  if (!verdict) return undefined;
  const body = verdict[1] ?? '';
  // "failures=" must not match inside "expected failures=".
  const get = (w: string) => num(new RegExp(`(?:^|, )${w}=(\\d+)`).exec(body)?.[1]);
  const total = num(ran[1]);
  const failed = get('failures') + get('errors') + get('unexpected successes');
  const skipped = get('skipped') + get('expected failures');
  const passed = Math.max(0, total - failed - skipped);
  const notImported = new Set([...t.matchAll(/^ERROR: (\S+) \(unittest\.loader\._FailedTest\b/gm)].map((m) => m[1])).size;
  const loadErrors = Math.min(notImported, failed);
  return { passed, failed, skipped, total, runner: 'unittest', ...(loadErrors ? { loadErrors } : {}) };
};

const plain: Parser = (t) => {
  const m = [...t.matchAll(/^(?:\w+:\s*)?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/gm)].at(-1);
  if (!m) return undefined;
  const passed = num(m[1]);
  const failed = num(m[2]);
  const skipped = num(m[3]);
  return { passed, failed, skipped, total: passed + failed + skipped, runner: 'plain' };
};

// cargo prints one "test result:" line per test binary: the run's counts are their sum.
const cargo: Parser = (t) => {
  const lines = [...t.matchAll(/^test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored/gm)];
  if (!lines.length) return undefined;
  const sum = (i: number) => lines.reduce((a, m) => a + num(m[i]), 0);
  const passed = sum(1);
  const failed = sum(2);
  const skipped = sum(3);
  return { passed, failed, skipped, total: passed + failed + skipped, runner: 'cargo' };
};

// `go test -v` (GOFLAGS=-v, test-report-plan.ts) names each test and subtest as it ends; a package
// line (ok / FAIL / FAIL <pkg>) says go test ran. A package whose tests never ran names none.
const goTest: Parser = (t) => {
  // As runnerEvidence: "FAIL <pkg> [build failed]" alone is a build that failed, not tests that ran.
  if (!/^(?:ok|FAIL)\s+\S+\s+(?:[\d.]+s|\(cached\))/m.test(t)) return undefined;
  const count = (w: string) => [...t.matchAll(new RegExp(`^\\s*--- ${w}: \\S`, 'gm'))].length;
  const passed = count('PASS');
  const failed = count('FAIL');
  const skipped = count('SKIP');
  return { passed, failed, skipped, total: passed + failed + skipped, runner: 'go' };
};

const PARSERS: Parser[] = [vitest, jest, nodeTest, pytest, unittest, cargo, goTest, plain];

export function parseTestCounts(output: string): TestCounts | undefined {
  const text = stripAnsi(output);
  for (const parse of PARSERS) {
    const counts = parse(text);
    if (counts) return counts;
  }
  return undefined;
}

/**
 * Signs that a test runner started and ran tests even where no count can be read:
 * `go test`'s per-package lines and test verdicts, pytest's "collected N items".
 */
export function runnerEvidence(output: string): boolean {
  const text = stripAnsi(output);
  return (
    parseTestCounts(text) !== undefined ||
    /^(?:ok|FAIL)\s+\S+\s+(?:[\d.]+s|\(cached\))/m.test(text) ||
    /^\s*--- (?:PASS|FAIL|SKIP): /m.test(text) ||
    /^collected [1-9]\d* items?/m.test(text)
  );
}

/**
 * "40 passed, 2 failed, 3 skipped": each outcome by itself (a zero failed or skipped is left out),
 * never a fraction whose total counts the skipped tests as if they had not passed.
 */
export function describeCounts(c: TestCounts | undefined, exitCode: number | null): string {
  if (!c) return exitCode === 0 ? 'passed' : `failed (exit ${exitCode ?? 'signal'})`;
  const files = c.failedFiles ? `; ${c.failedFiles} test file${c.failedFiles === 1 ? '' : 's'} failed to load or run (their tests are not counted)` : '';
  return `${c.passed} passed${c.failed ? `, ${c.failed} failed` : ''}${c.skipped ? `, ${c.skipped} skipped` : ''}${files}`;
}
