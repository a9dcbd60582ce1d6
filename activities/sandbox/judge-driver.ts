// One sandbox, one driver (core/eval/judge-batch.ts), these samples in order: the frames it printed, by
// sample index. Shared by the batches of samples (judge-batch.ts) and the hidden tests of one committed
// run (judge.ts), which is a batch of one over the run's worktree.
import { Context } from '@temporalio/activity';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRIVER_PROGRAM, driverStarted, parseDriverFrames, type DriverManifest, type DriverSample, type SampleRun } from '../../core/eval/judge-batch.js';
import { CANDIDATE_PROGRAM } from '../../core/eval/judge-candidate.js';
import { CHECKER_PROGRAM } from '../../core/eval/judge-checker.js';
import { oneLine } from '../../core/views/excerpt.js';
import { runDir } from '../../adapters/git/worktrees.js';
import { PROJECT_ROOT } from '../../adapters/project-root.js';
import { STATE_DIRS } from '../../adapters/state-dirs.js';
import { sandboxed, sandboxMode } from '../../adapters/sandbox/sandbox.js';
import { heartbeatEvery, runCommand } from '../../adapters/process/process.js';
import type { CommandResult } from '../../core/contracts/sandbox.js';
import { DEFAULT_PROTECTED } from '../../core/run/file-rules.js';
import { guardWorkspace, markRunUnderWay, verifyWorkspace } from '../../adapters/workspace-guard/guard.js';

let python: Promise<string> | undefined;
/** The interpreter `python3` names on this host, resolved once: a version manager's shim (pyenv) costs ~100 ms a call. */
export function interpreter(): Promise<string> {
  python ??= execa('python3', ['-c', 'import sys; print(sys.executable)']).then(
    (r) => r.stdout.trim() || 'python3',
    () => 'python3',
  );
  return python;
}

export interface DriverOptions {
  label: string;
  timeoutSeconds: number;
  /** A workspace of the caller's (a run's worktree, whose solution.py the one sample imports): kept, never wiped. Else an empty one of the driver's own. */
  workspace?: string;
}

export async function runDriver(samples: DriverSample[], opts: DriverOptions): Promise<Map<number, SampleRun>> {
  const own = opts.workspace ? undefined : join(runDir(`judge-${opts.label}`), 'batch');
  const dir = opts.workspace ?? own!;
  if (own) {
    await rm(own, { recursive: true, force: true });
    await mkdir(own, { recursive: true });
    // The guard and the sandbox stand on a git workspace: an empty one, which the driver empties again between samples.
    const git = (...a: string[]) => execa('git', ['-c', 'user.name=ouro', '-c', 'user.email=ouro@localhost', ...a], { cwd: own });
    await git('init', '-q');
    await git('commit', '-q', '--allow-empty', '-m', 'judge');
  }
  let bare: string | undefined;
  try {
    const command = `'${await interpreter()}' -s -c '${DRIVER_PROGRAM.replace(/'/g, `'\\''`)}'`;
    const mode = await sandboxMode();
    if (mode !== 'bwrap' && samples.length > 1) {
      // No PID namespace: the driver cannot stop a sample's leftovers without reaching the host's processes, so one sandbox each.
      const runs = new Map<number, SampleRun>();
      for (let i = 0; i < samples.length; i++) {
        const one = (await runDriver([samples[i]!], { ...opts, label: `${opts.label}-${i}` })).get(0);
        if (one) runs.set(i, one);
      }
      return runs;
    }
    if (mode !== 'bwrap') bare = await mkdtemp(join(tmpdir(), 'ouro-judge-'));
    const nonce = randomBytes(16).toString('hex');
    const manifest: DriverManifest = {
      nonce,
      timeoutSeconds: opts.timeoutSeconds,
      barrier: mode === 'bwrap',
      // Inside the sandbox, everything a sample may write: its private /tmp and /dev/shm, and a workspace of the driver's own.
      wipe: bare ? [bare] : ['/tmp', '/dev/shm', ...(own ? [own] : [])],
      scratch: bare ?? '/tmp',
      samples,
      candidateProgram: CANDIDATE_PROGRAM,
      checkerProgram: CHECKER_PROGRAM,
    };
    const result = await runJudge(dir, command, {
      timeoutMs: (samples.length * (opts.timeoutSeconds + 2) + 30) * 1000,
      input: JSON.stringify(manifest),
      heartbeat: { label: opts.label },
    });
    // No ready frame: the driver never got to the samples (a host without Python, a sandbox that failed), retried as the host's fault.
    if (!driverStarted(result.output, nonce)) throw new Error(`the judge's driver did not start: ${oneLine(result.output, 300) || `exit ${result.exitCode}`}`);
    return parseDriverFrames(result.output, nonce, samples.length);
  } finally {
    if (own) await rm(runDir(`judge-${opts.label}`), { recursive: true, force: true });
    if (bare) await rm(bare, { recursive: true, force: true });
  }
}

/**
 * A judge's command in the sandbox over `dir`, guarded like a test run (the workspace must
 * hash to what it was given afterwards), heartbeating while it runs; shared by the hidden
 * tests of one committed run and the batches of samples judged many to a sandbox.
 */
export async function runJudge(dir: string, command: string, opts: { timeoutMs: number; input?: string; heartbeat?: unknown }): Promise<CommandResult> {
  const ctx = Context.current();
  const guard = await guardWorkspace(dir, { protectedGlobs: DEFAULT_PROTECTED });
  await markRunUnderWay(guard);
  // Ouro's own folder and its data folder hold the suites' data (HumanEval's, MBPP's) and what evals wrote: hidden
  // from the candidate, unless the interpreter itself lives there (a virtual environment inside the project).
  const python = await interpreter();
  const own = STATE_DIRS.data.startsWith(`${PROJECT_ROOT}/`) ? [PROJECT_ROOT] : [PROJECT_ROOT, STATE_DIRS.data];
  const hide = own.filter((d) => !python.startsWith(`${d}/`));
  const sandbox = await sandboxed(dir, command, guard, undefined, { env: { PYTHONDONTWRITEBYTECODE: '1' }, hide });
  let result;
  try {
    result = await runCommand({
      command,
      argv: sandbox,
      cwd: dir,
      timeoutMs: opts.timeoutMs,
      signal: ctx.cancellationSignal,
      onTick: () => ctx.heartbeat(opts.heartbeat),
      tickMs: heartbeatEvery(ctx),
      ...(opts.input !== undefined ? { input: opts.input } : {}),
    });
  } finally {
    await sandbox.release();
  }
  await verifyWorkspace(dir, guard);
  if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? new Error('cancelled');
  return result;
}
