// The hidden tests: run once, after a task's run committed, on the committed
// code, in the sandbox, never shown to the model. For HumanEval, the
// problem's check(); for a user suite, its `hidden` command.
import { Context } from '@temporalio/activity';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { hiddenJudgeProgram } from '../../core/eval/humaneval.js';
import { mbppJudgeProgram } from '../../core/eval/mbpp.js';
import { mbppProblem } from '../../adapters/eval/mbpp-data.js';
import { parseSuite } from '../../core/eval/suite.js';
import type { JudgeRequest, JudgeResult } from '../../core/contracts/eval.js';
import { DEFAULT_PROTECTED } from '../../core/run/file-rules.js';
import { hiddenVerdict } from '../../core/eval/judge-batch.js';
import { loadHumanEval } from '../../adapters/eval/humaneval-data.js';
import { configError } from '../../adapters/errors.js';
import { freshWorktree, runDir } from '../../adapters/git/worktrees.js';
import { heartbeatEvery, runCommand } from '../../adapters/process/process.js';
import type { CommandResult } from '../../core/contracts/sandbox.js';
import { sandboxed } from '../../adapters/sandbox/sandbox.js';
import { guardWorkspace, markRunUnderWay, verifyWorkspace } from '../../adapters/workspace-guard/guard.js';
import { removeRun } from '../../adapters/git/run-cleanup.js';
import { readFile } from 'node:fs/promises';

let python: Promise<string> | undefined;
/** The interpreter `python3` names on this host, resolved once: a version manager's shim (pyenv) costs ~100 ms a call. */
export function interpreter(): Promise<string> {
  python ??= execa('python3', ['-c', 'import sys; print(sys.executable)']).then(
    (r) => r.stdout.trim() || 'python3',
    () => 'python3',
  );
  return python;
}

/** A built-in suite's judge program for a task, and the solution.py a completion makes (HumanEval: the prompt, then the completion, as the reference harness joins them). */
export async function judgeInputs(suite: 'humaneval' | 'mbpp', task: string, completion = ''): Promise<{ program: string; solution: string }> {
  if (suite === 'humaneval') {
    const p = (await loadHumanEval()).find((x) => x.task_id === task);
    if (!p) throw configError(`HumanEval has no task ${task}`);
    return { program: hiddenJudgeProgram(p), solution: `${p.prompt}${completion}` };
  }
  const p = await mbppProblem(task);
  if (!p) throw configError(`MBPP has no task ${task}`);
  return { program: mbppJudgeProgram(p), solution: completion };
}

async function hiddenCommand(req: JudgeRequest): Promise<{ command: string; token?: string }> {
  if (req.suite === 'humaneval' || req.suite === 'mbpp') {
    const { program } = await judgeInputs(req.suite, req.task);
    return { command: `'${await interpreter()}' -c '${program.replace(/'/g, `'\\''`)}'`, token: randomBytes(16).toString('hex') };
  }
  const t = parseSuite(await readFile(req.suiteFile ?? '', 'utf8'), req.suiteFile).find((x) => x.id === req.task);
  if (!t?.hidden) throw configError(`task ${req.task} has no hidden test command`);
  return { command: t.hidden };
}

export async function judgeHidden(req: JudgeRequest): Promise<JudgeResult> {
  const { command, token } = await hiddenCommand(req);
  const runId = `judge-${req.label}`;
  const dir = join(runDir(runId), 'judged');
  try {
    await freshWorktree(req.repo, dir, req.commit, []);
    const result = await runJudge(dir, command, {
      timeoutMs: (req.timeoutSeconds ?? 30) * 1000,
      // The one-time token goes in before any of the candidate's code runs.
      ...(token ? { input: `${token}\n` } : {}),
    });
    return hiddenVerdict(result, token, req.timeoutSeconds ?? 30);
  } finally {
    await removeRun({ repo: req.repo, runId });
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
  const sandbox = await sandboxed(dir, command, guard, undefined, { env: { PYTHONDONTWRITEBYTECODE: '1' } });
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
