import { describe, expect, it } from 'vitest';
import { newArchive } from '../../../core/evolve/archive.js';
import { buildEvolveReport, strategyLine } from '../../../core/evolve/report.js';
import { SEARCH_STRATEGIES } from '../../../core/evolve/types.js';
import { BASE_PROGRAM } from '../../helpers/evolve.js';

describe("the search's strategy in status and report", () => {
  it('is kept in the archive from the start and said by the report summary and the status line', () => {
    for (const strategy of SEARCH_STRATEGIES) {
      const state = newArchive(BASE_PROGRAM, 1, 0, { strategy });
      expect(state.strategy).toBe(strategy);
      expect(strategyLine(state)).toBe(`strategy: ${strategy}`);
      const summary = buildEvolveReport('e1', state).markdown.split('```')[1]!;
      expect(summary).toContain(`\nstrategy: ${strategy}\n`);
    }
  });

  it('a search from before the state kept it says so instead of guessing evolve', () => {
    const old = newArchive(BASE_PROGRAM, 1, 0);
    expect(old.strategy).toBeUndefined();
    expect(strategyLine(old)).toMatch(/^strategy: not recorded/);
    expect(buildEvolveReport('e0', old).markdown).toMatch(/strategy: not recorded/);
  });
});
