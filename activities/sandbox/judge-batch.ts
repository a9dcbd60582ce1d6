// Completions produced elsewhere (`ouro eval samples.jsonl`), judged by their
// hidden tests many to a sandbox: one sandbox, a driver that runs each
// sample in a fresh process and lets none reach the next
// (core/eval/judge-batch.ts says how; judge-driver.ts starts it). A sample that kills the driver or
// outlives the batch costs a rerun of the samples left, each alone.
import { sampleVerdict } from '../../core/eval/judge-batch.js';
import type { JudgeBatchRequest, JudgeBatchResult } from '../../core/contracts/eval.js';
import { judgeInputs } from './judge.js';
import { runDriver } from './judge-driver.js';

export async function judgeBatch(req: JudgeBatchRequest): Promise<JudgeBatchResult> {
  const timeoutSeconds = req.timeoutSeconds ?? 30;
  const samples = await Promise.all(req.samples.map((s) => judgeInputs(req.suite, s.task, s.completion)));
  const runs = await runDriver(samples, { label: req.label, timeoutSeconds });
  let rerun = 0;
  if (samples.length > 1) {
    for (let i = 0; i < samples.length; i++) {
      if (runs.has(i) && !runs.get(i)!.notRun) continue;
      // Alone, so whatever ended the batch (a killed driver, processes it could not stop) can only end this sample.
      rerun++;
      const alone = (await runDriver([samples[i]!], { label: `${req.label}-${i}`, timeoutSeconds })).get(0);
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
      return { key: s.key, ...sampleVerdict(run, timeoutSeconds) };
    }),
  };
}
