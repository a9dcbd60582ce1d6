// What a base whose tests did not build is held to: the tests those files define, listed from their
// text as it is in the base (the candidate cannot change it: protected), named as test identity names
// them for the runner, so that a candidate's run must show each one run and pass. A run that shows
// none of them (an init() or import that exits 0, a module made to skip) passes nothing. Pure.

import picomatch from 'picomatch';
import type { TestCase, TestOutcome } from './test-identity.js';
import type { UnbuiltRunner, UnbuiltTestFiles } from './unbuilt-tests.js';
import { goBuildsTestFile, type GoTarget } from './go-build-files.js';
import { stripAnsi } from '../views/excerpt.js';

/** The tests a candidate must run and pass, by identity: go "<import path> › TestX", pytest "<file> › test_x". */
export interface RequiredTests {
  runner: UnbuiltRunner;
  ids: string[];
  /** Why the base did not build them, one line per file ("decode_test.go uses d.MaxDepth"). */
  causes: string[];
  /**
   * go: the import paths of every package whose tests did not build at the base, those that list no Test (Examples
   * only, tests behind a constraint) too: the base could not count any of them, so their verdicts are not held to its count.
   */
  packages?: string[];
}

/** How a candidate's run met the required tests. */
export interface RequiredCheck {
  required: number;
  /** First few that did not run at all, and how many. */
  missing: string[];
  missingCount: number;
  /** First few that ran and did not pass, and how many. */
  notPassed: string[];
  notPassedCount: number;
  /**
   * go: the run's verdict lines (tests and subtests, as the count reads them) outside the required tests' packages.
   * The base's count could not include those packages (they did not build), so it is these that are held to it.
   */
  outside?: { passed: number; failed: number; skipped: number; total: number };
}

const SHOWN = 5;
const clean = (text: string) => stripAnsi(text).replace(/\r\n?/g, '\n');

/** go test's rule: func TestXxx(t *testing.T) where Xxx does not start with a lower-case letter. */
export function goTestFunctions(source: string): string[] {
  const names = [...clean(source).matchAll(/^func\s+(Test(?![a-z])\w*)\s*\(\s*\w+\s+\*testing\.T\s*\)/gm)].map((m) => m[1]!);
  return [...new Set(names)];
}

/**
 * pytest's default discovery: module-level `def test_*` and the `def test_*` methods of `class Test*` and of a
 * `unittest.TestCase` subclass by any name (top level; a base class named in the class line).
 */
