import { describe, expect, it } from 'vitest';
import { buildReport, reportHtml } from '../../../core/eval/report.js';
import type { EvalRow } from '../../../core/eval/types.js';

const row = (task: string, verdict: 'passed' | 'failed', round?: number, noFeedback = false): EvalRow => ({
  task,
  sample: 0,
  verdict,
  round,
  runOutcome: round ? 'committed' : 'no-candidate-passed',
  drafts: 3,
  maxRounds: 3,
  tokens: { prompt: 10, completion: 5 },
  wallMs: 1500,
  hidden: true,
  oracle: false,
  ...(noFeedback ? { noFeedback } : {}),
  childId: task,
  ...(verdict === 'failed' ? { reason: 'tests 1/2 passed | one failed' } : {}),
});

describe('the eval report', () => {
  it('Markdown: the summary, the comparison with resampling round by round, and one row per task × sample', () => {
    const report = buildReport({
      id: 'fb',
      suite: 'humaneval',
      rows: [row('HumanEval/0', 'passed', 2), row('HumanEval/1', 'failed')],
      maxRounds: 3,
      compare: { id: 'nofb', rows: [row('HumanEval/0', 'passed', 3, true), row('HumanEval/1', 'failed', undefined, true)] },
    });
    expect(report.markdown).toContain('| 2 | 50.0% (');
    expect(report.markdown).toMatch(/\| 1 \| 0\.0% \(0\.0%–\d+\.\d%\) \| 0\.0% /);
    expect(report.markdown).toContain('| HumanEval/1 | 0 | failed | – | 3 | 15 | 1.5 | tests 1/2 passed \\| one failed |');
    expect(report.charts.map((c) => c.title)).toEqual(['Feedback rounds against resampling, at the same number of drafts', 'Time and tokens per run']);
    const values = (report.charts[0]!.spec.data as { values: Array<{ series: string }> }).values;
    expect(new Set(values.map((v) => v.series))).toEqual(new Set(['fb (with feedback)', 'nofb (without feedback)']));
  });

  it('HTML: self-contained, the SVGs inline, text escaped', () => {
    const report = buildReport({ id: 'x', suite: 'humaneval', rows: [row('HumanEval/0', 'failed')], maxRounds: 1 });
    const html = reportHtml(report, ['<svg id="a"></svg>', '<svg id="b"></svg>'], 'Ouro eval <x>');
    expect(html).toContain('<svg id="a"></svg>');
    expect(html).toContain('<title>Ouro eval &lt;x&gt;</title>');
    expect(html).not.toMatch(/<script/);
  });

  type Layer = {
    mark: { type: string; ticks?: { size: number } };
    encoding: Record<string, { title?: unknown; field?: string; legend?: { labelLimit?: number } }>;
  };
  const layers = (spec: Record<string, unknown>) => spec.layer as Layer[];

  it('the rate plots: every layer names the y axis (not "rate, low"), error-bar ticks have a size (no line across a band), legends whole', () => {
    const report = buildReport({ id: 'fb', suite: 'humaneval', rows: [row('HumanEval/0', 'passed', 2), row('HumanEval/1', 'failed')], maxRounds: 3 });
    const [line, bars] = layers(report.charts[0]!.spec);
    expect(line!.encoding.y!.title).toBe('pass rate (Wilson 95% CI)');
    expect(bars!.encoding.y!.title).toBe(line!.encoding.y!.title);
    expect(bars!.mark.ticks?.size).toBeGreaterThan(0);
    expect(line!.encoding.color!.legend?.labelLimit).toBe(0);
    expect(report.charts[0]!.spec.title).toBeUndefined();
  });

  it('judged samples: pass@k plotted, a legend that says samples (not "with feedback"), no rounds or tokens plot', () => {
    const sample = (task: string, n: number, verdict: 'passed' | 'failed'): EvalRow => ({
      ...row(task, verdict, verdict === 'passed' ? 1 : undefined),
      sample: n,
      runOutcome: 'sample',
      drafts: 0,
      maxRounds: undefined,
      tokens: { prompt: 0, completion: 0 },
    });
    const rows = [sample('HumanEval/0', 0, 'passed'), sample('HumanEval/0', 1, 'failed'), sample('HumanEval/1', 0, 'failed')];
    const report = buildReport({ id: 's', suite: 'humaneval', rows, maxRounds: 1 });
    expect(report.charts.map((c) => c.title)).toEqual(['pass@k (mean over tasks with at least k samples, 95% CI)']);
    const values = (report.charts[0]!.spec.data as { values: Array<Record<string, unknown>> }).values;
    expect(values.map((v) => [v.series, v.k, v.tasks, v.leftOut])).toEqual([
      ['s (samples judged)', 1, 2, 0],
      ['s (samples judged)', 2, 1, 1],
    ]);
    expect(layers(report.charts[0]!.spec)[0]!.encoding.x!.title).toBe('k (samples drawn per task)');
    expect(report.markdown).toContain('samples passed: 1/3');
    expect(report.markdown).not.toMatch(/per solved problem|pass after round/);
  });

  it('tasks in their suite order (HumanEval/2 before HumanEval/10), not as they finished; a broken base is no verdict of the model', () => {
    const broken: EvalRow = { ...row('HumanEval/3', 'failed'), runOutcome: 'baseline-broken', reason: 'base fails' };
    const rows = [row('HumanEval/10', 'passed', 1), broken, row('HumanEval/2', 'failed'), { ...row('HumanEval/2', 'passed', 1), sample: 1 }];
    const report = buildReport({ id: 'o', suite: 'humaneval', rows, maxRounds: 1 });
    const table = report.markdown.split('\n').filter((l) => l.startsWith('| HumanEval/'));
    expect(table.map((l) => l.split(' | ').slice(0, 3).join(' '))).toEqual([
      '| HumanEval/2 0 failed',
      '| HumanEval/2 1 passed',
      '| HumanEval/3 0 base broken',
      '| HumanEval/10 0 passed',
    ]);
    const scatter = report.charts.find((c) => c.title === 'Time and tokens per run')!.spec as { data: { values: Array<{ task: string; verdict: string }> } };
    expect(scatter.data.values.map((v) => v.task)).toEqual(['HumanEval/2#0', 'HumanEval/2#1', 'HumanEval/3#0', 'HumanEval/10#0']);
    expect(scatter.data.values[2]!.verdict).toBe('base broken');
    expect(report.summary.overall).toMatchObject({ passed: 2, of: 3 });
  });
});
