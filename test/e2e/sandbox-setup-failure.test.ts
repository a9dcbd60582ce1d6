// A sandbox that could not be set up is the host's failure, not the tests'.
// With the real bubblewrap: just after the run is spawned, the folder a
// dependency link leads to (bound read-only by bwrap), or the workspace
// itself, is moved away, as when something cleaned it from under the run; bwrap
// cannot bind it, prints "bwrap: ..." and exits 1 without running anything.
// runTests throws a retryable failure (the activity's retry policy runs it
// again) instead of returning a red suite that would mark the base broken;
// the retry, with the folder back, passes. A suite that itself prints
// "bwrap: ..." and exits 1 stays a red suite.
import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { execa } from 'execa';
import { renameSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { runTests, SANDBOX_SETUP_FAILURE } from '../../activities/sandbox/test.js';
import { sandboxMode } from '../../adapters/sandbox/sandbox.js';
import { workspaceRoot } from '../../adapters/git/worktrees.js';
import { CONFIG_ERROR_TYPES } from '../../core/run/errors.js';
import type { TestRunResult } from '../../core/contracts/sandbox.js';

const usable = (await sandboxMode().catch(() => 'degraded')) === 'bwrap';
if (!usable) console.warn('sandbox-setup-failure.test.ts: skipped (needs a working bubblewrap)');

const root = join(workspaceRoot(), `setup-failure-${randomBytes(4).toString('hex')}`);
afterAll(() => rm(root, { recursive: true, force: true }));

async function workspace(name: string, testScript: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'test.sh'), testScript);
  await execa('git', ['init', '-q'], { cwd: dir });
  await execa('git', ['add', '.'], { cwd: dir });
  await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base'], { cwd: dir });
  return dir;
}

function runIn(env: MockActivityEnvironment, dir: string, label: string): Promise<TestRunResult> {
  return env.run(runTests, { dir, command: 'sh test.sh', timeoutSeconds: 60, label, protectedPaths: [], role: 'base' as const }) as Promise<TestRunResult>;
}

/** Runs the base's tests with `path` moved away as the run is spawned; gives back what runTests threw or returned. */
async function withVanished(dir: string, path: string): Promise<unknown> {
  const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 60_000 });
  let moved = false;
  // The first heartbeat comes right after the run is spawned, before bwrap has set anything up.
  env.on('heartbeat', (d: unknown) => {
    if (!moved && (d as { elapsedMs?: number }).elapsedMs === 0) {
      renameSync(path, `${path}.away`);
      moved = true;
    }
  });
  try {
    return await runIn(env, dir, 'base').then(
      (r) => r,
      (e: unknown) => e,
    );
  } finally {
    if (moved) renameSync(`${path}.away`, path);
  }
}

function expectSetupFailure(thrown: unknown): void {
  expect(thrown, `a result instead of a failure: ${JSON.stringify(thrown)}`).toBeInstanceOf(ApplicationFailure);
  const failure = thrown as ApplicationFailure;
  expect(failure.type).toBe(SANDBOX_SETUP_FAILURE);
  expect(failure.nonRetryable).toBe(false);
  expect(CONFIG_ERROR_TYPES).not.toContain(failure.type);
  expect(failure.message).toMatch(/the sandbox could not start the tests \(bwrap: Can't find source path/);
}

describe.skipIf(!usable)("bubblewrap's own failure", () => {
  it('a dependency folder gone when bwrap binds it: retried (not a broken base), and the retry passes', async () => {
    const dir = await workspace('deps', 'cat node_modules/marker; exit 0\n');
    const deps = join(root, 'deps-target');
    await mkdir(deps, { recursive: true });
    await writeFile(join(deps, 'marker'), 'dependency here\n');
    await symlink(deps, join(dir, 'node_modules'));
    expectSetupFailure(await withVanished(dir, deps));
    const retry = await runIn(new MockActivityEnvironment({ heartbeatTimeoutMs: 60_000 }), dir, 'base retry');
    expect(retry.passed, retry.output + retry.violations.join('\n')).toBe(true);
    expect(retry.output).toContain('dependency here');
  }, 60_000);

  it('a workspace gone when bwrap binds it is a retryable infrastructure failure, and the retry passes', async () => {
    const dir = await workspace('vanishing', 'echo tests ran; exit 0\n');
    expectSetupFailure(await withVanished(dir, dir));
    const retry = await runIn(new MockActivityEnvironment({ heartbeatTimeoutMs: 60_000 }), dir, 'base retry');
    expect(retry.passed, retry.output + retry.violations.join('\n')).toBe(true);
    expect(retry.output).toContain('tests ran');
  }, 60_000);

  it('a suite that prints "bwrap: ..." and exits 1 is a red suite, not a setup failure', async () => {
    const dir = await workspace('liar', 'echo "bwrap: Can\'t find source path /nowhere: No such file or directory" >&2; exit 1\n');
    const result = await runIn(new MockActivityEnvironment({ heartbeatTimeoutMs: 60_000 }), dir, 'liar');
    expect(result.passed).toBe(false);
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('bwrap: ');
  }, 60_000);
});
