// Sandbox start-up cost: a trivial command (`true`) run bare and run under
// the sandbox, interleaved, in a real worktree of the example. Reports the
// wrapper alone and the whole per-run cost (guard before, verify after).
// Run: npm run bench:sandbox [-- --runs 60 --suite-runs 7]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExampleRepo } from '../dev/example-repo.js';
import { prepareRun, cleanupRun } from '../activities/git/workspace.js';
import { runCommand } from '../adapters/process/process.js';
import { MockActivityEnvironment } from '@temporalio/testing';
import { hasStrace, sandboxed, sandboxMode } from '../adapters/sandbox/sandbox.js';
import { guardWorkspace, markRunUnderWay, verifyWorkspace } from '../adapters/workspace-guard/guard.js';
import { runTests } from '../activities/sandbox/test.js';
import { DEFAULT_PROTECTED } from '../core/run/file-rules.js';
import { median } from '../core/stats/bench-stats.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 60;
const scratch = await mkdtemp(join(tmpdir(), 'ouro-bench-sbx-'));
const repo = await createExampleRepo({ parent: scratch });
const runId = `bench-sbx-${process.pid}`;
const { baseDir } = await prepareRun({ repo, baseRef: 'HEAD', runId, files: ['src/**/*.ts'], linkPaths: ['node_modules'] });
const mode = await sandboxMode();

const bare: number[] = [];
const wrapped: number[] = [];
const whole: number[] = [];
const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
for (let i = -3; i < runs; i++) {
  const b = await time(() => runCommand({ command: 'true', cwd: baseDir, timeoutMs: 10_000 }));
  const guard = await guardWorkspace(baseDir, DEFAULT_PROTECTED);
  const w = await time(async () => {
    await markRunUnderWay(guard);
    const s = await sandboxed(baseDir, 'true', guard);
    await runCommand({ command: 'true', argv: s, cwd: baseDir, timeoutMs: 10_000 });
    await s.release();
  });
  // Untimed: a run is always followed by its check, which leaves the workspace settled for the next guard.
  await verifyWorkspace(baseDir, guard);
  const all = await time(async () => {
    const g = await guardWorkspace(baseDir, DEFAULT_PROTECTED);
    await markRunUnderWay(g);
    const s = await sandboxed(baseDir, 'true', g);
    const r = await runCommand({ command: 'true', argv: s, cwd: baseDir, timeoutMs: 10_000 });
    await s.release();
    if (r.exitCode !== 0) throw new Error(`sandboxed true failed: ${r.output}`);
    await verifyWorkspace(baseDir, g);
  });
  if (i >= 0) {
    bare.push(b);
    wrapped.push(w);
    whole.push(all);
  }
}
const mb = median(bare);
const mw = median(wrapped);
const ma = median(whole);
console.log(
  JSON.stringify({
    mode,
    runs,
    bareMs: +mb.toFixed(1),
    sandboxedMs: +mw.toFixed(1),
    addedMs: +(mw - mb).toFixed(1),
    withGuardMs: +ma.toFixed(1),
    addedWithGuardMs: +(ma - mb).toFixed(1),
  }),
);
console.log(
  `sandbox (${mode}) adds ${(mw - mb).toFixed(1)} ms to a trivial command (${mb.toFixed(1)} → ${mw.toFixed(1)} ms, median of ${runs}); ${(ma - mb).toFixed(1)} ms with the workspace guard`,
);

// The base's test run is traced once per run (strace records what the runner looks for):
// the example's vitest suite through the test activity, traced (role base) and not, interleaved.
const suiteRuns = Number(process.argv[process.argv.indexOf('--suite-runs') + 1]) || 7;
if (await hasStrace()) {
  const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 60_000 });
  const suite = (role?: 'base') =>
    env.run(runTests, {
      dir: baseDir,
      command: './node_modules/.bin/vitest run',
      timeoutSeconds: 120,
      label: 'bench',
      protectedPaths: DEFAULT_PROTECTED,
      role,
    });
  const plain: number[] = [];
  const traced: number[] = [];
  for (let i = -1; i < suiteRuns; i++) {
    const p = await time(() => suite());
    const t = await time(() => suite('base'));
    if (i >= 0) {
      plain.push(p);
      traced.push(t);
    }
  }
  const mp = median(plain);
  const mt = median(traced);
  console.log(JSON.stringify({ suitePlainMs: Math.round(mp), suiteTracedMs: Math.round(mt), tracedRatio: +(mt / mp).toFixed(2), suiteRuns }));
  console.log(`the base's traced test run: ${Math.round(mp)} → ${Math.round(mt)} ms (${(mt / mp).toFixed(2)}×, median of ${suiteRuns}; once per run)`);
}
await cleanupRun({ repo, runId });
await rm(scratch, { recursive: true, force: true });
