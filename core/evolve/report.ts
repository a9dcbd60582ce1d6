// `ouro evolve report <id>`: Markdown and Vega-Lite chart specs from a
// search's archive (the CLI renders the specs to inline SVG with vega, as the
// eval report does): the best speed-up so far on a log scale (a 2× and a
// 0.5× are as far from the base), each promotion marked on it, the best
// program's lineage back to the base, and the archive's grid. Pure.
import { cellOf } from './archive.js';
import { cellBins, DEFAULT_DIMS, dimTitle } from './features.js';
import type { EvolveState, Program } from './types.js';
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

/** The program's ancestors back to the base, oldest first, ending with the program (bounded, should a parent be missing or a loop appear). */
export function ancestry(state: Pick<EvolveState, 'programs'>, program: Program): Program[] {
  const chain: Program[] = [];
  const byId = new Map(state.programs.map((p) => [p.id, p]));
  for (let p: Program | undefined = program; p && chain.length < 50 && !chain.includes(p); p = p.parent ? byId.get(p.parent) : undefined) chain.unshift(p);
  return chain;
}

/** Each promotion where the curve took it: the evaluation that scored the program, the tokens spent by then, its score. */
export function promotionPoints(state: EvolveState): Array<{ evaluation: number; tokens: number; best: number; programId: string }> {
  const promoted = new Set(state.promoted.map((p) => p.programId));
  const curve = bestCurve(state).filter((p) => p.island === 'all');
  const sorted = [...state.evaluations].sort((a, b) => a.index - b.index);
  return sorted.flatMap((e) => {
    if (!promoted.has(e.programId) || e.outcome !== 'scored') return [];
    const at = curve.find((p) => p.evaluation === e.index)!;
    return [{ evaluation: e.index, tokens: at.tokens, best: state.promoted.find((p) => p.programId === e.programId)!.score, programId: e.programId }];
  });
}

/** A speed-up axis: logarithmic, so 2× and 0.5× sit as far from the base's 1×. */
function speedupScale(values: number[]): Record<string, unknown> {
  const [lo, hi] = [Math.min(1, ...values), Math.max(1, ...values)];
  return { type: 'log', domain: [lo / 1.15, hi * 1.15], nice: false };
}

/** Ticks at 1, 2, 5 × the powers of ten the values span, labelled as multiples ("2×", "0.5×"): a log axis's own ticks label some and leave others blank. */
export function speedupTicks(values: number[]): number[] {
  const [lo, hi] = [Math.min(1, ...values) / 1.15, Math.max(1, ...values) * 1.15];
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
    for (const m of [1, 2, 5]) {
      const t = Number((m * 10 ** e).toPrecision(6));
      if (t >= lo && t <= hi) ticks.push(t);
    }
  return ticks;
}

const speedupAxis = (values: number[]) => ({ values: speedupTicks(values), format: '~g', labelExpr: "datum.label + '×'" });

/** The lineage as a chart: generation on x, score on y (log), each program labelled with its id and score. */
function lineageSpec(state: EvolveState, chain: Program[]): Spec {
  const values = chain.map((p) => ({
    generation: p.generation,
    score: p.score,
    label: p.id === 'base' ? 'base 1×' : `${p.id} ${p.score.toFixed(2)}×`,
    id: p.id,
  }));
  const last = Math.max(1, ...chain.map((p) => p.generation));
  // A little room either side, so the end labels are not cut by the axis.
  const x = {
    field: 'generation',
    type: 'quantitative',
    title: 'generation (drafts from the base)',
    scale: { domain: [-0.3, last + 0.3], nice: false },
    axis: { values: Array.from({ length: last + 1 }, (_, g) => g), format: 'd' },
  };
  const y = {
    field: 'score',
    type: 'quantitative',
    title: `${scoreName(state)} (× the base, log scale)`,
    scale: speedupScale(values.map((v) => v.score)),
    axis: speedupAxis(values.map((v) => v.score)),
  };
  return {
    $schema: SCHEMA,
    width: 420,
    height: 200,
    data: { values },
    layer: [
      {
        mark: { type: 'line', point: { size: 60 } },
        encoding: { x, y, tooltip: [{ field: 'id' }, { field: 'generation' }, { field: 'score', format: '.3f' }] },
      },
      { mark: { type: 'text', dy: -12, fontSize: 11 }, encoding: { x, y, text: { field: 'label' } } },
    ],
  };
}

/** The search's strategy as status and report say it; a search from before it was kept in the state cannot say. */
export function strategyLine(state: Pick<EvolveState, 'strategy'>): string {
  return `strategy: ${state.strategy ?? 'not recorded (the search began before its state kept it)'}`;
}

