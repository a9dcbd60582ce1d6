// Same tests, not as many tests: a candidate passes only when every test the
// base ran (by identity: where it lives and its full name, from the runner's
// structured report) ran again and passed. Added tests are welcome; they
// cannot stand in for the base's. Pure: parses report text.

import { XMLParser } from 'fast-xml-parser';

export type TestOutcome = 'passed' | 'failed' | 'skipped';

export interface TestCase {
  /** Stable across workspaces: file or class, enclosing suites, name; workspace paths replaced by '.'. */
  id: string;
  outcome: TestOutcome;
  /** Not a test: a test file or module that failed to load or collect, which its runner lists in a test's place. */
  loadError?: true;
}

export type ReportFormat = 'junit' | 'jest-json';

export interface ReportSummary {
  format: ReportFormat;
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Of `failed`, entries that are test files which failed to load or collect, not tests. Only when there are some. */
  loadErrors?: number;
}

/** How a candidate's tests were compared with the base's. */
export interface IdentityCheck {
  /** `identity`: test by test from structured reports; `count`: only the number of tests (no report could be had). */
  method: 'identity' | 'count';
  /** Why identity could not be used. */
  note?: string;
  baseTests?: number;
  /** Base tests that did not run at all (first few), and how many. */
  missing?: string[];
  missingCount?: number;
  /** Base tests that ran and did not pass (failed or skipped), first few, and how many. */
  notPassed?: string[];
  notPassedCount?: number;
  /** Tests the candidate ran that the base did not. */
  added?: number;
  /** Base tests that failed in the base (first few), and how many: a candidate the gate passed makes them pass. Only when there are some. */
  failedInBase?: string[];
  failedInBaseCount?: number;
}

const SHOWN = 5;

function stripWorkspace(text: string, workspaces: string[]): string {
  let out = text;
  for (const w of workspaces) if (w) out = out.split(`file://${w}`).join('.').split(w).join('.');
  return out;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

type XmlNode = Record<string, unknown>;

/** JUnit XML as vitest, jest-junit, mocha, node:test and pytest write it; nested suites become part of the name. */
export function parseJUnit(xml: string, workspaces: string[]): TestCase[] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name),
    processEntities: true,
    htmlEntities: true,
  });
  const doc = parser.parse(xml) as XmlNode;
  const out: TestCase[] = [];
  const visit = (node: XmlNode, suites: string[]) => {
    for (const tc of asArray(node.testcase as XmlNode[] | undefined)) {
      const attr = (k: string) => (typeof tc[`@${k}`] === 'string' ? (tc[`@${k}`] as string) : undefined);
      const where = attr('file') ?? attr('classname') ?? '';
      const path = [where, ...suites.filter((s) => s !== where), attr('name') ?? ''].filter(Boolean).join(' › ');
      const failed = asArray(tc.failure).length > 0 || asArray(tc.error).length > 0 || attr('failure') !== undefined;
      const skipped = asArray(tc.skipped).length > 0;
      const id = stripWorkspace(path, workspaces);
      const loadError = failed && isLoadError(tc, attr, stripWorkspace(attr('name') ?? '', workspaces));
      out.push({ id, outcome: failed ? 'failed' : skipped ? 'skipped' : 'passed', ...(loadError ? { loadError: true as const } : {}) });
    }
    for (const s of asArray(node.testsuite as XmlNode[] | undefined)) {
      const name = typeof s['@name'] === 'string' ? (s['@name'] as string) : '';
      // pytest names its one top-level suite "pytest"; vitest names suites after files (kept once, above).
      visit(s, name && name !== 'pytest' ? [...suites, name] : suites);
    }
  };
  const root = (doc.testsuites as XmlNode | undefined) ?? doc;
  visit(root, []);
  return out;
}

/**
 * How each runner lists a test file that failed to load in a test's place: pytest as an error whose message is
 * "collection failure"; vitest as a case named after its file (classname = name = the file); node's runner as a
 * case named by the file's path.
 */
function isLoadError(tc: XmlNode, attr: (k: string) => string | undefined, name: string): boolean {
  const messages = asArray(tc.error as XmlNode[] | undefined).map((e) => (typeof e === 'object' && e ? e['@message'] : undefined));
  if (messages.includes('collection failure')) return true;
  const where = attr('file') ?? attr('classname');
  if (where !== undefined && where !== '' && where === attr('name')) return true;
  return /^(?:\.|\/)\S*\.[cm]?[jt]sx?$/.test(name);
}

