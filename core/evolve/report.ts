// `ouro evolve report <id>`: Markdown and Vega-Lite chart specs from a
// search's archive (the CLI renders the specs to inline SVG with vega, as the
// eval report does). Pure.
import { cellOf } from './archive.js';
import { cellBins, DEFAULT_DIMS, dimTitle } from './features.js';
import type { EvolveState } from './types.js';
import { reportPage } from '../views/report-page.js';

type Spec = Record<string, unknown>;
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

export interface EvolveReport {
  markdown: string;
  charts: Array<{ title: string; spec: Spec }>;
}

/** The best score so far after each evaluation, per island and overall, with the tokens spent by then. */
export function bestCurve(state: EvolveState): Array<{ evaluation: number; tokens: number; island: string; best: number }> {
  const byId = new Map(state.programs.map((p) => [p.id, p]));
  const bestOf: Record<string, number> = { all: 1 };
  let tokens = 0;
  const points: Array<{ evaluation: number; tokens: number; island: string; best: number }> = [];
  for (const e of [...state.evaluations].sort((a, b) => a.index - b.index)) {
    tokens += e.tokens;
    const island = `island ${e.island}`;
    bestOf[island] ??= 1;
    const score = e.outcome === 'scored' ? (byId.get(e.programId)?.score ?? 1) : 1;
    bestOf[island] = Math.max(bestOf[island]!, score);
    bestOf.all = Math.max(bestOf.all!, score);
    points.push({ evaluation: e.index, tokens, island, best: bestOf[island]! }, { evaluation: e.index, tokens, island: 'all', best: bestOf.all! });
  }
  return points;
}

/** What a score is an improvement of: the chosen metric, or the benchmark's first. */
export function scoreName(state: Pick<EvolveState, 'metric'>): string {
  return state.metric ? `"${state.metric}"` : 'score';
}

export function buildEvolveReport(id: string, state: EvolveState): EvolveReport {
  const curve = bestCurve(state);
  const best = state.programs.reduce((a, b) => (b.score > a.score ? b : a));
  const scored = state.evaluations.filter((e) => e.outcome === 'scored').length;
  const outcomes = new Map<string, number>();
  for (const e of state.evaluations) outcomes.set(e.outcome, (outcomes.get(e.outcome) ?? 0) + 1);
  const lines = [
    `# ouro evolve ${id}`,
    '',
    '```',
    `evaluations: ${state.evaluations.length} (${[...outcomes].map(([o, n]) => `${n} ${o}`).join(', ')})`,
    `best: ${best.id} at ${best.score.toFixed(3)}× the base${state.metric ? ` on "${state.metric}"` : ''} (generation ${best.generation}, island ${best.island})`,
    `grid: ${(state.dims ?? DEFAULT_DIMS).join(' × ')}`,
    `promoted: ${state.promoted.map((p) => `${p.programId} ${p.score.toFixed(3)}×`).join(' → ') || 'none'}`,
    `spent: ${state.spent.drafts} drafts, ${state.spent.tokens} tokens; ${scored} programs scored`,
    '```',
    '',
    '## Programs (best first)',
    '',
    '| program | parent | island | generation | score | 95% interval | cell | by |',
    '|---|---|---|---|---|---|---|---|',
    ...[...state.programs]
      .sort((a, b) => b.score - a.score)
      .map(
        (p) =>
          `| ${p.id} | ${p.parent ?? '—'} | ${p.island} | ${p.generation} | ${p.score.toFixed(3)} | ${p.interval ? `${p.interval[0].toFixed(3)}–${p.interval[1].toFixed(3)}` : '—'} | ${cellOf(state, p.features)} | ${p.provider} |`,
      ),
    '',
    '## Evaluations not scored',
    '',
    ...state.evaluations
      .filter((e) => e.outcome !== 'scored')
      .map((e) => `- ${e.programId} (from ${e.parent}): ${e.outcome}${e.reason ? ` — ${e.reason.split('\n')[0]!.slice(0, 200)}` : ''}`),
  ];
  const line = (x: string, title: string): Spec => ({
    $schema: SCHEMA,
    width: 420,
    height: 240,
    data: { values: curve },
    mark: { type: 'line', interpolate: 'step-after', point: true },
    encoding: {
      x: { field: x, type: 'quantitative', title },
      y: { field: 'best', type: 'quantitative', title: `best ${scoreName(state)} (× the base)` },
      color: { field: 'island', type: 'nominal' },
    },
  });
  const dims = state.dims ?? DEFAULT_DIMS;
  const grid = state.grids.flatMap((cells, island) =>
    Object.entries(cells).map(([cell, programId]) => {
      const [x, ...rest] = cellBins(cell);
      return {
        island: `island ${island}`,
        x: x!,
        y: rest.length ? rest.join(' / ') : '—',
        score: state.programs.find((p) => p.id === programId)?.score ?? 1,
        programId,
      };
    }),
  );
  const gridSpec: Spec = {
    $schema: SCHEMA,
    data: { values: grid },
    facet: { column: { field: 'island', type: 'nominal', title: null } },
    spec: {
      width: 160,
      height: 120,
      layer: [
        {
          mark: 'rect',
          encoding: {
            x: { field: 'x', type: 'ordinal', title: dimTitle(dims[0]!) },
            y: { field: 'y', type: 'ordinal', title: dims.length > 1 ? dims.slice(1).map(dimTitle).join(' / ') : null },
            color: { field: 'score', type: 'quantitative', title: 'elite score' },
          },
        },
        {
          mark: { type: 'text', fontSize: 9 },
          encoding: { x: { field: 'x', type: 'ordinal' }, y: { field: 'y', type: 'ordinal' }, text: { field: 'programId' } },
        },
      ],
    },
  };
  return {
    markdown: `${lines.join('\n')}\n`,
    charts: [
      { title: 'Best score vs evaluations', spec: line('evaluation', 'evaluations') },
      { title: 'Best score vs tokens', spec: line('tokens', 'tokens spent') },
      { title: 'The archive: each cell’s elite, per island', spec: gridSpec },
    ],
  };
}

export function evolveReportHtml(report: EvolveReport, svgs: string[], title: string): string {
  const details = { label: 'Programs and failed evaluations (Markdown)', fromHeading: '## Programs' };
  return reportPage({ title, markdown: report.markdown, charts: report.charts, svgs, details });
}
