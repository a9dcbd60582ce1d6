import { describe, expect, it } from 'vitest';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { insertProgram, newArchive } from '../../../core/evolve/archive.js';
import { ancestry, bestCurve, buildEvolveReport, evolveReportHtml, promotionPoints, speedupTicks } from '../../../core/evolve/report.js';
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
    expect(svgs).toHaveLength(4);
    for (const svg of svgs) expect(svg.startsWith('<svg')).toBe(true);
    const html = evolveReportHtml(report, svgs, 'Ouro evolve evolve-x');
    expect(html).toContain('<figcaption>Best score vs evaluations (▲ promoted)</figcaption><svg');
  });

  type Layer = { mark: { type: string; shape?: string }; data?: { values: Array<Record<string, unknown>> }; encoding: Record<string, Record<string, unknown>> };
  const layersOf = (spec: Record<string, unknown>) => spec.layer as Layer[];

  it('speed-ups on a log scale, ticked at 1, 2, 5 × 10ⁿ and labelled as multiples; each curve starts at the base', () => {
    const report = buildEvolveReport('evolve-x', search());
    const [curve] = layersOf(report.charts[0]!.spec);
    expect(curve!.encoding.y!.scale).toMatchObject({ type: 'log' });
    expect((curve!.encoding.y!.axis as { values: number[] }).values).toEqual([1, 2]);
    expect(speedupTicks([0.4, 78])).toEqual([0.5, 1, 2, 5, 10, 20, 50]);
    const starts = curve!.data!.values.filter((v) => v.evaluation === 0);
    expect(starts.map((v) => String(v.island)).sort()).toEqual(['all', 'island 0', 'island 1']);
    expect(starts.every((v) => v.best === 1)).toBe(true);
  });

  it('promotions are marked on both curves, where the curve took them', () => {
    expect(promotionPoints(search())).toEqual([
      { evaluation: 1, tokens: 100, best: 1.4, programId: 'p1' },
      { evaluation: 4, tokens: 400, best: 2, programId: 'p4' },
    ]);
    const report = buildEvolveReport('evolve-x', search());
    for (const chart of report.charts.slice(0, 2)) {
      const marks = layersOf(chart.spec).find((l) => l.mark.shape === 'triangle-up')!;
      expect(marks.data!.values.map((v) => v.programId)).toEqual(['p1', 'p4']);
    }
  });

  it("the best program's lineage back to the base, with scores: in the summary and as a chart", () => {
    const state = search();
    // p5 drafted from p4, p6 from p5: the best is three drafts from the base.
    for (const [id, parent, score, generation] of [
      ['p5', 'p4', 2.5, 2],
      ['p6', 'p5', 3.1, 3],
    ] as const) {
      state.evaluations.push({
        index: state.evaluations.length + 1,
        programId: id,
        parent,
        island: 0,
        provider: 'gpu',
        outcome: 'scored',
        tokens: 10,
        atMs: 9,
      });
      insertProgram(state, { ...base, id, parent, island: 0, generation, score, features: { sizeBytes: 900 + generation, diffLines: 3 } });
    }
    expect(
      ancestry(
        state,
        state.programs.find((p) => p.id === 'p6')!,
      ).map((p) => p.id),
    ).toEqual(['base', 'p4', 'p5', 'p6']);
    const report = buildEvolveReport('evolve-x', state);
    expect(report.markdown).toContain('lineage of the best: base 1× → p4 2.000× → p5 2.500× → p6 3.100×');
    const chart = report.charts.find((c) => c.title.startsWith('Lineage of the best, p6'))!;
    expect((chart.spec.data as { values: Array<{ label: string; generation: number }> }).values.map((v) => [v.generation, v.label])).toEqual([
      [0, 'base 1×'],
      [1, 'p4 2.00×'],
      [2, 'p5 2.50×'],
      [3, 'p6 3.10×'],
    ]);
    expect(layersOf(chart.spec)[0]!.encoding.y!.scale).toMatchObject({ type: 'log' });
  });

  it('a parent loop or a missing parent ends the lineage instead of hanging', () => {
    const state = search();
    const looped = { ...state.programs.find((p) => p.id === 'p4')!, parent: 'p4' };
    expect(ancestry({ programs: [looped] }, looped).map((p) => p.id)).toEqual(['p4']);
    const orphan = { ...looped, parent: 'gone' };
    expect(ancestry({ programs: [orphan] }, orphan).map((p) => p.id)).toEqual(['p4']);
  });

  it('with one island its curve is drawn once, not twice under one line', () => {
    const state = search();
    for (const e of state.evaluations) e.island = 0;
    const report = buildEvolveReport('evolve-x', state);
    const [curve] = layersOf(report.charts[0]!.spec);
    expect(new Set(curve!.data!.values.map((v) => v.island))).toEqual(new Set(['all']));
    // Drawn plainly: the wide pale style is for the overall curve under the islands'.
    expect(curve!.encoding.strokeWidth).toBeUndefined();
    expect(layersOf(buildEvolveReport('evolve-x', search()).charts[0]!.spec)[0]!.encoding.strokeWidth).toBeDefined();
  });
});
