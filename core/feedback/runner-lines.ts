// How each test runner prints a test that passed (noise to a model fixing a
// failure) and the lines that say what failed (kept first when the output
// must be cut). Written against real output of pytest, go test (-v and
// not), cargo test, vitest, jest and node --test (spec and TAP reporters);
// the fixtures under test/unit/feedback/fixtures are that output.

import { stripAnsi } from '../views/excerpt.js';

export type FeedbackRunner = 'pytest' | 'go' | 'cargo' | 'vitest' | 'jest' | 'node:test';

export interface RunnerLines {
  /** Lines that say nothing about a failure: a passing or skipped test, progress, the runner's banner. */
  noise: RegExp[];
  /** Lines that say what failed: kept before any other when the output must be cut. */
  key: RegExp[];
  /** A stack frame's location inside the runner or the language's own library (not the code under test). */
  internalFrame?: RegExp;
  /** The line naming that frame's function, printed just before its location: dropped with it. */
  frameHead?: RegExp;
  /** Output a test prints before its verdict (go test -v): held, and dropped when the verdict is a pass or a skip. */
  held?: RegExp;
  passVerdict?: RegExp;
  /** A line after which held output belongs to another test (go's `=== CONT`/`=== NAME` under t.Parallel): what was held is kept. */
  heldEndsAt?: RegExp;
  /** A passing test's line that opens a block of its details (node's TAP: `ok 3 - name`, then `---` … `...`): all dropped. */
  passBlock?: { start: RegExp; open: RegExp; close: RegExp };
}

const GO: RunnerLines = {
  noise: [
    /^=== (RUN|PAUSE|CONT|NAME)\s/,
    /^\s*--- (PASS|SKIP): /,
    /^PASS$/,
    /^ok\s+\S+\s+([\d.]+s|\(cached\))/,
    /^\?\s+\S+\s+\[no test files\]/,
    /^goroutine \d+ \[/,
  ],
  key: [/^\s*--- FAIL: /, /^\s*\S+\.go:\d+: /, /^panic: /, /^FAIL\s+\S+/, /^\s*\S+_test\.go:\d+/],
  // A frame's location line under GOROOT's runtime or testing package (its function line goes with it).
  internalFrame: /^\t\S*\/src\/(runtime|testing|reflect)\/\S+\.go:\d+/,
  frameHead: /^(created by \S|\S.*\(.*\)$)/,
  held: /^\s+(?!--- )\S/,
  passVerdict: /^\s*--- (PASS|SKIP): /,
  heldEndsAt: /^=== (RUN|PAUSE|CONT|NAME)\s/,
};

const PYTEST: RunnerLines = {
  noise: [
    /^=+ test session starts =+$/,
    /^(platform|rootdir|cachedir|plugins|configfile|testpaths|cacheprovider|hypothesis profile)\b/,
    /^collect(ed|ing)\b/,
    // Progress: a file followed by its tests' letters, or -v's one line per test that did not fail.
    /^\S+\.py [.sxX]+\s*(\[\s*\d+%\])?$/,
    /^\S+::\S.* (PASSED|SKIPPED|XFAIL|XPASS)\b/,
    /^[.sxX]+\s*(\[\s*\d+%\])?$/,
  ],
  key: [/^E\s/, /^\S+\.py:\d+: \w*/, /^_{3,} .+ _{3,}$/, /^(FAILED|ERROR) /, /^=+ .*\d+ (failed|errors?|passed).* in [\d.]+s/, /^>\s/],
};

const CARGO: RunnerLines = {
  noise: [
    /^test \S+ \.\.\. (ok|ignored)\b/,
    /^\s*(Compiling|Finished|Running|Doc-tests|Downloaded|Downloading|Blocking|Locking|Updating)\b/,
    /^running \d+ tests?$/,
    /^stack backtrace:$/,
    /^note: Some details are omitted/,
    /^note: run with `RUST_BACKTRACE=1`/,
  ],
  key: [
    /^test \S+ \.\.\. FAILED/,
    /panicked at /,
    /^\s*(left|right)\s*:/,
    /^assertion .* failed/,
    /^---- \S+ stdout ----$/,
    /^test result: /,
    /^error(\[E\d+\])?: /,
    /^\s+--> \S+:\d+:\d+/,
  ],
  // std's and dependencies' frames: "  N: name" followed by "at /rustc/…" or a registry path.
  internalFrame: /^\s+at (\/rustc\/|\S*\/\.cargo\/|\S*\/\.rustup\/)/,
  frameHead: /^\s+\d+: \S/,
};

const VITEST: RunnerLines = {
  noise: [/^\s*(✓|√|↓)\s/, /^\s*RUN\s+v\d/, /^\s*(Start at|Duration)\s/, /^\s*⎯+(\[\d+\/\d+\])?⎯*\s*$/],
  key: [/^\s*(FAIL|×|✗)\s/, /\b\w*Error\b/, /^\s*[-+] (Expected|Received)/, /^\s*❯ \S+:\d+:\d+/, /^\s*(Tests|Test Files)\s/],
  internalFrame: /^\s*❯ \S*node_modules\//,
};

const JEST: RunnerLines = {
  noise: [/^\s*(✓|√|○)\s/, /^PASS\s/, /^\s*(Snapshots|Time|Ran all test suites)\b/],
  key: [/^\s*●\s/, /^FAIL\s/, /^\s*(Expected|Received)\b/, /\b\w*Error\b/, /^\s*at .*:\d+:\d+\)?$/, /^(Tests|Test Suites):\s/],
  internalFrame: /^\s*at .*(node_modules\/|node:internal)/,
};

