// What `ouro init` makes of the base's one test run, and the ouro.config.json it writes.
// Decided here: a suite that ran and failed still gets its config (the command is right; a
// red base is what `ouro run --fix` starts from), a command that never ran tests does not
// (the command, or the environment it needs, is wrong, and a config would only repeat it).

import { describeCounts, runnerEvidence, type TestCounts } from '../gate/test-report.js';
import type { RepoConfig } from '../run/input.js';

export interface BaseTestRun {
  exitCode: number | null;
  timedOut: boolean;
  output: string;
  counts?: TestCounts;
}

export type BaseVerdict = { kind: 'passed'; summary: string } | { kind: 'failed'; summary: string } | { kind: 'did-not-run'; summary: string };

export function baseVerdict(run: BaseTestRun, timeoutSeconds: number): BaseVerdict {
  if (run.timedOut) return { kind: 'did-not-run', summary: `the tests did not finish within ${timeoutSeconds} s (raise it with --timeout)` };
  const summary = describeCounts(run.counts, run.exitCode);
  if (run.exitCode === 0 && (run.counts?.failed ?? 0) === 0) return { kind: 'passed', summary };
  if (run.counts && run.counts.total > 0) return { kind: 'failed', summary };
  // Some runners print no count we read, yet show that they ran (go's package lines, pytest's "collected N items").
  if (runnerEvidence(run.output)) return { kind: 'failed', summary };
  return { kind: 'did-not-run', summary: `no test ran (exit ${run.exitCode ?? 'signal'})` };
}

/** The config written: only what init found, so every other default stays Ouro's. */
export function initConfig(found: { test: string; bench?: string; linkPaths: string[] }): RepoConfig {
  return {
    test: found.test,
    ...(found.bench ? { bench: found.bench } : {}),
    ...(found.linkPaths.length ? { linkPaths: found.linkPaths } : {}),
  };
}