export function pytestFunctions(source: string): string[] {
  const names: string[] = [];
  let inTestClass = false;
  for (const l of clean(source).split('\n')) {
    const cls = /^class\s+(\w+)/.exec(l);
    if (cls) inTestClass = cls[1]!.startsWith('Test') || /^class\s+\w+\s*\([^)]*\bTestCase\b/.test(l);
    else if (/^\S/.test(l) && !/^(?:#|@|\)|"""|''')/.test(l)) inTestClass = false;
    const fn = /^(\s*)(?:async\s+)?def\s+(test\w*)\s*\(/.exec(l);
    if (!fn) continue;
    if (fn[1] === '' || (inTestClass && fn[1]!.length > 0 && /^\s+(?:async\s+)?def\s+test\w*\s*\(\s*self\b/.test(l))) names.push(fn[2]!);
  }
  return [...new Set(names)];
}

/** Where no host is named: the one Ouro's sandbox runs on. */
const LINUX_AMD64: GoTarget = { goos: 'linux', goarch: 'amd64' };

/**
 * The tests the base's unbuilt files define. go: every protected _test.go file of each failing package's
 * folder that go builds on `goTarget` (the ones that built too: go builds a package's tests together; not
 * _x_test.go, x_windows_test.go or a file with a build constraint that is not plainly true here); pytest:
 * the files that failed to collect. `sources` is what the workspace holds there; undefined when they
 * define no test (no measure).
 */
export function requiredTests(
  unbuilt: UnbuiltTestFiles,
  sources: Array<{ path: string; text: string }>,
  protectedGlobs: string[],
  goTarget: GoTarget = LINUX_AMD64,
): RequiredTests | undefined {
  const isProtected = protectedGlobs.length ? picomatch(protectedGlobs, { dot: true }) : () => false;
  const ids: string[] = [];
  if (unbuilt.runner === 'go') {
    for (const { dir, importPath } of unbuilt.packages ?? []) {
      const inDir = sources.filter((s) => isProtected(s.path) && folder(s.path) === dir && goBuildsTestFile(s.path, s.text, goTarget));
      for (const s of inDir.sort((a, b) => a.path.localeCompare(b.path))) for (const name of goTestFunctions(s.text)) ids.push(`${importPath} › ${name}`);
    }
  } else {
    for (const path of unbuilt.files) {
      const s = sources.find((x) => x.path === path);
      if (s) for (const name of pytestFunctions(s.text)) ids.push(`${path} › ${name}`);
    }
  }
  const unique = [...new Set(ids)];
  if (!unique.length) return undefined;
  return unbuilt.runner === 'go'
    ? { runner: 'go', ids: unique, causes: unbuilt.causes, packages: (unbuilt.packages ?? []).map((p) => p.importPath) }
    : { runner: unbuilt.runner, ids: unique, causes: unbuilt.causes };
}

const folder = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

/** go test -v's verdict lines, each given to the package whose "ok"/"FAIL" line ends its block: "<import path> › TestX". */
export function goOutcomes(output: string): Map<string, TestOutcome[]> {
  const out = new Map<string, TestOutcome[]>();
  let pending: Array<{ name: string; outcome: TestOutcome }> = [];
  for (const l of clean(output).split('\n')) {
    const verdict = /^\s*--- (PASS|FAIL|SKIP): (\S+) \(/.exec(l);
    if (verdict) {
      if (!verdict[2]!.includes('/'))
        pending.push({ name: verdict[2]!, outcome: verdict[1] === 'PASS' ? 'passed' : verdict[1] === 'FAIL' ? 'failed' : 'skipped' });
      continue;
    }
    const pkg = /^(?:ok|FAIL)\s+(\S+)\s/.exec(l);
    if (!pkg) continue;
    for (const p of pending) {
      const id = `${pkg[1]} › ${p.name}`;
      out.set(id, [...(out.get(id) ?? []), p.outcome]);
    }
    pending = [];
  }
  return out;
}

/** The most verdict text kept from one run: a package of tens of thousands of tests and subtests fits. */
const MAX_VERDICT_CHARS = 8 * 1024 ** 2;

/**
 * Keeps go test's verdict and package lines from a whole run as it streams (the output excerpt cuts a
 * long -v run's middle, where a required test's verdict may lie). Lines are joined across chunks.
 */
export class GoVerdictLines {
  private partial = '';
  private kept: string[] = [];
  private size = 0;
  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    // A line longer than any verdict is no verdict: drop it rather than hold it.
    if (this.partial.length > 4096) this.partial = '';
    for (const l of parts) this.keep(l);
  }
  text(): string {
    if (this.partial) this.keep(this.partial);
    this.partial = '';
    return this.kept.join('\n');
  }
  private keep(line: string): void {
    const l = line.replace(/\r$/, '');
    if (this.size > MAX_VERDICT_CHARS || !/^\s*--- (?:PASS|FAIL|SKIP): |^(?:ok|FAIL)\s/.test(stripAnsi(l))) return;
    this.kept.push(l);
    this.size += l.length + 1;
  }
}

/** go test -v's verdict lines (subtests too, as parseTestCounts counts them) of every package not in `packages`. */
export function goCountsOutside(output: string, packages: Set<string>): NonNullable<RequiredCheck['outside']> {
  const counts = { passed: 0, failed: 0, skipped: 0, total: 0 };
  let pending: TestOutcome[] = [];
  const add = (outcomes: TestOutcome[]) => {
    for (const o of outcomes) counts[o]++;
    counts.total += outcomes.length;
  };
  for (const l of clean(output).split('\n')) {
    const verdict = /^\s*--- (PASS|FAIL|SKIP): \S/.exec(l);
    if (verdict) {
      pending.push(verdict[1] === 'PASS' ? 'passed' : verdict[1] === 'FAIL' ? 'failed' : 'skipped');
      continue;
    }
    const pkg = /^(?:ok|FAIL)\s+(\S+)\s/.exec(l);
    if (!pkg) continue;
    if (!packages.has(pkg[1]!)) add(pending);
    pending = [];
  }
  // Lines no package line ends are no required package's: the count reads them, so they count here too.
  add(pending);
  return counts;
}

/** pytest names each instance of a parametrised test "test_x[1]": it answers for the listed "test_x". */
const pytestListedName = (id: string) => id.replace(/( › \w+)\[.*\]$/s, '$1');

/**
 * Each required test must have run and passed: go from its -v lines, pytest from its report (none: none ran).
 * A parametrised pytest test passes when at least one instance ran and every instance passed.
 */
export function checkRequiredTests(required: RequiredTests, output: string, cases: TestCase[] | undefined): RequiredCheck {
  const seen = new Map<string, TestOutcome[]>();
  if (required.runner === 'go') for (const [id, o] of goOutcomes(output)) seen.set(id, o);
  else
    for (const c of cases ?? []) {
      if (c.loadError) continue;
      const id = pytestListedName(c.id);
      seen.set(id, [...(seen.get(id) ?? []), c.outcome]);
    }
  const missing: string[] = [];
  const notPassed: string[] = [];
  for (const id of required.ids) {
    const outcomes = seen.get(id) ?? [];
    if (!outcomes.length) missing.push(id);
    else if (!outcomes.includes('passed') || outcomes.some((o) => o !== 'passed')) notPassed.push(`${id} (${outcomes.find((o) => o !== 'passed')})`);
  }
  return {
    required: required.ids.length,
    missing: missing.slice(0, SHOWN),
    missingCount: missing.length,
    notPassed: notPassed.slice(0, SHOWN),
    notPassedCount: notPassed.length,
    // A base recorded by an older worker names no packages: those of its listed tests are all it has.
    ...(required.runner === 'go' ? { outside: goCountsOutside(output, new Set([...(required.packages ?? []), ...required.ids.map(packageOf)])) } : {}),
  };
}

const packageOf = (id: string) => id.slice(0, id.lastIndexOf(' › '));

const shortName = (id: string) => id.slice(id.lastIndexOf(' › ') + 3);

/** "the base's tests do not build: decode_test.go uses d.MaxDepth; a candidate must make them build and pass: TestA, TestB, …". */
export function describeRequired(r: RequiredTests, shown = 8): string {
  const names = r.ids.map(shortName);
  const list = `${names.slice(0, shown).join(', ')}${names.length > shown ? `, … (${names.length} in all)` : ''}`;
  const verb = r.runner === 'go' ? 'build' : 'load';
  return `the base's tests do not ${verb}: ${r.causes.join('; ')}; a candidate must make them ${verb} and pass: ${list}`;
}

/** Why a candidate's run does not meet the required tests; undefined when every one ran and passed. */
export function requiredFailure(r: RequiredTests, check: RequiredCheck | undefined): string | undefined {
  const verb = r.runner === 'go' ? 'build' : 'load';
  if (!check)
    return `the ${r.ids.length} tests the base could not ${verb} were not checked in this run (a sandbox worker older than test-first fixes probably ran it: update the workers)`;
  if (check.missingCount)
    return `${check.missingCount} of the ${check.required} tests the base could not ${verb} did not run (${check.missing.map(shortName).join('; ')}): a candidate must make them ${verb}, run and pass`;
  if (check.notPassedCount)
    return `${check.notPassedCount} of the ${check.required} tests the base could not ${verb} did not pass (${check.notPassed.map(shortName).join('; ')})`;
  return undefined;
}
