// pytest stops the whole session at a collection error, so a base whose new test module cannot import
// its name yet ran no other test: its report holds only that module's load error, and a candidate held
// to it by identity would be held to nothing but the listed tests (another module made to skip at import
// would pass). So such a base is run once more with the collection errors not stopping the session
// (--continue-on-collection-errors), and that run's tests are the record every candidate is held to.
// This decides what the base's result says after that second run. Pure.

import type { TestRunResult } from '../contracts/sandbox.js';
import type { RequiredTests } from './required-tests.js';
import { testsThatRan } from './tests-ran.js';

/** Added to PYTEST_ADDOPTS for the base's second run. */
export const PAST_COLLECTION_ERRORS = '--continue-on-collection-errors';

/** The environment of the second run: the flag appended to whatever PYTEST_ADDOPTS already holds (the report's own options). */
export function pastCollectionErrorsEnv(env: Record<string, string>): Record<string, string> {
  return { ...env, PYTEST_ADDOPTS: `${env.PYTEST_ADDOPTS ?? ''} ${PAST_COLLECTION_ERRORS}`.trim() };
}

/** Whether a base's first run is one to measure again past its collection errors. */
export const needsRunPastCollectionErrors = (first: TestRunResult) => first.unbuiltTests?.runner === 'pytest';

/** Why a second run past the collection errors measured nothing; undefined when it holds the candidates (its record may be written). */
export function whyMeasuredNothing(past: TestRunResult): string | undefined {
  if (past.timedOut) return `it was killed after ${Math.round(past.durationMs / 1000)} s`;
  if (past.violations.length) return past.violations.join('; ');
  return past.report ? undefined : (past.reportNote ?? 'pytest wrote no report');
}

/** The least a second run is given, however long the first took. */
const SECOND_RUN_FLOOR_SECONDS = 10;

/**
 * Both runs share one activity's time (its start-to-close is the test timeout and a margin): the second
 * is given what the first left, so the activity does not time out and start both again.
 */
export function secondRunSeconds(timeoutSeconds: number, firstRunMs: number): number {
  return Math.max(SECOND_RUN_FLOOR_SECONDS, Math.floor(timeoutSeconds - firstRunMs / 1000));
}

/**
 * The base's result once measured past its collection errors: that run's report and counts (the record is
 * written from it), the first run's output (it names what does not import). A second run that did not
 * finish or wrote no report measured nothing: the case is refused, and the base stays broken.
 */
export function heldPastCollectionErrors(first: TestRunResult, past: TestRunResult): TestRunResult {
  const why = whyMeasuredNothing(past);
  if (why) {
    const { unbuiltTests: _dropped, ...rest } = first;
    return {
      ...rest,
      unbuiltTestsNote: `the base was run again past its collection errors (${PAST_COLLECTION_ERRORS}) to measure its other tests, and that run measured nothing: ${why}`,
    };
  }
  return { ...first, report: past.report, counts: past.counts ?? first.counts, probes: past.probes ?? first.probes, heldPastCollectionErrors: true };
}

/** What every candidate is held to, for the run's details: the base's other tests and the required ones. */
export function describeHeldTo(base: TestRunResult, required: RequiredTests): string {
  if (required.runner === 'pytest' && base.heldPastCollectionErrors && base.report) {
    const ran = testsThatRan(base.report);
    return `by identity: the ${ran} other tests the base ran past its collection errors (${base.report.format} report, with ${PAST_COLLECTION_ERRORS}) must each run again and pass`;
  }
  if (required.runner === 'go')
    return base.counts
      ? `by count: outside the packages that did not build, at least the base's ${base.counts.total} go test verdicts, ${testsThatRan(base.counts)} of them passed`
      : `by count: ${base.reportNote ?? 'no structured report'}`;
  return `by the required tests only: ${base.reportNote ?? 'the base ran no other test'}`;
}
