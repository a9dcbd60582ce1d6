// An evaluation's report: the summary as Markdown and the plots as
// Vega-Lite specifications (pass rate by round with intervals, the loop
// against resampling at the same budget, pass@k, time and tokens per run;
// judged samples, which had no rounds and spent no tokens here, get pass@k
// alone). Tasks in their suite's order. With
// another eval to compare, McNemar's exact test on the pairs (./paired.ts).
// Pure: the CLI renders the specs to SVG (vega) for the HTML page.
import { baseBroken, formatSummary, summarize, type Rate, type Summary } from './metrics.js';
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

/** How a series is named in a legend: what kind of eval it is, in words. */
export function seriesName(id: string, s: Summary): string {
  if (s.samplesJudged) return `${id} (samples judged)`;
  return `${id} (${s.noFeedback ? 'without feedback' : 'with feedback'})`;
}

function byRoundValues(s: Summary, series: string) {
  return s.byRound.map((r) => ({ series, round: r.round, rate: r.rate, low: r.low, high: r.high }));
}

function passAtKValues(s: Summary, series: string) {
  return (s.passAtK ?? []).map((p) => ({ series, k: p.k, rate: p.value, low: p.low, high: p.high, tasks: p.tasks, leftOut: p.leftOut }));
}

/** Legends below the plot, labels whole: an eval id with its kind is longer than a side legend shows. */
const seriesColor = { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 0 } };

/**
 * A rate per x with its 95% interval, one line per series. Both layers name
 * the y axis (else Vega-Lite joins the field names, "rate, low"); the error
 * bars' ticks have a size (on a discrete axis they would span the band and
 * read as lines between the points).
 */
function rateSpec(values: Array<Record<string, unknown>>, x: Record<string, unknown>, yTitle: string, tooltip: Array<Record<string, unknown>>): Spec {
  const y = { type: 'quantitative', title: yTitle, axis: { format: '%' }, scale: { domain: [0, 1] } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 420,
    height: 260,
    data: { values },
    layer: [
      { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'rate', ...y }, color: seriesColor, tooltip } },
      { mark: { type: 'errorbar', ticks: { size: 8 } }, encoding: { x, y: { field: 'low', ...y }, y2: { field: 'high' }, color: seriesColor } },
    ],
  };
}

/** Pass rate after each round, one line per series, with its Wilson 95% interval as error bars. */
function roundsSpec(values: Array<Record<string, unknown>>): Spec {
  const x = { field: 'round', type: 'ordinal', title: 'round (drafts so far)', axis: { labelAngle: 0 } };
  return rateSpec(values, x, 'pass rate (Wilson 95% CI)', [{ field: 'series' }, { field: 'round' }, { field: 'rate', format: '.1%' }]);
}

/** Mean pass@k over tasks against k, with the bootstrap 95% interval over tasks. */
function passAtKSpec(values: Array<Record<string, unknown>>): Spec {
  const x = { field: 'k', type: 'ordinal', title: 'k (samples drawn per task)', sort: 'ascending', axis: { labelAngle: 0 } };
  return rateSpec(values, x, 'mean pass@k (bootstrap 95% CI)', [
    { field: 'series' },
    { field: 'k' },
    { field: 'rate', title: 'pass@k', format: '.1%' },
    { field: 'tasks', title: 'tasks' },
    { field: 'leftOut', title: 'left out (n < k)' },
  ]);
}

/** What a row's verdict is in the report: a broken base is nobody's failure. */
const verdictOf = (r: EvalRow) => (baseBroken(r) ? 'base broken' : r.verdict);

const VERDICT_COLOURS: Record<string, string> = { passed: '#2a9d4b', failed: '#c0392b', 'base broken': '#8c8c8c' };

