// One run of a repository's tests at its HEAD, in the sandbox, outside Temporal: what `ouro init`
// checks its test command with. The steps are a run's base test (activities/sandbox/test.ts):
// a fresh worktree with the dependency links, the workspace guard, the sandboxed command.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandResult, SandboxMode } from '../../core/contracts/sandbox.js';
import { planReport } from '../../core/gate/test-report-plan.js';
import { parseTestCounts, type TestCounts } from '../../core/gate/test-report.js';
import { DEFAULT_LIMITS } from '../../core/sandbox/sandbox-args.js';
import { freshWorktree, runDir } from '../git/worktrees.js';
import { git } from '../git/git.js';
import { removeRun } from '../git/run-cleanup.js';
import { runCommand } from '../process/process.js';
import { guardWorkspace, markRunUnderWay, verifyWorkspace } from '../workspace-guard/guard.js';
import { sandboxed } from './sandbox.js';

export interface CheckoutTestRun extends CommandResult {
  counts?: TestCounts;
  sandbox: SandboxMode;
  /** The commit the tests ran at. */
  sha: string;
}

export async function testCheckoutOnce(repo: string, command: string, linkPaths: string[], timeoutSeconds: number): Promise<CheckoutTestRun> {
  const sha = await git(repo, ['rev-parse', '--verify', 'HEAD^{commit}']);
  const runId = `init-${randomBytes(6).toString('hex')}`;
  const dir = join(runDir(runId), 'base');
  // The report file is not read: its variables are what make go name every test it ran (GOFLAGS=-v), which the count is read from.
  const reportDir = await mkdtemp(join(tmpdir(), 'ouro-report-'));
  try {
    await chmod(reportDir, 0o777);
    await freshWorktree(repo, dir, sha, linkPaths);
    const guard = await guardWorkspace(dir, { protectedGlobs: [], reference: true });
    const plan = planReport(command, undefined, join(reportDir, 'report'));
    await markRunUnderWay(guard);
    const sandbox = await sandboxed(dir, plan.command, guard, DEFAULT_LIMITS, { env: plan.env, writableDirs: [reportDir] });
    let result: CommandResult;
    try {
      result = await runCommand({ command: plan.command, argv: sandbox, cwd: dir, timeoutMs: timeoutSeconds * 1000 });
    } finally {
      await sandbox.release();
    }
    await verifyWorkspace(dir, guard);
    return { ...result, counts: parseTestCounts(result.output), sandbox: sandbox.mode, sha };
  } finally {
    await rm(reportDir, { recursive: true, force: true });
    await removeRun({ repo, runId });
  }
}
