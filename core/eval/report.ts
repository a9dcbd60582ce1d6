// An evaluation's report: the summary as Markdown and the plots as
// Vega-Lite specifications (pass rate by round with intervals, the loop
// against resampling at the same budget, time and tokens per problem).
// Pure: the CLI renders the specs to SVG (vega) for the HTML page.
import { formatSummary, summarize, type Summary } from './metrics.js';
import type { EvalRow } from './types.js';
import { reportPage } from '../views/report-page.js';

export interface ReportInput {
  id: string;
  suite: string;
  rows: EvalRow[];
  maxRounds: number;
  /** Another eval of the same tasks without feedback (`--no-feedback`), to set beside this one. */
  compare?: { id: string; rows: EvalRow[] };
}

type Spec = Record<string, unknown>;

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function byRoundValues(s: Summary, series: string) {
  return s.byRound.map((r) => ({ series, round: r.round, rate: r.rate, low: r.low, high: r.high }));
}

/** Pass rate after each round, one line per series, with its 95% interval as error bars. */
function roundsSpec(values: Array<Record<string, unknown>>, title: string): Spec {
  const x = { field: 'round', type: 'ordinal', title: 'round (drafts so far)' };
  const color = { field: 'series', type: 'nominal', title: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 420,
    height: 260,
    data: { values },
    layer: [
      {
        mark: { type: 'line', point: true },
        encoding: { x, y: { field: 'rate', type: 'quantitative', title: 'pass rate', axis: { format: '%' }, scale: { domain: [0, 1] } }, color },
      },
      { mark: { type: 'errorbar', ticks: true }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color } },
    ],
  };
}

function perProblemSpec(rows: EvalRow[]): Spec {
  const values = rows.map((r) => ({
    task: `${r.task}#${r.sample}`,
    seconds: r.wallMs / 1000,
    tokens: r.tokens.prompt + r.tokens.completion,
    verdict: r.verdict,
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Time and tokens per problem',
    width: 420,
    height: 260,
    data: { values },
    mark: { type: 'point', filled: true, opacity: 0.7 },
    encoding: {
      x: { field: 'seconds', type: 'quantitative', title: 'wall time (s)' },
      y: { field: 'tokens', type: 'quantitative', title: 'tokens (prompt + completion)' },
      color: { field: 'verdict', type: 'nominal', scale: { domain: ['passed', 'failed'], range: ['#2a9d4b', '#c0392b'] } },
      tooltip: [{ field: 'task' }, { field: 'seconds' }, { field: 'tokens' }],
    },
  };
}

export interface Report {
  markdown: string;
  charts: Array<{ title: string; spec: Spec }>;
  summary: Summary;
}

export function buildReport(input: ReportInput): Report {
  const summary = summarize(input.rows, input.maxRounds);
  const charts: Report['charts'] = [];
  const label = summary.noFeedback ? 'without feedback' : 'with feedback';
  let values = byRoundValues(summary, `${input.id} (${label})`);
  let compared: Summary | undefined;
  if (input.compare) {
    compared = summarize(input.compare.rows, input.maxRounds);
    values = [...values, ...byRoundValues(compared, `${input.compare.id} (${compared.noFeedback ? 'without feedback' : 'with feedback'})`)];
  }
  charts.push({
    title: input.compare ? 'Feedback rounds against resampling, at the same number of drafts' : 'Pass rate by round',
    spec: roundsSpec(values, input.compare ? 'Feedback vs resampling at equal drafts' : 'Pass rate after each round (95% CI)'),
  });
  charts.push({ title: 'Time and tokens per problem', spec: perProblemSpec(input.rows) });

  const lines = [`# Ouro eval ${input.id}`, '', '```', formatSummary(summary, input.suite), '```', ''];
  if (compared && input.compare) {
    lines.push('## Against resampling at the same budget', '', `| round | ${input.id} | ${input.compare.id} |`, '|---|---|---|');
    summary.byRound.forEach((r, i) => {
      const c = compared!.byRound[i];
      lines.push(`| ${r.round} | ${pct(r.rate)} (${pct(r.low)}–${pct(r.high)}) | ${c ? `${pct(c.rate)} (${pct(c.low)}–${pct(c.high)})` : '–'} |`);
    });
    lines.push('');
  }
  lines.push(
    '## Each task × sample',
    '',
    '| task | sample | verdict | round | drafts | tokens | seconds | why it failed |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const r of input.rows) {
    const why = (r.reason ?? '').replace(/\s+/g, ' ').replace(/\|/g, '\\|').slice(0, 140);
    lines.push(
      `| ${r.task} | ${r.sample} | ${r.verdict} | ${r.round ?? '–'} | ${r.drafts} | ${r.tokens.prompt + r.tokens.completion} | ${(r.wallMs / 1000).toFixed(1)} | ${why} |`,
    );
  }
  return { markdown: `${lines.join('\n')}\n`, charts, summary };
}

/** A self-contained page: the summary, each chart as inline SVG, the table. */
export function reportHtml(report: Report, svgs: string[], title: string): string {
  const details = { label: 'Each task × sample (Markdown)', fromHeading: '## Each task' };
  return reportPage({ title, markdown: report.markdown, charts: report.charts, svgs, details });
}
