// Completions produced elsewhere (`ouro eval samples.jsonl`), judged by their
// hidden tests many to a sandbox: one sandbox, a driver that runs each
// sample in a fresh process and lets none reach the next
// (core/eval/judge-batch.ts says how). A sample that kills the driver or
// outlives the batch costs a rerun of the samples left, each alone.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRIVER_PROGRAM, driverStarted, hiddenVerdict, parseDriverFrames, type DriverSample, type SampleRun } from '../../core/eval/judge-batch.js';
import { oneLine } from '../../core/views/excerpt.js';
import type { JudgeBatchRequest, JudgeBatchResult } from '../../core/contracts/eval.js';
import { runDir } from '../../adapters/git/worktrees.js';
import { sandboxMode } from '../../adapters/sandbox/sandbox.js';
import { interpreter, judgeInputs, runJudge } from './judge.js';

export async function judgeBatch(req: JudgeBatchRequest): Promise<JudgeBatchResult> {
  const timeoutSeconds = req.timeoutSeconds ?? 30;
  const samples = await Promise.all(
    req.samples.map(async (s) => ({ ...(await judgeInputs(req.suite, s.task, s.completion)), token: randomBytes(16).toString('hex') })),
  );
  const runs = await runDriver(samples, `${req.label}`, timeoutSeconds);
  let rerun = 0;
  if (samples.length > 1) {
    for (let i = 0; i < samples.length; i++) {
      if (runs.has(i) && !runs.get(i)!.notRun) continue;
      // Alone, so whatever ended the batch (a killed driver, processes it could not stop) can only end this sample.
      rerun++;
      const alone = (await runDriver([samples[i]!], `${req.label}-${i}`, timeoutSeconds)).get(0);
      if (alone) runs.set(i, alone);
      else runs.delete(i);
    }
  }
  return {
    rerun,
    verdicts: req.samples.map((s, i) => {
      const run = runs.get(i);
      if (!run) return { key: s.key, passed: false, reason: 'hidden tests: the judge was killed before its verdict (a sample that ends its judge fails)' };
      if (run.notRun) return { key: s.key, passed: false, reason: `hidden tests did not run: ${run.notRun}` };
      return { key: s.key, ...hiddenVerdict(run, samples[i]!.token, timeoutSeconds) };
    }),
  };
}

/** One sandbox, one driver, these samples in order: the frames it printed, by sample index. */
async function runDriver(samples: DriverSample[], label: string, timeoutSeconds: number): Promise<Map<number, SampleRun>> {
  const dir = join(runDir(`judge-${label}`), 'batch');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  // The guard and the sandbox stand on a git workspace: an empty one, which the driver empties again between samples.
  const git = (...a: string[]) => execa('git', ['-c', 'user.name=ouro', '-c', 'user.email=ouro@localhost', ...a], { cwd: dir });
  await git('init', '-q');
  await git('commit', '-q', '--allow-empty', '-m', 'judge');
  let bare: string | undefined;
  try {
    const command = `'${await interpreter()}' -s -c '${DRIVER_PROGRAM.replace(/'/g, `'\\''`)}'`;
    const mode = await sandboxMode();
    if (mode !== 'bwrap' && samples.length > 1) {
      // No PID namespace: the driver cannot stop a sample's leftovers without reaching the host's processes, so one sandbox each.
      const runs = new Map<number, SampleRun>();
      for (let i = 0; i < samples.length; i++) {
        const one = (await runDriver([samples[i]!], `${label}-${i}`, timeoutSeconds)).get(0);
        if (one) runs.set(i, one);
      }
      return runs;
    }
    if (mode !== 'bwrap') bare = await mkdtemp(join(tmpdir(), 'ouro-judge-'));
    const nonce = randomBytes(16).toString('hex');
    const manifest = {
      nonce,
      timeoutSeconds,
      barrier: mode === 'bwrap',
      // Inside the sandbox, everything a sample may write: its private /tmp and /dev/shm, and the workspace.
      wipe: bare ? [bare] : ['/tmp', '/dev/shm', dir],
      scratch: bare ?? '/tmp',
      samples,
    };
    const result = await runJudge(dir, command, {
      timeoutMs: (samples.length * (timeoutSeconds + 2) + 30) * 1000,
      input: JSON.stringify(manifest),
      heartbeat: { label },
    });
    // No ready frame: the driver never got to the samples (a host without Python, a sandbox that failed), retried as the host's fault.
    if (!driverStarted(result.output, nonce)) throw new Error(`the judge's driver did not start: ${oneLine(result.output, 300) || `exit ${result.exitCode}`}`);
    return parseDriverFrames(result.output, nonce, samples.length);
  } finally {
    await rm(runDir(`judge-${label}`), { recursive: true, force: true });
    if (bare) await rm(bare, { recursive: true, force: true });
  }
}
