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
    expect(report.charts.map((c) => c.title)).toEqual(['Feedback rounds against resampling, at the same number of drafts', 'Time and tokens per problem']);
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
});
