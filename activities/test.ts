import { Context } from '@temporalio/activity';
import type { TestRunResult } from '../lib/run-types.js';
import { parseTestCounts } from '../lib/test-report.js';
import { heartbeatEvery, runCommand } from './process.js';

export interface RunTestsRequest {
  dir: string;
  command: string;
  timeoutSeconds: number;
  label: string;
}

/** Runs the target's test command in a workspace; a red suite is a result, not an error. */
export async function runTests(req: RunTestsRequest): Promise<TestRunResult> {
  const ctx = Context.current();
  const result = await runCommand({
    command: req.command,
    cwd: req.dir,
    timeoutMs: req.timeoutSeconds * 1000,
    signal: ctx.cancellationSignal,
    onTick: (ms) => ctx.heartbeat({ label: req.label, elapsedMs: Math.round(ms) }),
    tickMs: heartbeatEvery(ctx),
  });
  // A cancelled run must not be reported as a verdict.
  if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? new Error('cancelled');
  const counts = parseTestCounts(result.output);
  return { ...result, counts, passed: result.exitCode === 0 && (counts?.failed ?? 0) === 0 };
}