const NODE_TEST: RunnerLines = {
  noise: [
    /^\s*✔\s/,
    /^# Subtest: /,
    /^\s*﹣\s.*# SKIP/,
    /^\s*ℹ (duration_ms|suites|todo|cancelled)\b/,
    /^TAP version \d+$/,
    /^\s*duration_ms: /,
    /^\s*# (duration_ms|suites|todo|cancelled)\b/,
  ],
  key: [
    /^\s*✖\s/,
    /^\s*not ok \d+/,
    /\b\w*Error\b/,
    /^\s*(location|expected|actual|operator):/,
    /!==|\bdeepStrictEqual\b/,
    /^\s*test at \S+:\d+:\d+/,
    /^\s*(ℹ|#) (tests|pass|fail|skipped)\b/,
  ],
  passBlock: { start: /^\s*ok \d+ /, open: /^\s*---$/, close: /^\s*\.\.\.$/ },
  internalFrame: /^\s*(at )?(async )?\S.*\((node:|\S*node_modules\/)|^\s*(at )?(async )?[\w.<>]+ \(node:|^\s*at node:/,
};

export const RUNNER_LINES: Record<FeedbackRunner, RunnerLines> = {
  pytest: PYTEST,
  go: GO,
  cargo: CARGO,
  vitest: VITEST,
  jest: JEST,
  'node:test': NODE_TEST,
};

/** The runner that printed this output, from what only it prints; undefined when none is recognised. */
export function detectRunner(output: string): FeedbackRunner | undefined {
  const text = stripAnsi(output);
  if (/^\s*(Test Files|Tests)\s+.*\(\d+\)\s*$/m.test(text) || /^\s*RUN\s+v\d+\.\d+/m.test(text)) return 'vitest';
  if (/^(Tests|Test Suites):\s/m.test(text)) return 'jest';
  if (/^(ℹ|#) (pass|fail) \d+\s*$/m.test(text) || /^TAP version \d+$/m.test(text)) return 'node:test';
  if (/^test result: \w+\. \d+ passed/m.test(text) || /^test \S+ \.\.\. (ok|FAILED)$/m.test(text)) return 'cargo';
  if (/^=+ test session starts =+$/m.test(text) || /^=+ .*\d+ (passed|failed).* in [\d.]+s/m.test(text)) return 'pytest';
  if (/^\s*--- (PASS|FAIL|SKIP): /m.test(text) || /^(ok|FAIL)\s+\S+\s+([\d.]+s|\(cached\))/m.test(text)) return 'go';
  return undefined;
}

/** The runner a parsed summary names (test-report.ts), in this module's terms. */
export function asFeedbackRunner(name: string | undefined): FeedbackRunner | undefined {
  return name !== undefined && name in RUNNER_LINES ? (name as FeedbackRunner) : undefined;
}
