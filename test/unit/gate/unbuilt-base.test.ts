import { describe, expect, it } from 'vitest';
import type { TestRunResult } from '../../../core/contracts/sandbox.js';
import type { RequiredTests } from '../../../core/gate/required-tests.js';
import {
  describeHeldTo,
  heldPastCollectionErrors,
  needsRunPastCollectionErrors,
  pastCollectionErrorsEnv,
  secondRunSeconds,
  whyMeasuredNothing,
} from '../../../core/gate/unbuilt-base.js';

const REQUIRED: RequiredTests = {
  runner: 'pytest',
  ids: ['tests/test_b.py › test_b'],
  causes: ['tests/test_b.py imports b from m, which the code does not define'],
};
const FIRST: TestRunResult = {
  exitCode: 2,
  timedOut: false,
  durationMs: 100,
  output: 'ERROR collecting tests/test_b.py\nInterrupted: 1 error during collection\n',
  passed: false,
  violations: [],
  sandbox: 'bwrap',
  report: { format: 'junit', tests: 1, passed: 0, failed: 1, skipped: 0, loadErrors: 1 },
  counts: { passed: 0, failed: 0, skipped: 0, total: 0, runner: 'pytest', loadErrors: 1 },
  unbuiltTests: REQUIRED,
};
const PAST: TestRunResult = {
  ...FIRST,
  output: 'ERROR collecting tests/test_b.py\n3 passed, 1 error\n',
  report: { format: 'junit', tests: 4, passed: 3, failed: 1, skipped: 0, loadErrors: 1 },
  counts: { passed: 3, failed: 0, skipped: 0, total: 3, runner: 'pytest', loadErrors: 1 },
  unbuiltTests: REQUIRED,
};

describe('a pytest base that stopped at its collection errors is measured again past them', () => {
  it('only pytest is run again', () => {
    expect(needsRunPastCollectionErrors(FIRST)).toBe(true);
    expect(needsRunPastCollectionErrors({ ...FIRST, unbuiltTests: { ...REQUIRED, runner: 'go' } })).toBe(false);
    expect(needsRunPastCollectionErrors({ ...FIRST, unbuiltTests: undefined })).toBe(false);
  });

  it("the flag is appended to the report's own options, which stay", () => {
    expect(pastCollectionErrorsEnv({ PYTEST_ADDOPTS: '--junitxml=/r -o junit_family=xunit1', GOFLAGS: '-v' })).toEqual({
      PYTEST_ADDOPTS: '--junitxml=/r -o junit_family=xunit1 --continue-on-collection-errors',
      GOFLAGS: '-v',
    });
    expect(pastCollectionErrorsEnv({}).PYTEST_ADDOPTS).toBe('--continue-on-collection-errors');
  });

  it("the second run's report and counts are what the base holds; the first's output says what does not import", () => {
    const held = heldPastCollectionErrors(FIRST, PAST);
    expect(held).toMatchObject({ report: PAST.report, counts: PAST.counts, output: FIRST.output, unbuiltTests: REQUIRED, heldPastCollectionErrors: true });
    expect(describeHeldTo(held, REQUIRED)).toBe(
      'by identity: the 3 other tests the base ran past its collection errors (junit report, with --continue-on-collection-errors) must each run again and pass',
    );
  });

  it('hostile: a second run that did not finish, wrote no report or tripped the guard measured nothing: the case is refused', () => {
    for (const past of [
      { ...PAST, timedOut: true, durationMs: 600_000 },
      { ...PAST, report: undefined, reportNote: 'pytest wrote no report' },
      { ...PAST, violations: ['changed pytest.ini'] },
    ]) {
      const held = heldPastCollectionErrors(FIRST, past);
      expect(held.unbuiltTests).toBeUndefined();
      expect(held.unbuiltTestsNote).toMatch(/run again past its collection errors .* measured nothing/);
      expect(held.heldPastCollectionErrors).toBeUndefined();
    }
  });

  it('go says it is held by count outside the packages that did not build', () => {
    const go: RequiredTests = { runner: 'go', ids: ['e/x › TestA'], causes: [] };
    expect(describeHeldTo({ ...FIRST, counts: { passed: 2, failed: 0, skipped: 1, total: 3, runner: 'go' } }, go)).toBe(
      "by count: outside the packages that did not build, at least the base's 3 go test verdicts, 2 of them passed",
    );
  });
});

describe("the base's second run", () => {
  it('is given what the first left of the timeout, never less than a floor', () => {
    expect(secondRunSeconds(300, 100_000)).toBe(200);
    expect(secondRunSeconds(300, 295_500)).toBe(10);
    expect(secondRunSeconds(300, 900_000)).toBe(10);
  });

  it('holds the candidates (its record is written) only when it measured the other tests', () => {
    expect(whyMeasuredNothing(PAST)).toBeUndefined();
    expect(whyMeasuredNothing({ ...PAST, report: undefined, reportNote: 'pytest wrote no report' })).toBe('pytest wrote no report');
    expect(whyMeasuredNothing({ ...PAST, timedOut: true, durationMs: 60_000 })).toMatch(/killed after 60 s/);
    expect(whyMeasuredNothing({ ...PAST, violations: ['changed tests/test_a.py'] })).toBe('changed tests/test_a.py');
  });
});
