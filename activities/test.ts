import { Context } from '@temporalio/activity';
import type { TestRunResult } from '../lib/run-types.js';
import { parseTestCounts } from '../lib/test-report.js';
import { heartbeatEvery, runCommand } from './process.js';
import { guardWorkspace, sandboxed, verifyWorkspace } from './sandbox.js';

export interface RunTestsRequest {
  dir: string;
  command: string;
  timeoutSeconds: number;
  label: string;
  /** Globs whose files must be byte-identical after the run (tests, config…). */
  protectedPaths: string[];
}

/** Runs the target's test command in a workspace, sandboxed; a red suite is a result, not an error. */
export async function runTests(req: RunTestsRequest): Promise<TestRunResult> {
  const ctx = Context.current();
  const guard = await guardWorkspace(req.dir, req.protectedPaths);
  const sandbox = await sandboxed(req.dir, req.command, guard);
  let result;
  try {
    result = await runCommand({
      command: req.command,
      argv: sandbox,
      cwd: req.dir,
      timeoutMs: req.timeoutSeconds * 1000,
      signal: ctx.cancellationSignal,
      onTick: (ms) => ctx.heartbeat({ label: req.label, elapsedMs: Math.round(ms) }),
      tickMs: heartbeatEvery(ctx),
    });
  } finally {
    await sandbox.release();
  }
  // A cancelled run must not be reported as a verdict.
  if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? new Error('cancelled');
  const violations = await verifyWorkspace(req.dir, guard, req.protectedPaths);
  const counts = parseTestCounts(result.output);
  return { ...result, counts, violations, sandbox: sandbox.mode, passed: result.exitCode === 0 && (counts?.failed ?? 0) === 0 && violations.length === 0 };
}
