import { describe, expect, it } from 'vitest';
import { buildEvolveInput } from '../../../core/evolve/input.js';
import { buildRunInput, targetOf } from '../../../core/run/input.js';

// A search is built on a run's input: the fields both act on (core/contracts/target.ts) are the
// run's, copied by targetOf. The keys pinned here are the ones searches have always carried
// through workflow history: a key added, dropped or renamed would change what goes on the wire.

const FLAGS = { repo: '/home/dev/csv-lib', goal: 'Make parseCsv faster', files: 'src/parse.ts', test: 'npm test', bench: 'node bench.js', drafts: 'local:2' };

describe('buildEvolveInput: the run target it shares', () => {
  it('carries the same keys as before the target was shared, and the run’s values for the shared ones', () => {
    const input = buildEvolveInput(FLAGS, { maxDrafts: 10 }, {}, {});
    expect(Object.keys(input).sort()).toEqual(
      [
        'repo',
        'baseRef',
        'goal',
        'files',
        'protectedPaths',
        'testCommand',
        'benchCommand',
        'benchMode',
        'benchRuns',
        'margin',
        'drafts',
        'parallel',
        'budget',
        'islands',
        'migrateEvery',
        'explore',
        'linkPaths',
        'timeouts',
        'queues',
        'maxReplyBytes',
      ].sort(),
    );
    expect(input).toMatchObject(targetOf(buildRunInput(FLAGS, {}, {})));
  });

  it('takes the optional shared fields only when the run has them', () => {
    const flags = { ...FLAGS, source: 'file:///srv/csv-lib', writable: 'out/**' };
    const input = buildEvolveInput(flags, { maxTokens: 5000, quickTest: 'npm run quick' }, {}, {});
    expect(input).toMatchObject({ source: 'file:///srv/csv-lib', writable: ['out/**'], quickTestCommand: 'npm run quick', benchCommand: 'node bench.js' });
    const bare = buildEvolveInput(FLAGS, { maxTokens: 5000 }, {}, {});
    for (const key of ['source', 'writable', 'quickTestCommand', 'metric', 'features', 'prices']) expect(bare).not.toHaveProperty(key);
  });

  it('leaves the run-only settings out', () => {
    const input = buildEvolveInput(FLAGS, { maxDrafts: 3 }, {}, {});
    for (const key of ['baselineMayFail', 'speedupGoal', 'regressionTolerance', 'maxRounds', 'targetBranch', 'hints', 'requireReliable']) {
      expect(input).not.toHaveProperty(key);
    }
  });
});
