// A search as the Web UI shows it (current details, Markdown): where it
// stands, the best-so-far curve, the best program's lineage, and the archive
// — each island's elites by cell. Bounded, so a long search's details stay
// small whatever the archive holds.
import { cellOf, programById } from '../evolve/archive.js';
import { ancestry, bestCurve, scoreName } from '../evolve/report.js';
import type { EvolveState, EvolveStatus, Program } from '../evolve/types.js';

const SPARK = '▁▂▃▄▅▆▇█';
/** Cells shown per island; the rest are counted. */
const CELLS_SHOWN = 6;
const CURVE_WIDTH = 40;

/** The best score after each evaluation as a one-line sparkline, at most CURVE_WIDTH characters. */
export function sparkline(values: readonly number[]): string {
  if (!values.length) return '';
  const step = Math.max(1, Math.ceil(values.length / CURVE_WIDTH));
  const sampled = values.filter((_, i) => i % step === step - 1 || i === values.length - 1);
  const lo = Math.min(...sampled);
  const hi = Math.max(...sampled);
  return sampled.map((v) => SPARK[hi === lo ? 0 : Math.round(((v - lo) / (hi - lo)) * (SPARK.length - 1))]).join('');
}

/** base → … → the program, each with its score. */
export function lineage(state: EvolveState, program: Program): string {
  return ancestry(state, program)
    .map((p) => (p.id === 'base' ? 'base' : `${p.id} ${p.score.toFixed(3)}×`))
    .join(' → ');
}

export function renderEvolveMarkdown(state: EvolveState, status: EvolveStatus, branch: string): string {
  const best = programById(state, state.bestId);
  const cost = state.spent.cost !== undefined ? `, $${state.spent.cost.toFixed(4)}` : '';
  const lines = [
    `**evolve** ${status.phase}: ${state.evaluations.length} evaluations, ${status.running} running · best ${best.id} ${best.score.toFixed(3)}× · ${state.promoted.length} promoted to \`${branch}\``,
    '',
    `spent: ${state.spent.drafts} drafts, ${state.spent.tokens} tokens${cost}${state.metric ? ` · scoring the metric "${state.metric}"` : ''}`,
  ];
  const curve = bestCurve(state)
    .filter((p) => p.island === 'all')
    .map((p) => p.best);
  if (curve.length)
    lines.push('', `best ${scoreName(state)} so far: \`${sparkline(curve)}\` 1.000× → ${curve.at(-1)!.toFixed(3)}× over ${curve.length} evaluations`);
  lines.push('', `lineage of the best: ${lineage(state, best)}`);
  if (state.promoted.length) lines.push('', `promoted: ${state.promoted.map((p) => `${p.programId} (${p.commit.slice(0, 10)})`).join(' → ')}`);
  lines.push('', '| island | cell | elite | score | generation | from |', '|---|---|---|---|---|---|');
  state.grids.forEach((grid, island) => {
    const elites = Object.values(grid)
      .map((id) => programById(state, id))
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    for (const p of elites.slice(0, CELLS_SHOWN))
      lines.push(`| ${island} | ${cellOf(state, p.features)} | ${p.id} | ${p.score.toFixed(3)}× | ${p.generation} | ${p.parent ?? '—'} |`);
    if (elites.length > CELLS_SHOWN) lines.push(`| ${island} | … ${elites.length - CELLS_SHOWN} more cells | | | | |`);
  });
  if (status.stopReason) lines.push('', `stopped: ${status.stopReason}`);
  return lines.join('\n');
}
