// `ouro eval report <id>`: report.md and a self-contained report.html (plots
// rendered to inline SVG with Vega-Lite and vega) from an eval's results file.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { buildReport, reportHtml } from '../../core/eval/report.js';
import { evalDir, readRows, resultsFile } from '../../adapters/eval/eval-store.js';
import { CliError } from '../client.js';

export async function evalReportCommand(id: string | undefined, o: { compare?: string; rounds?: string; out?: string }): Promise<number> {
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
  await writeFile(join(dir, 'report.md'), report.markdown);
  await writeFile(join(dir, 'report.html'), reportHtml(report, svgs, `Ouro eval ${id}`));
  process.stdout.write(`${report.markdown.split('```')[1]?.trim()}\nwrote ${join(dir, 'report.md')} and ${join(dir, 'report.html')}\n`);
  return 0;
}