export function buildEvolveReport(id: string, state: EvolveState): EvolveReport {
  const curve = bestCurve(state);
  const best = state.programs.reduce((a, b) => (b.score > a.score ? b : a));
  const chain = ancestry(state, best);
  const scored = state.evaluations.filter((e) => e.outcome === 'scored').length;
  const outcomes = new Map<string, number>();
  for (const e of state.evaluations) outcomes.set(e.outcome, (outcomes.get(e.outcome) ?? 0) + 1);
  const lines = [
    `# ouro evolve ${id}`,
    '',
    '```',
    `evaluations: ${state.evaluations.length} (${[...outcomes].map(([o, n]) => `${n} ${o}`).join(', ')})`,
    `best: ${best.id} at ${best.score.toFixed(3)}× the base${state.metric ? ` on "${state.metric}"` : ''} (generation ${best.generation}, island ${best.island})`,
    strategyLine(state),
    `grid: ${(state.dims ?? DEFAULT_DIMS).join(' × ')}`,
    `lineage of the best: ${chain.map((p) => (p.id === 'base' ? 'base 1×' : `${p.id} ${p.score.toFixed(3)}×`)).join(' → ')}`,
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
  const islands = new Set(curve.map((p) => p.island)).size - 1;
  // With one island its curve is the overall one, drawn twice: show it once.
  // Every curve starts at the base, 1× at no evaluation.
  const start = [...new Set(curve.map((p) => p.island))].map((island) => ({ evaluation: 0, tokens: 0, island, best: 1 }));
  const shown = [...start, ...curve].filter((p) => islands > 1 || p.island === 'all');
  const promotions = promotionPoints(state);
  const line = (x: string, title: string): Spec => {
    const xEnc = { field: x, type: 'quantitative', title, axis: { tickMinStep: 1, format: x === 'evaluation' ? 'd' : ',d' } };
    const y = {
      field: 'best',
      type: 'quantitative',
      title: `best ${scoreName(state)} (× the base, log scale)`,
      scale: speedupScale(curve.map((p) => p.best)),
      axis: speedupAxis(curve.map((p) => p.best)),
    };
    return {
      $schema: SCHEMA,
      width: 420,
      height: 240,
      layer: [
        {
          data: { values: shown },
          mark: { type: 'line', interpolate: 'step-after', point: true },
          encoding: {
            x: xEnc,
            y,
            color: { field: 'island', type: 'nominal', title: islands > 1 ? 'island' : null, legend: islands > 1 ? {} : null },
            // The overall curve runs under an island's wherever that island holds the best: wide and pale, so both show.
            ...(islands > 1
              ? {
                  strokeWidth: { condition: { test: "datum.island === 'all'", value: 5 }, value: 1.5 },
                  opacity: { condition: { test: "datum.island === 'all'", value: 0.45 }, value: 1 },
                }
              : {}),
          },
        },
        {
          data: { values: promotions },
          mark: { type: 'point', shape: 'triangle-up', size: 140, filled: true, color: '#222222' },
          encoding: {
            x: xEnc,
            y,
            tooltip: [
              { field: 'programId', title: 'promoted' },
              { field: 'best', format: '.3f' },
            ],
          },
        },
        {
          data: { values: promotions },
          mark: { type: 'text', dy: -14, fontSize: 10, color: '#222222' },
          encoding: { x: xEnc, y, text: { field: 'programId' } },
        },
      ],
    };
  };
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
  const gridScores = grid.map((g) => g.score);
  const midScore = gridScores.length ? (Math.min(...gridScores) + Math.max(...gridScores)) / 2 : 1;
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
            x: { field: 'x', type: 'ordinal', title: dimTitle(dims[0]!), axis: { labelAngle: 0 } },
            y: { field: 'y', type: 'ordinal', title: dims.length > 1 ? dims.slice(1).map(dimTitle).join(' / ') : null },
            color: { field: 'score', type: 'quantitative', title: 'elite score' },
          },
        },
        {
          mark: { type: 'text', fontSize: 9 },
          encoding: {
            x: { field: 'x', type: 'ordinal' },
            y: { field: 'y', type: 'ordinal' },
            text: { field: 'programId' },
            // Light text on the dark (high-scoring) cells, dark on the light ones.
            color: { condition: { test: `datum.score > ${midScore}`, value: 'white' }, value: 'black' },
          },
        },
      ],
    },
  };
  return {
    markdown: `${lines.join('\n')}\n`,
    charts: [
      { title: 'Best score vs evaluations (▲ promoted)', spec: line('evaluation', 'evaluations') },
      { title: 'Best score vs tokens (▲ promoted)', spec: line('tokens', 'tokens spent') },
      { title: `Lineage of the best, ${best.id}: its ancestors back to the base`, spec: lineageSpec(state, chain) },
      { title: 'The archive: each cell’s elite, per island', spec: gridSpec },
    ],
  };
}

export function evolveReportHtml(report: EvolveReport, svgs: string[], title: string): string {
  const details = { label: 'Programs and failed evaluations (Markdown)', fromHeading: '## Programs' };
  return reportPage({ title, markdown: report.markdown, charts: report.charts, svgs, details });
}
