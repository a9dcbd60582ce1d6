// What a run pays around its tests, each part timed alone on a run's base:
// the base's test activity traced (its role) and untraced, a workspace rebuilt
// from its spec, the workspace guard around one run, the sandbox's own
// start-up, and the test command bare in a workspace.
import { MockActivityEnvironment } from '@temporalio/testing';
import { gitActivities, sandboxActivities } from '../../activities/index.js';
import { materialize } from '../../adapters/git/patch.js';
import { runCommand } from '../../adapters/process/process.js';
import { sandboxed } from '../../adapters/sandbox/sandbox.js';
import { guardWorkspace, markRunUnderWay, verifyWorkspace } from '../../adapters/workspace-guard/guard.js';
import type { WorkspaceSpec } from '../../core/contracts/workspace.js';
import type { RunInput } from '../../core/run/types.js';

export interface FixedCosts {
  baseTracedMs: number;
  baseUntracedMs: number;
  materializeMs: number;
  guardMs: number;
  sandboxStartMs: number;
  bareTestsMs: number;
}

const inActivity = <A extends unknown[], R>(fn: (...a: A) => Promise<R>, ...args: A): Promise<R> =>
  new MockActivityEnvironment({ heartbeatTimeoutMs: 30_000 }).run(fn, ...args);

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

let calls = 0;

export async function fixedCosts(input: RunInput, runId: string): Promise<FixedCosts> {
  const base = await inActivity(gitActivities.prepareRun, { repo: input.repo, baseRef: input.baseRef, runId, files: input.files, linkPaths: input.linkPaths });
  const spec: WorkspaceSpec = { source: input.source ?? input.repo, baseSha: base.baseSha, tree: base.baseTree!, runId, label: 'base' };
  const test = (role: 'base' | undefined) =>
    time(() =>
      inActivity(sandboxActivities.runTests, {
        workspace: spec,
        linkPaths: input.linkPaths,
        command: input.testCommand,
        timeoutSeconds: input.timeouts.testSeconds,
        label: 'baseline',
        protectedPaths: input.protectedPaths,
        ...(role ? { role } : {}),
        writable: input.writable,
      }),
    );
  // Alternated, so neither arm always runs on the warmer cache.
  const order = calls++ % 2 === 0;
  const first = await test(order ? 'base' : undefined);
  const second = await test(order ? undefined : 'base');
  const [baseTracedMs, baseUntracedMs] = order ? [first, second] : [second, first];

  let workspace = await materialize(spec, input.linkPaths);
  const materializeMs = await time(async () => {
    await workspace.remove();
    workspace = await materialize(spec, input.linkPaths);
  });
  const { dir } = workspace;
  let sandboxStartMs = 0;
  const guardMs = await time(async () => {
    const guard = await guardWorkspace(dir, { protectedGlobs: input.protectedPaths, writable: input.writable, reference: true });
    await markRunUnderWay(guard);
    sandboxStartMs = await time(async () => {
      const sandbox = await sandboxed(dir, 'true', guard);
      try {
        await runCommand({ command: 'true', argv: sandbox, cwd: dir, timeoutMs: 10_000 });
      } finally {
        await sandbox.release();
      }
    });
    await verifyWorkspace(dir, guard);
  });
  const bareTestsMs = await time(() => runCommand({ command: input.testCommand, cwd: dir, timeoutMs: input.timeouts.testSeconds * 1000 }));
  await workspace.remove();
  await inActivity(gitActivities.cleanupRun, { repo: input.repo, runId });
  return { baseTracedMs, baseUntracedMs, materializeMs, guardMs: guardMs - sandboxStartMs, sandboxStartMs, bareTestsMs };
}
