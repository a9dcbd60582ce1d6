import { describe, expect, it } from 'vitest';
import { insertProgram, newArchive } from '../../../core/evolve/archive.js';
import type { EvolveStatus } from '../../../core/evolve/types.js';
import { BASE_PROGRAM } from '../../helpers/evolve.js';
import { lineage, renderEvolveMarkdown, sparkline } from '../../../core/views/evolve-view.js';

const base = BASE_PROGRAM;
const status = (over: Partial<EvolveStatus> = {}): EvolveStatus => ({
  phase: 'searching',
  evaluations: 0,
  running: 1,
  best: { id: 'base', score: 1 },
  promoted: 0,
  spent: { drafts: 0, tokens: 0 },
  ...over,
});

describe('the search in the Web UI', () => {
  it('draws the best-so-far curve in at most 40 characters, rising with the scores', () => {
    expect(sparkline([1, 1, 1.5, 2])).toBe('▁▁▅█');
    expect(sparkline([])).toBe('');
    expect(sparkline([1, 1])).toBe('▁▁');
    const long = sparkline(Array.from({ length: 1000 }, (_, i) => 1 + i / 1000));
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long.at(-1)).toBe('█');
  });

  it('shows the best program’s lineage, the promotions and each island’s elites by cell, bounded', () => {
    const state = newArchive(base, 2, 0);
    let n = 0;
    const add = (parent: string, score: number, island: number, sizeBytes: number) => {
      n++;
      const id = `p${n}`;
      state.evaluations.push({ index: n, programId: id, parent, island, provider: 'gpu', outcome: 'scored', score, tokens: 10, atMs: n });
      insertProgram(state, { ...base, id, parent, island, generation: n, score, features: { sizeBytes, diffLines: 3 } });
    };
    add('base', 1.2, 0, 1000);
    add('p1', 1.5, 0, 1300);
    for (let k = -4; k <= 4; k++) add('base', 1.05 + k / 100, 1, Math.round(1000 * 1.3 ** k));
    state.promoted.push({ programId: 'p2', commit: 'c0ffee1234567', score: 1.5 });
    expect(
      lineage(
        state,
        state.programs.find((p) => p.id === 'p2')!,
      ),
    ).toBe('base → p1 1.200× → p2 1.500×');
    const md = renderEvolveMarkdown(state, status({ evaluations: 11 }), 'ouro/evolve/x');
    expect(md).toMatch(/best p2 1\.500× · 1 promoted to `ouro\/evolve\/x`/);
    expect(md).toMatch(/best score so far: `[▁-█]+` 1\.000× → 1\.500× over 11 evaluations/);
    expect(md).toContain('lineage of the best: base → p1 1.200× → p2 1.500×');
    expect(md).toContain('promoted: p2 (c0ffee1234)');
    expect(md).toContain('| 0 | s1:d0 | p2 | 1.500× | 2 | p1 |');
    // Island 1 has 9 elites in 9 cells (one took the base's): six shown, the rest counted.
    expect(md.split('\n').filter((l) => l.startsWith('| 1 |'))).toHaveLength(7);
    expect(md).toContain('| 1 | … 3 more cells | | | | |');
  });

  it('names the metric a search scores and why it stopped', () => {
    const state = newArchive(base, 1, 0, { metric: 'bytes' });
    const md = renderEvolveMarkdown(state, status({ phase: 'done', stopReason: 'draft budget (4) reached' }), 'b');
    expect(md).toContain('scoring the metric "bytes"');
    expect(md).toContain('stopped: draft budget (4) reached');
    expect(md).not.toContain('so far');
  });
});
