import { describe, expect, it } from 'vitest';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { insertProgram, newArchive } from '../../../core/evolve/archive.js';
import { bestCurve, buildEvolveReport, evolveReportHtml } from '../../../core/evolve/report.js';
import { BASE_PROGRAM } from '../../helpers/evolve.js';

const base = BASE_PROGRAM;

function search() {
  const state = newArchive(base, 2, 0);
  const add = (index: number, island: number, score: number | undefined) => {
    const id = `p${index}`;
    state.evaluations.push({
      index,
      programId: id,
      parent: 'base',
      island,
      provider: 'gpu',
      outcome: score ? 'scored' : 'tests-failed',
      reason: score ? undefined : 'red\nmore',
      tokens: 100,
      atMs: index,
    });
    if (score)
      insertProgram(state, {
        ...base,
        id,
        parent: 'base',
        island,
        generation: 1,
        score,
        interval: [score * 0.9, score * 1.1],
        features: { sizeBytes: 1000 + index * 100, diffLines: 10 },
      });
  };
  add(1, 1, 1.4);
  add(2, 0, undefined);
  add(3, 1, 1.2);
  add(4, 0, 2.0);
  state.promoted.push({ programId: 'p1', commit: 'c1', score: 1.4 }, { programId: 'p4', commit: 'c4', score: 2 });
  return state;
}

describe('the evolve report', () => {
  it('the best-so-far curve never falls, per island and overall, and counts tokens as they were spent', () => {
    const all = bestCurve(search()).filter((p) => p.island === 'all');
    expect(all.map((p) => p.best)).toEqual([1.4, 1.4, 1.4, 2.0]);
    expect(all.map((p) => p.tokens)).toEqual([100, 200, 300, 400]);
    expect(
      bestCurve(search())
        .filter((p) => p.island === 'island 1')
        .map((p) => p.best),
    ).toEqual([1.4, 1.4]);
  });

  it('says the best, the promotions and why evaluations failed; its charts render to SVG', async () => {
    const report = buildEvolveReport('evolve-x', search());
    expect(report.markdown).toContain('best: p4 at 2.000× the base');
    expect(report.markdown).toContain('promoted: p1 1.400× → p4 2.000×');
    expect(report.markdown).toContain('- p2 (from base): tests-failed — red');
    expect(report.markdown).toMatch(/\| p4 \| base \| 0 \| 1 \| 2\.000 \| 1\.800–2\.200 \|/);
    const svgs = await Promise.all(
      report.charts.map((c) => new vega.View(vega.parse(compile(c.spec as unknown as TopLevelSpec).spec), { renderer: 'none' }).toSVG()),
    );
    expect(svgs).toHaveLength(3);
    for (const svg of svgs) expect(svg.startsWith('<svg')).toBe(true);
    const html = evolveReportHtml(report, svgs, 'Ouro evolve evolve-x');
    expect(html).toContain('<figcaption>Best score vs evaluations</figcaption><svg');
  });
});
