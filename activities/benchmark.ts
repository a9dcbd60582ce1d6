import { Context } from '@temporalio/activity';
import type { BenchRunResult } from '../lib/run-types.js';
import { compareMedians } from '../lib/bench-stats.js';
import { oneLine } from '../lib/excerpt.js';
import { heartbeatEvery, runCommand } from './process.js';
import { guardWorkspace, sandboxed, verifyWorkspace, type WorkspaceGuard } from './sandbox.js';
import type { SandboxMode } from '../lib/run-types.js';

export interface RunBenchmarkRequest {
  /** Globs whose files must be byte-identical after each run (the benchmark harness among them). */
  protectedPaths: string[];
  baseDir: string;
  /** Absent: only check that the baseline benchmark runs. */
  candidateDir?: string;
  command: string;
  runs: number;
  timeoutSeconds: number;
  label: string;
}

/**
 * Times the benchmark command as a whole process, base and candidate
 * interleaved (B, C, C, B, …) so slow drifts of the machine hit both arms.
 */
type Arm = 'base' | 'cand';
interface Step { arm: Arm; dir: string; measured: boolean }

/** Warm-ups (one per arm, unmeasured: first runs pay for cold caches), then interleaved pairs. */
export function benchPlan(baseDir: string, candidateDir: string | undefined, runs: number): Step[] {
  const steps: Step[] = [];
  if (candidateDir) steps.push({ arm: 'base', dir: baseDir, measured: false }, { arm: 'cand', dir: candidateDir, measured: false });
  for (let i = 0; i < runs; i++) {
    const pair: Step[] = [{ arm: 'base', dir: baseDir, measured: true }];
    if (candidateDir) pair.push({ arm: 'cand', dir: candidateDir, measured: true });
    steps.push(...(i % 2 === 0 ? pair : pair.reverse()));
  }
  return steps;
}

export async function runBenchmark(req: RunBenchmarkRequest): Promise<BenchRunResult> {
  const ctx = Context.current();
  const deadline = performance.now() + req.timeoutSeconds * 1000;
  const times: Record<Arm, number[]> = { base: [], cand: [] };
  const guards = new Map<string, WorkspaceGuard>();
  for (const dir of [req.baseDir, req.candidateDir]) if (dir) guards.set(dir, await guardWorkspace(dir, req.protectedPaths));
  let mode: SandboxMode = 'bwrap';
  for (const step of benchPlan(req.baseDir, req.candidateDir, req.runs)) {
    const who = step.arm === 'base' ? 'baseline' : 'candidate';
    const left = deadline - performance.now();
    if (left <= 0) return { ok: false, message: `benchmark budget of ${req.timeoutSeconds} s exhausted` };
    const guard = guards.get(step.dir)!;
    const sandbox = await sandboxed(step.dir, req.command, guard);
    mode = sandbox.mode;
    const r = await runCommand({
      command: req.command, argv: sandbox, cwd: step.dir, timeoutMs: left, signal: ctx.cancellationSignal,
      onTick: () => ctx.heartbeat({ label: req.label, done: times.base.length + times.cand.length }), tickMs: heartbeatEvery(ctx),
    }).finally(() => sandbox.release());
    if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? new Error('cancelled');
    if (r.timedOut) return { ok: false, message: `${who} benchmark killed after ${Math.round(r.durationMs / 1000)} s` };
    if (r.exitCode !== 0) return { ok: false, message: `${who} benchmark exited ${r.exitCode}: ${oneLine(r.output.slice(-600), 300)}` };
    const violations = await verifyWorkspace(step.dir, guard, req.protectedPaths);
    if (violations.length) return { ok: false, sandbox: mode, message: `the ${who} ${violations.join('; ')}` };
    if (step.measured) times[step.arm].push(r.durationMs);
  }
  if (!req.candidateDir) return { ok: true, sandbox: mode };
  return { ok: true, sandbox: mode, comparison: compareMedians(times.base, times.cand) };
}
