// An evaluation's report: the summary as Markdown and the plots as
// Vega-Lite specifications (pass rate by round with intervals, the loop
// against resampling at the same budget, time and tokens per problem). With
// another eval to compare, McNemar's exact test on the pairs (./paired.ts).
// Pure: the CLI renders the specs to SVG (vega) for the HTML page.
import { formatSummary, summarize, type Rate, type Summary } from './metrics.js';
import { compareEvals, formatComparison, formatP, mcnemarLine, type Comparison } from './paired.js';
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
  /** With `compare`: the other eval's summary and the paired tests. */
  comparison?: Comparison;
}

const cell = (r: Rate | undefined) => (r ? `${pct(r.rate)} (${pct(r.low)}–${pct(r.high)})` : '–');

/** The comparison as a table: each arm's pass rate by round (Wilson 95%), the paired counts and McNemar's exact p. */
function comparisonTable(c: Comparison): string[] {
  const lines = [
    '## Against resampling at the same budget',
    '',
    `| round | ${c.a.id} | ${c.b.id} | both pass | ${c.a.label} only | ${c.b.label} only | neither | McNemar exact p |`,
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const t of c.byRound) {
    const [a, b] = [c.a.summary.byRound[t.round - 1], c.b.summary.byRound[t.round - 1]];
    lines.push(`| ${t.round} | ${cell(a)} | ${cell(b)} | ${t.both} | ${t.onlyA} | ${t.onlyB} | ${t.neither} | ${formatP(t.pValue)} |`);
  }
  const left = c.onlyInA || c.onlyInB ? ` Rows in one eval only are left out of the pairs: ${c.onlyInA} of ${c.a.id}, ${c.onlyInB} of ${c.b.id}.` : '';
  lines.push(
    '',
    `Rates are each eval's own rows; the paired columns count the ${c.pairs} task × sample pair(s) present in both.${left} ${mcnemarLine(c)}.`,
    '',
  );
  return lines;
}

export function buildReport(input: ReportInput): Report {
  const summary = summarize(input.rows, input.maxRounds);
  const charts: Report['charts'] = [];
  const label = summary.noFeedback ? 'without feedback' : 'with feedback';
  let values = byRoundValues(summary, `${input.id} (${label})`);
  let comparison: Comparison | undefined;
  if (input.compare) {
    const compared = summarize(input.compare.rows, input.maxRounds);
    comparison = compareEvals({ id: input.id, rows: input.rows, summary }, { ...input.compare, summary: compared });
    values = [...values, ...byRoundValues(compared, `${input.compare.id} (${compared.noFeedback ? 'without feedback' : 'with feedback'})`)];
  }
  charts.push({
    title: input.compare ? 'Feedback rounds against resampling, at the same number of drafts' : 'Pass rate by round',
    spec: roundsSpec(values, input.compare ? 'Feedback vs resampling at equal drafts' : 'Pass rate after each round (95% CI)'),
  });
  charts.push({ title: 'Time and tokens per problem', spec: perProblemSpec(input.rows) });

  // The first block is the page's summary and what the CLI prints: with a comparison, that too.
  const text = [formatSummary(summary, input.suite), ...(comparison ? ['', formatComparison(comparison)] : [])].join('\n');
  const lines = [`# Ouro eval ${input.id}`, '', '```', text, '```', ''];
  if (comparison) lines.push(...comparisonTable(comparison));
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
  return { markdown: `${lines.join('\n')}\n`, charts, summary, ...(comparison ? { comparison } : {}) };
}

/** A self-contained page: the summary, each chart as inline SVG, the table. */
export function reportHtml(report: Report, svgs: string[], title: string): string {
  const details = { label: 'Each task × sample (Markdown)', fromHeading: '## Each task' };
  return reportPage({ title, markdown: report.markdown, charts: report.charts, svgs, details });
}