const JestJson = (
  v: unknown,
): v is { testResults: Array<{ name?: string; assertionResults?: Array<{ fullName?: string; title?: string; status?: string }> }> } =>
  typeof v === 'object' && v !== null && Array.isArray((v as { testResults?: unknown }).testResults);

/** jest's `--json` output. */
export function parseJestJson(text: string, workspaces: string[]): TestCase[] {
  const doc: unknown = JSON.parse(text);
  if (!JestJson(doc)) throw new Error('not a jest JSON report (no testResults)');
  const out: TestCase[] = [];
  for (const file of doc.testResults) {
    for (const a of file.assertionResults ?? []) {
      const outcome: TestOutcome = a.status === 'passed' ? 'passed' : a.status === 'failed' ? 'failed' : 'skipped';
      out.push({ id: stripWorkspace(`${file.name ?? ''} › ${a.fullName ?? a.title ?? ''}`, workspaces), outcome });
    }
  }
  return out;
}

export function parseReport(format: ReportFormat, text: string, workspaces: string[]): TestCase[] {
  return format === 'junit' ? parseJUnit(text, workspaces) : parseJestJson(text, workspaces);
}

export function summarize(format: ReportFormat, cases: TestCase[]): ReportSummary {
  const count = (o: TestOutcome) => cases.filter((c) => c.outcome === o).length;
  const loadErrors = cases.filter((c) => c.loadError).length;
  return { format, tests: cases.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), ...(loadErrors ? { loadErrors } : {}) };
}

/**
 * Every test the base ran (passed or failed; not skipped) must run again and pass, as many times as the base ran it.
 * A base's file that failed to load is no test: a fix that makes it load is held to nothing under its name.
 */
export function compareWithBase(base: TestCase[], candidate: TestCase[]): IdentityCheck {
  const ran = new Map<string, number>();
  for (const t of base) if (t.outcome !== 'skipped' && !t.loadError) ran.set(t.id, (ran.get(t.id) ?? 0) + 1);
  const got = new Map<string, TestOutcome[]>();
  for (const t of candidate) got.set(t.id, [...(got.get(t.id) ?? []), t.outcome]);
  const missing: string[] = [];
  const notPassed: string[] = [];
  for (const [id, times] of ran) {
    const outcomes = got.get(id) ?? [];
    const passes = outcomes.filter((o) => o === 'passed').length;
    if (passes >= times) continue;
    if (outcomes.length === 0) missing.push(id);
    else notPassed.push(`${id} (${outcomes.find((o) => o !== 'passed') ?? 'ran fewer times'})`);
  }
  const baseIds = new Set(base.map((t) => t.id));
  const failedInBase = [...new Set(base.filter((t) => t.outcome === 'failed' && !t.loadError).map((t) => t.id))];
  return {
    method: 'identity',
    baseTests: [...ran.values()].reduce((a, b) => a + b, 0),
    missing: missing.slice(0, SHOWN),
    missingCount: missing.length,
    notPassed: notPassed.slice(0, SHOWN),
    notPassedCount: notPassed.length,
    added: candidate.filter((t) => !baseIds.has(t.id)).length,
    ...(failedInBase.length ? { failedInBase: failedInBase.slice(0, SHOWN), failedInBaseCount: failedInBase.length } : {}),
  };
}

/** For a committed run's record: the tests that failed in the base (each passes in the commit, or the gate would not have passed it). */
export function describeFailedInBase(c: IdentityCheck | undefined): string {
  if (c?.method !== 'identity' || !c.failedInBaseCount || !c.failedInBase?.length) return '';
  const more = c.failedInBaseCount - c.failedInBase.length;
  return `failed in the base, pass now: ${c.failedInBase.join('; ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** One line for the run's table and the Web UI. */
export function describeIdentity(c: IdentityCheck | undefined): string {
  if (!c) return '';
  if (c.method === 'count') return `tests compared by count only (${c.note ?? 'no structured report'})`;
  const parts = [`all ${c.baseTests} base tests ran and passed`];
  if (c.missingCount) parts[0] = `${c.missingCount} of the base's ${c.baseTests} tests did not run (${c.missing!.join('; ')})`;
  else if (c.notPassedCount) parts[0] = `${c.notPassedCount} of the base's ${c.baseTests} tests did not pass (${c.notPassed!.join('; ')})`;
  if (c.added) parts.push(`${c.added} added`);
  return parts.join(', ');
}
