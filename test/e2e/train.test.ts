// Release trains end to end: a real dev server, real child runs, real git
// and sandboxed tests; only the model is scripted (by task goal).
import { describe, expect, it } from 'vitest';
import { readBacklog } from '../../activities/backlog-store.js';
import { FIXED_SUM } from '../helpers/fixtures.js';
import { gitLines, recordHistory, uniquePrefix, useFakeProvider, useSharedWorkers } from '../helpers/harness.js';
import { addTasks, PRIMES, scriptByGoal, startTrain, trainInput, trainRepo, trainResult, wholeFile, withHeader } from '../helpers/train.js';

const prefix = uniquePrefix();
useSharedWorkers(prefix);
const fake = useFakeProvider();

describe('a release train', () => {
  it('releases the two good changes of four; the failing and the conflicting one go back to the backlog with reasons', async () => {
    const repo = await trainRepo();
    await addTasks(repo, [
      { id: 'doc-sum', goal: '[A] Document sumTo', files: ['src/sum.ts'], priority: 3 },
      { id: 'doc-primes', goal: '[B] Document countPrimesBelow', files: ['src/primes.ts'], priority: 2 },
      { id: 'label-sum', goal: '[D] Label sumTo differently', files: ['src/sum.ts'], priority: 1 },
      { id: 'break-primes', goal: '[C] Simplify countPrimesBelow', files: ['src/primes.ts'], priority: 0 },
    ]);
    scriptByGoal(fake, {
      A: wholeFile('src/sum.ts', withHeader('Sums: the closed form would do too.', FIXED_SUM)),
      B: wholeFile('src/primes.ts', withHeader('Primes by trial division.', PRIMES)),
      D: wholeFile('src/sum.ts', withHeader('Sum helpers (label D).', FIXED_SUM)),
      C: wholeFile('src/primes.ts', 'export function countPrimesBelow(limit: number): number {\n  return limit > 2 ? 1 : 0;\n}\n'),
    });
    const handle = await startTrain(trainInput(repo, prefix, fake.url, { bump: 'minor' }));
    const result = await trainResult(handle);

    if (result.outcome !== 'released') console.log(JSON.stringify(result, null, 1).slice(0, 4000));
    expect(result.outcome).toBe('released');
    expect(result.tag).toBe('v0.1.0');
    const byTask = Object.fromEntries(result.rides.map((r) => [r.task, r]));
    expect(byTask['doc-sum']).toMatchObject({ result: 'released', runOutcome: 'committed' });
    expect(byTask['doc-primes']).toMatchObject({ result: 'released', runOutcome: 'committed' });
    expect(byTask['label-sum']).toMatchObject({ result: 'returned', runOutcome: 'committed' });
    expect(byTask['label-sum']!.reason).toMatch(/conflicts with the changes integrated before it in src\/sum\.ts.*doc-sum/);
    expect(byTask['break-primes']).toMatchObject({ result: 'failed', runOutcome: 'no-candidate-passed' });
    expect(byTask['break-primes']!.reason).toMatch(/tests-failed/);

    // The tag holds exactly the two good changes (once each), the release commit and the CHANGELOG.
    const tasks = await gitLines(repo, 'log', '--format=%(trailers:key=Ouro-Task,valueonly)', 'main..v0.1.0');
    expect(tasks.sort()).toEqual(['doc-primes', 'doc-sum']);
    expect((await gitLines(repo, 'show', 'v0.1.0:src/sum.ts'))[0]).toBe('// Sums: the closed form would do too.');
    expect((await gitLines(repo, 'show', 'v0.1.0:src/primes.ts'))[0]).toBe('// Primes by trial division.');
    const changelog = (await gitLines(repo, 'show', 'v0.1.0:CHANGELOG.md')).join('\n');
    expect(changelog).toMatch(/## v0\.1\.0/);
    expect(changelog).toMatch(/\[A\] Document sumTo \(task doc-sum/);
    expect(changelog).toMatch(/label-sum: conflicts/);
    expect(changelog).toMatch(/break-primes: no candidate passed/);
    expect((await gitLines(repo, 'tag', '-l', '--format=%(contents)', 'v0.1.0')).join('\n')).toMatch(/Changes since the first commit/);
    expect((await gitLines(repo, 'rev-parse', 'release'))[0]).toBe((await gitLines(repo, 'rev-parse', 'v0.1.0^{commit}'))[0]);

    // The backlog keeps the two that did not ship, queued again with their reasons.
    const backlog = await readBacklog(repo);
    const state = Object.fromEntries(backlog.tasks.map((t) => [t.id, t]));
    expect(state['doc-sum']).toMatchObject({ state: 'released', release: 'v0.1.0' });
    expect(state['label-sum']).toMatchObject({ state: 'queued', attempts: 1 });
    expect(state['label-sum']!.history[0]!.reason).toMatch(/conflicts/);
    expect(state['break-primes']).toMatchObject({ state: 'queued', attempts: 1 });
    await recordHistory(handle, 'train-four-tasks');
  });
});
