import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MBPP_TEST_IDS, MbppProblemSchema, mbppTaskId, type MbppProblem } from '../../core/eval/mbpp.js';
import { PROJECT_ROOT } from '../project-root.js';

// MBPP ships with Ouro (data/mbpp/, CC BY 4.0, its README says where it
// comes from and how it was checked against the original): no registry
// package carries it.
export const MBPP_FILE = join(PROJECT_ROOT, 'data', 'mbpp', 'mbpp.jsonl');
export const MBPP_SHA256 = '0b7004a79cd62d9ec7ecdd5a6e5f0ef1210ff00b286df3c5d5b57bf38c58e19a';

/** The 974 problems, validated; the test split is MBPP/11 … MBPP/510. */
export async function loadMbpp(): Promise<MbppProblem[]> {
  if (!existsSync(MBPP_FILE)) throw new Error(`MBPP's data is missing (${MBPP_FILE}): it ships with Ouro; restore it with git`);
  const raw = await readFile(MBPP_FILE);
  const sha = createHash('sha256').update(raw).digest('hex');
  if (sha !== MBPP_SHA256) throw new Error(`${MBPP_FILE} does not match its sha256 (${sha}): restore it with git`);
  return raw
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const parsed = MbppProblemSchema.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`${MBPP_FILE} line ${i + 1}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}

export const isMbppTestTask = (p: MbppProblem) => p.task_id >= MBPP_TEST_IDS.first && p.task_id <= MBPP_TEST_IDS.last;

export async function mbppProblem(task: string): Promise<MbppProblem | undefined> {
  return (await loadMbpp()).find((p) => mbppTaskId(p) === task);
}