function perProblemSpec(rows: EvalRow[]): Spec {
  const present = Object.keys(VERDICT_COLOURS).filter((v) => rows.some((r) => verdictOf(r) === v));
  const values = rows.map((r) => ({
    task: `${r.task}#${r.sample}`,
    seconds: r.wallMs / 1000,
    tokens: r.tokens.prompt + r.tokens.completion,
    verdict: verdictOf(r),
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 420,
    height: 260,
    data: { values },
    mark: { type: 'point', filled: true, opacity: 0.7 },
    encoding: {
      x: { field: 'seconds', type: 'quantitative', title: 'wall time per run (s)' },
      y: { field: 'tokens', type: 'quantitative', title: 'tokens per run (prompt + completion)' },
      color: {
        field: 'verdict',
        type: 'nominal',
        title: 'verdict',
        scale: { domain: present, range: present.map((v) => VERDICT_COLOURS[v]!) },
      },
      tooltip: [{ field: 'task' }, { field: 'verdict' }, { field: 'seconds' }, { field: 'tokens' }],
    },
  };
}

/** Tasks in their suite's order (HumanEval/2 before HumanEval/10), then by sample: the results file holds them as they finished. */
export function inTaskOrder(rows: readonly EvalRow[]): EvalRow[] {
  const collator = new Intl.Collator('en', { numeric: true });
  return [...rows].sort((a, b) => collator.compare(a.task, b.task) || a.sample - b.sample);
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
  const left =
    (c.onlyInA || c.onlyInB ? ` Rows in one eval only are left out of the pairs: ${c.onlyInA} of ${c.a.id}, ${c.onlyInB} of ${c.b.id}.` : '') +
    (c.baseBroken ? ` Pairs with a broken base in either eval are left out too: ${c.baseBroken}.` : '');
  lines.push(
    '',
    `Rates are each eval's own rows; the paired columns count the ${c.pairs} task × sample pair(s) present in both.${left} ${mcnemarLine(c)}.`,
    '',
  );
  return lines;
}

export function buildReport(input: ReportInput): Report {
  const rows = inTaskOrder(input.rows);
  const summary = summarize(rows, input.maxRounds);
  const charts: Report['charts'] = [];
  let comparison: Comparison | undefined;
  const arms = [{ id: input.id, summary }];
  if (input.compare) {
    const compared = summarize(input.compare.rows, input.maxRounds);
    comparison = compareEvals({ id: input.id, rows, summary }, { ...input.compare, summary: compared });
    arms.push({ id: input.compare.id, summary: compared });
  }
  // Judged samples had no rounds: their rate by round is one point, said better by pass@k.
  const looped = arms.filter((a) => !a.summary.samplesJudged);
  if (looped.length) {
    charts.push({
      title: input.compare ? 'Feedback rounds against resampling, at the same number of drafts' : 'Pass rate after each round (95% CI)',
      spec: roundsSpec(looped.flatMap((a) => byRoundValues(a.summary, seriesName(a.id, a.summary)))),
    });
  }
  const sampled = arms.filter((a) => a.summary.passAtK?.length);
  if (sampled.length) {
    charts.push({
      title: 'pass@k (mean over tasks with at least k samples, 95% CI)',
      spec: passAtKSpec(sampled.flatMap((a) => passAtKValues(a.summary, seriesName(a.id, a.summary)))),
    });
  }
  if (!summary.samplesJudged) charts.push({ title: 'Time and tokens per run', spec: perProblemSpec(rows) });

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
  for (const r of rows) {
    const why = (r.reason ?? '').replace(/\s+/g, ' ').replace(/\|/g, '\\|').slice(0, 140);
    lines.push(
      `| ${r.task} | ${r.sample} | ${verdictOf(r)} | ${r.round ?? '–'} | ${r.drafts} | ${r.tokens.prompt + r.tokens.completion} | ${(r.wallMs / 1000).toFixed(1)} | ${why} |`,
    );
  }
  return { markdown: `${lines.join('\n')}\n`, charts, summary, ...(comparison ? { comparison } : {}) };
}

/** A self-contained page: the summary, each chart as inline SVG, the table. */
export function reportHtml(report: Report, svgs: string[], title: string): string {
  const details = { label: 'Each task × sample (Markdown)', fromHeading: '## Each task' };
  return reportPage({ title, markdown: report.markdown, charts: report.charts, svgs, details });
}
