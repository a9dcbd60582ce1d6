// Which embedded model should be the default: pass rate per minute of drafting
// on the first HumanEval tasks, one draft each, round 1, through the real draft
// activity (its prompt, its reply assembly) with each model in turn, judged by
// the task's hidden check in a fresh python3. No Temporal server: this picks a
// model; `ouro eval` measures the loop.
// Run: npm run bench:model-choice [-- --models qwen2.5-coder-1.5b,qwen2.5-coder-0.5b --tasks 20]
import { MockActivityEnvironment } from '@temporalio/testing';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DraftRequest, DraftResult } from '../core/contracts/draft.js';
import { parseEdits } from '../core/edits/formats/index.js';
import { humanEvalGoal, stubSolution, type HumanEvalProblem } from '../core/eval/humaneval.js';
import { wilsonInterval } from '../core/stats/wilson.js';
import { draftingOf, chooseLocalModel } from '../core/models/catalog.js';
import { ensureHumanEval, loadHumanEval } from '../adapters/eval/humaneval-data.js';
import { loadLocalModel, localModel } from '../adapters/model/local-model.js';
import { draft } from '../activities/draft/draft.js';

const { values: o } = parseArgs({
  options: { models: { type: 'string', default: 'qwen2.5-coder-1.5b,qwen2.5-coder-0.5b' }, tasks: { type: 'string', default: '20' } },
});

async function passes(p: HumanEvalProblem, solution: string): Promise<boolean> {
  const dir = await mkdtemp(join(tmpdir(), 'ouro-model-choice-'));
  try {
    await writeFile(join(dir, 'solution.py'), solution);
    const check = `from solution import *\n${p.test}\ncheck(${p.entry_point})\n`;
    const r = await execa('python3', ['-c', check], { cwd: dir, reject: false, timeout: 10_000 });
    return r.exitCode === 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await ensureHumanEval();
  const problems = (await loadHumanEval()).slice(0, Number(o.tasks));
  for (const name of o.models.split(',')) {
    process.env.OURO_LOCAL_MODEL = name;
    // A name may be a catalogue id or a GGUF path (path=label).
    const chosen = localModel();
    const t0 = performance.now();
    await loadLocalModel(chosen.path);
    const loadMs = performance.now() - t0;
    const d = draftingOf(chooseLocalModel(name));
    let passed = 0;
    let draftMs = 0;
    let tokens = 0;
    for (const [i, p] of problems.entries()) {
      const req: DraftRequest = {
        candidateId: 'r1c1',
        slot: { provider: 'local', count: 1, model: 'embedded', editFormat: 'whole-file', maxOutputTokens: d.maxOutputTokens, temperature: d.temperature },
        goal: humanEvalGoal(p),
        files: [{ path: 'solution.py', content: stubSolution(p) }],
        allowed: ['solution.py'],
        hints: [],
        feedback: [],
      };
      const r = (await new MockActivityEnvironment({ heartbeatTimeoutMs: 120_000 }).run(draft, req)) as DraftResult;
      draftMs += r.latencyMs;
      tokens += r.completionTokens;
      const parsed = parseEdits(r.text, 'whole-file');
      const edit = parsed.ok ? parsed.edits.find((e) => e.kind === 'whole-file') : undefined;
      const ok = edit?.kind === 'whole-file' && (await passes(p, edit.content));
      if (ok) passed++;
      process.stderr.write(
        `${name} ${i + 1}/${problems.length} ${p.task_id}: ${ok ? 'pass' : 'FAIL'} (${r.completionTokens} tokens, ${(r.latencyMs / 1000).toFixed(1)} s)\n`,
      );
    }
    const minutes = draftMs / 60_000;
    const { low: lo, high: hi } = wilsonInterval(passed, problems.length);
    console.log(
      `${name}: ${passed}/${problems.length} passed (${((100 * passed) / problems.length).toFixed(0)}%, 95% CI ${(100 * lo).toFixed(0)}–${(100 * hi).toFixed(0)}%), ` +
        `${minutes.toFixed(1)} min drafting, ${(passed / minutes).toFixed(2)} passes/min, ${(tokens / problems.length).toFixed(0)} tokens/draft, load ${(loadMs / 1000).toFixed(1)} s`,
    );
  }
}

await main();
process.exit(0);
