import { describe, expect, it } from 'vitest';
import { ignoredMissingReason, missingFileGlobs, missingNames } from '../../../core/gate/ignored-missing.js';
import { brokenBaseline } from '../../../core/gate/gate.js';
import type { TestRunResult } from '../../../core/contracts/sandbox.js';

// What pytest printed for a hatch-vcs package whose generated _version.py a fresh checkout lacks.
const PYTEST = `==================================== ERRORS ====================================
____________________ ERROR collecting tests/test_api.py ____________________
ImportError while importing test module '/w/base/tests/test_api.py'.
tests/test_api.py:1: in <module>
    import pkg
src/pkg/__init__.py:1: in <module>
    from ._version import version as __version__
E   ModuleNotFoundError: No module named 'pkg._version'
=========================== short test summary info ============================
ERROR tests/test_api.py
!!!!!!!!!!!!!!!!!!!! Interrupted: 5 errors during collection !!!!!!!!!!!!!!!!!!!!
5 errors in 0.31s
`;

const red = (output: string, ignoredMissing?: string[]): TestRunResult => ({
  exitCode: 2,
  output,
  timedOut: false,
  durationMs: 1,
  passed: false,
  violations: [],
  sandbox: 'bwrap',
  ...(ignoredMissing ? { ignoredMissing } : {}),
});

describe('a base that wanted a git-ignored file', () => {
  it('reads the missing module and files from the output', () => {
    expect(missingNames(PYTEST).modules).toEqual(['pkg._version']);
    expect(missingFileGlobs(PYTEST)).toEqual(['**/pkg/_version.py', '**/pkg/_version/__init__.py', '**/pkg.py', '**/pkg/__init__.py']);
    expect(missingNames("ImportError: cannot import name 'version' from 'pkg._version' (unknown location)").modules).toEqual(['pkg._version']);
    expect(missingNames("FileNotFoundError: [Errno 2] No such file or directory: 'data/generated.json'").files).toEqual(['data/generated.json']);
  });

  // Hostile or odd outputs: absolute paths, paths climbing out, names with shell syntax, a flood of names.
  it('never turns an absolute, climbing or odd name into a glob, and caps how many it reads', () => {
    expect(missingNames("No such file or directory: '/etc/shadow'\nNo such file or directory: '../x/y'").files).toEqual([]);
    expect(missingNames("No module named 'a; rm -rf /'").modules).toEqual([]);
    const flood = Array.from({ length: 100 }, (_, i) => `No module named 'm${i}'`).join('\n');
    expect(missingNames(flood).modules).toHaveLength(20);
    expect(missingFileGlobs('5 passed in 0.1s')).toEqual([]);
  });

  it('says in one line which files and the flag that supplies them', () => {
    expect(ignoredMissingReason(['src/pkg/_version.py'])).toBe(
      'src/pkg/_version.py is git-ignored in your checkout and missing in the workspace: pass --copy src/pkg/_version.py',
    );
    expect(ignoredMissingReason(['a.py', 'b.py', 'c.py', 'd.py'])).toBe(
      'a.py, b.py, c.py (and 1 more) are git-ignored in your checkout and missing in the workspace: pass --copy a.py --copy b.py --copy c.py',
    );
    expect(ignoredMissingReason([])).toBeUndefined();
  });

  it("is the broken base's reason, though pytest ran and reported collection errors", () => {
    expect(brokenBaseline(red(PYTEST), '')).toBeUndefined();
    expect(brokenBaseline(red(PYTEST, ['src/pkg/_version.py']), '')).toMatch(/^src\/pkg\/_version\.py is git-ignored .*: pass --copy src\/pkg\/_version\.py$/);
    expect(brokenBaseline({ ...red(PYTEST, ['src/pkg/_version.py']), exitCode: 0, passed: true }, '')).toBeUndefined();
  });
});
