// The hidden tests: run once, after a task's run committed, on the committed
// code, in the sandbox, never shown to the model. For HumanEval, the
// problem's check(); for a user suite, its `hidden` command.
import { join } from 'node:path';
import { hiddenCheck } from '../../core/eval/humaneval.js';
import type { HiddenCheck } from '../../core/eval/judge-program.js';
import { mbppHiddenCheck } from '../../core/eval/mbpp.js';
import { mbppProblem } from '../../adapters/eval/mbpp-data.js';
import { parseSuite } from '../../core/eval/suite.js';
import type { JudgeRequest, JudgeResult } from '../../core/contracts/eval.js';
import { hiddenVerdict, sampleVerdict } from '../../core/eval/judge-batch.js';
import { loadHumanEval } from '../../adapters/eval/humaneval-data.js';
import { configError } from '../../adapters/errors.js';
import { freshWorktree, runDir } from '../../adapters/git/worktrees.js';
import { removeRun } from '../../adapters/git/run-cleanup.js';
import { readFile } from 'node:fs/promises';
import { runDriver, runJudge } from './judge-driver.js';

/** A built-in suite's hidden check for a task, and the solution.py a completion makes (HumanEval: the prompt, then the completion, as the reference harness joins them). */
export async function judgeInputs(suite: 'humaneval' | 'mbpp', task: string, completion = ''): Promise<{ check: HiddenCheck; solution: string }> {
  if (suite === 'humaneval') {
    const p = (await loadHumanEval()).find((x) => x.task_id === task);
    if (!p) throw configError(`HumanEval has no task ${task}`);
    return { check: hiddenCheck(p), solution: `${p.prompt}${completion}` };
  }
  const p = await mbppProblem(task);
  if (!p) throw configError(`MBPP has no task ${task}`);
  return { check: mbppHiddenCheck(p), solution: completion };
}

export async function judgeHidden(req: JudgeRequest): Promise<JudgeResult> {
  const timeoutSeconds = req.timeoutSeconds ?? 30;
  const runId = `judge-${req.label}`;
  const dir = join(runDir(runId), 'judged');
  try {
    await freshWorktree(req.repo, dir, req.commit, []);
    if (req.suite === 'humaneval' || req.suite === 'mbpp') {
      // A batch of one over the committed worktree: its solution.py in one process, the checks in another.
      const { check } = await judgeInputs(req.suite, req.task);
      const run = (await runDriver([{ dir, check }], { label: req.label, timeoutSeconds, workspace: dir })).get(0);
      if (!run) return { passed: false, reason: 'hidden tests: the judge was killed before its verdict (a sample that ends its judge fails)' };
      if (run.notRun) return { passed: false, reason: `hidden tests did not run: ${run.notRun}` };
      return sampleVerdict(run, timeoutSeconds);
    }
    const t = parseSuite(await readFile(req.suiteFile ?? '', 'utf8'), req.suiteFile).find((x) => x.id === req.task);
    if (!t?.hidden) throw configError(`task ${req.task} has no hidden test command`);
    return hiddenVerdict(await runJudge(dir, t.hidden, { timeoutMs: timeoutSeconds * 1000 }), timeoutSeconds);
  } finally {
    await removeRun({ repo: req.repo, runId });
  }
}
