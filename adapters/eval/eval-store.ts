import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rowKey, type EvalRow } from '../../core/eval/types.js';
import { dataPath } from '../state-dirs.js';

// An evaluation's own folder on the git worker's host: the task repositories
// it generated and results.jsonl, one line per finished task × sample. The
// file is what makes an eval resumable: re-run with the same id, the
// workflow reads it and skips what is there.

export function evalRoot(): string {
  return process.env.OURO_EVAL_ROOT ?? dataPath('eval');
}

export const evalDir = (evalId: string) => join(evalRoot(), evalId.replace(/[^A-Za-z0-9._-]/g, '_'));
export const resultsFile = (evalId: string) => join(evalDir(evalId), 'results.jsonl');
/** A built-in task's generated repository (HumanEval/0 → tasks/HumanEval-0), where its runs commit on their branches. */
export const taskRepoDir = (evalId: string, task: string) => join(evalDir(evalId), 'tasks', task.replace('/', '-'));

export async function appendRow(evalId: string, row: EvalRow): Promise<void> {
  await mkdir(evalDir(evalId), { recursive: true });
  await appendFile(resultsFile(evalId), `${JSON.stringify(row)}\n`);
}

/** The finished rows, one per task × sample (a row written twice by a retried activity counts once). */
export async function readRows(evalId: string): Promise<EvalRow[]> {
  const file = resultsFile(evalId);
  if (!existsSync(file)) return [];
  const rows = new Map<string, EvalRow>();
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (!line.trim()) continue;
    try {
      const row = JSON.parse(line) as EvalRow;
      rows.set(rowKey(row.task, row.sample), row);
    } catch {
      // A line cut by a crash mid-write: that task × sample runs again.
    }
  }
  return [...rows.values()];
}
