// Python over the whole dataset that set-up installs under .ouro/data: the default suite runs this,
// after set-up; the unit suite reads a few problems from a fixture (test/unit/eval/humaneval-fixture.test.ts).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_DIR, HUMANEVAL_DATA, loadHumanEval, visibleExamples } from '../../../adapters/eval/humaneval-data.js';

describe("HumanEval's visible examples", () => {
  it('a first call for one problem still checks them all: no other problem is left without its examples', async () => {
    rmSync(join(DATA_DIR, `humaneval-examples-${HUMANEVAL_DATA.sha256.slice(0, 12)}.json`), { force: true });
    const problems = await loadHumanEval();
    expect((await visibleExamples([problems[13]!])).get('HumanEval/13')).toHaveLength(2);
    const all = await visibleExamples(problems);
    expect([...all.values()].filter((e) => e.length).length).toBe(135);
    expect([...all.values()].reduce((n, e) => n + e.length, 0)).toBe(388);
  });
});
