// Release trains end to end: a real dev server, real child runs, real git
// and sandboxed tests; only the model is scripted (by task goal).
import { execa } from 'execa';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, inject, it } from 'vitest';
import { readBacklog } from '../../adapters/stores/backlog-store.js';
import { scheduleId } from '../../core/train/input.js';
import type { TrainState } from '../../core/train/types.js';
import { trainDecisionUpdate, trainStatusQuery } from '../../workflows/definitions.js';
import { FIXED_SUM } from '../../dev/scripted-replies.js';
import { gitLines, PROJECT_ROOT, recordHistory, testClient, uniquePrefix, useFakeProvider, useSharedWorkers, waitFor, when } from '../helpers/harness.js';
import { addTasks, GOOD, PRIMES, scriptByGoal, startTrain, trainInput, trainRepo, trainResult, twoGoodTasks, wholeFile, withHeader } from '../helpers/train.js';
import { scriptedRunArgs } from '../../dev/scripted-run.js';

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
    // A task run of a train: its history carries the patch marker of the OuroTrain attribute.
    const child = (await testClient()).workflow.getHandle(byTask['doc-sum']!.childId!);
    expect((await child.describe()).searchAttributes?.OuroTrain).toEqual([handle.workflowId.length ? (await handle.query(trainStatusQuery)).name : '']);
    await recordHistory(child, 'train-task-run');
  });
});

const stageOf = async (id: string): Promise<TrainState['stage']> => (await (await testClient()).workflow.getHandle(id).query(trainStatusQuery)).stage;
const waitForStage = (id: string, stages: Array<TrainState['stage']>, what: string) =>
  waitFor(
    when(async () => stages.includes(await stageOf(id))),
    what,
  );

describe('the approval gate', () => {
  it('reject → no tag and the changes go back unpunished; the next train, approved → tag; a days-long wait continues as new', async () => {
    // A quick metrics benchmark, so the release is also measured against the previous one.
    const repo = await trainRepo({
      'ouro.config.json': JSON.stringify({
        test: './node_modules/.bin/vitest run',
        files: ['src/**/*.ts'],
        bench: 'node bench/quick.mjs',
        benchMode: 'metrics',
        benchRuns: 10,
      }),
      'bench/quick.mjs': 'console.log(JSON.stringify({ name: "ops", value: 100, unit: "ms" }));\n',
    });
    await twoGoodTasks(repo);
    scriptByGoal(fake, GOOD);
    const client = await testClient();
    // A low history budget makes the waiting train continue as new, as a weeks-long one would.
    const input = trainInput(repo, prefix, fake.url, { approval: true, approvalTimeout: '10m', reminder: '1s', historyBudget: 60 });

    const first = await startTrain(input);
    await waitForStage(first.workflowId, ['awaiting-approval'], 'the first train to wait for approval');
    const waiting = await client.workflow.getHandle(first.workflowId).query(trainStatusQuery);
    expect(waiting.verification?.tests).toMatch(/release suite 5 passed/);
    expect(waiting.verification?.benchmark).toMatch(/no clear change/);
    const described = await client.workflow.getHandle(first.workflowId).describe();
    expect(described.searchAttributes?.OuroTrainStage).toEqual(['awaiting-approval']);
    // Let a few reminders pass (and the run continue as new), then reject.
    await new Promise((r) => setTimeout(r, 3000));
    const answer = await client.workflow
      .getHandle(first.workflowId)
      .executeUpdate(trainDecisionUpdate, { args: [{ approve: false, by: 'alice', reason: 'freeze week' }] });
    expect(answer).toMatch(/rejected by alice/);
    const rejected = await trainResult(client.workflow.getHandle(first.workflowId));
    expect(rejected.outcome).toBe('rejected');
    expect(rejected.generations).toBeGreaterThan(1);
    expect(await gitLines(repo, 'tag', '-l')).toEqual([]);
    expect(await gitLines(repo, 'rev-parse', '--verify', '--quiet', 'refs/heads/release')).toEqual([]);
    let backlog = await readBacklog(repo);
    expect(backlog.tasks.map((t) => [t.id, t.state, t.attempts])).toEqual([
      ['doc-sum', 'queued', 0],
      ['doc-primes', 'queued', 0],
    ]);
    expect(backlog.tasks[0]!.history[0]!.reason).toMatch(/rejected by alice: freeze week/);
    // A second decision on a finished train is refused.
    await expect(client.workflow.getHandle(first.workflowId).executeUpdate(trainDecisionUpdate, { args: [{ approve: true }] })).rejects.toThrow();

    const second = await startTrain(input);
    await waitForStage(second.workflowId, ['awaiting-approval'], 'the second train to wait for approval');
    await second.executeUpdate(trainDecisionUpdate, { args: [{ approve: true, by: 'bob' }] });
    const released = await trainResult(second);
    expect(released).toMatchObject({ outcome: 'released', tag: 'v0.1.0' });
    expect(await gitLines(repo, 'tag', '-l')).toEqual(['v0.1.0']);
    expect((await gitLines(repo, 'show', 'v0.1.0:CHANGELOG.md')).join('\n')).toMatch(/benchmark vs the base: /);
    backlog = await readBacklog(repo);
    expect(backlog.tasks.map((t) => [t.id, t.state, t.release])).toEqual([
      ['doc-sum', 'released', 'v0.1.0'],
      ['doc-primes', 'released', 'v0.1.0'],
    ]);
    await recordHistory(second, 'train-approved');
  });
});

describe('cancellation', () => {
  it('a train cancelled while waiting for approval gives its tasks back and tags nothing', async () => {
    const repo = await trainRepo();
    await twoGoodTasks(repo);
    scriptByGoal(fake, GOOD);
    const handle = await startTrain(trainInput(repo, prefix, fake.url, { approval: true }));
    await waitForStage(handle.workflowId, ['awaiting-approval'], 'the approval wait');
    await handle.cancel();
    const result = await trainResult(handle);
    expect(result.outcome).toBe('cancelled');
    expect(await gitLines(repo, 'tag', '-l')).toEqual([]);
    const backlog = await readBacklog(repo);
    expect(backlog.tasks.map((t) => [t.state, t.attempts, t.history[0]?.reason])).toEqual([
      ['queued', 0, 'the train was cancelled'],
      ['queued', 0, 'the train was cancelled'],
    ]);
  });
});

describe('rollback', () => {
  it('a change that passes its own test but breaks the release suite is bisected out and named', async () => {
    const repo = await trainRepo();
    await addTasks(repo, [
      { id: 'doc-sum', goal: '[A] Document sumTo', files: ['src/sum.ts'], priority: 2 },
      // Its own test command only covers sum: it passes its run and its integration, not the full suite.
      { id: 'narrow', goal: '[E] Simplify countPrimesBelow', files: ['src/primes.ts'], test: './node_modules/.bin/vitest run test/sum.test.ts', priority: 1 },
    ]);
    scriptByGoal(fake, {
      A: GOOD.A,
      E: wholeFile('src/primes.ts', 'export function countPrimesBelow(limit: number): number {\n  return limit > 2 ? 1 : 0;\n}\n'),
    });
    const handle = await startTrain(trainInput(repo, prefix, fake.url));
    const result = await trainResult(handle);
    expect(result.outcome).toBe('released');
    const narrow = result.rides.find((r) => r.task === 'narrow')!;
    expect(narrow).toMatchObject({ runOutcome: 'committed', result: 'failed' });
    expect(narrow.reason).toMatch(/bisect: the release suite passes with the 1 change\(s\) before it and fails with it/);
    expect(await gitLines(repo, 'log', '--format=%(trailers:key=Ouro-Task,valueonly)', 'main..v0.1.0')).toEqual(['doc-sum']);
    expect((await gitLines(repo, 'show', 'v0.1.0:CHANGELOG.md')).join('\n')).toMatch(/Rolled back: narrow/);
    const backlog = await readBacklog(repo);
    expect(backlog.tasks.find((t) => t.id === 'narrow')).toMatchObject({ state: 'queued', attempts: 1 });
  });
});

describe('ouro train (CLI) and the schedule', () => {
  const ouro = (args: string[]) =>
    execa('node', [join(PROJECT_ROOT, 'bin', 'ouro.js'), 'train', ...args], {
      reject: false,
      env: { TEMPORAL_ADDRESS: inject('temporalAddress'), OURO_QUEUE_PREFIX: prefix },
    });

  it('add → create → trigger twice while integrating → one train, one integration; approve → tag; history and backlog tell it', async () => {
    const repo = await trainRepo();
    scriptByGoal(fake, GOOD);
    const added = await ouro(['add', repo, '--goal', '[A] Document sumTo', '--files', 'src/sum.ts', '--id', 'doc-sum', '--priority', '2']);
    expect(added.exitCode).toBe(0);
    expect((await ouro(['add', repo, '--goal', '[B] Document countPrimesBelow', '--files', 'src/primes.ts', '--id', 'doc-primes'])).exitCode).toBe(0);
    const dup = await ouro(['add', repo, '--goal', 'again', '--files', 'src/sum.ts', '--id', 'doc-sum']);
    expect(dup.exitCode).toBe(2);
    expect(dup.stderr).toMatch(/already in the backlog/);
    expect((await ouro(['add', repo, '--goal', 'x'])).stderr).toMatch(/--files/);
    const notGit = await ouro(['add', tmpdir(), '--goal', 'x', '--files', 'a']);
    expect(notGit.exitCode).toBe(2);
    expect(notGit.stderr).toMatch(/not a git repository/);

    const name = `cli${Date.now() % 100000}`;
    const noWhen = await ouro(['create', name, '--repo', repo]);
    expect(noWhen.exitCode).toBe(2);
    expect(noWhen.stderr).toMatch(/--every 6h or --cron/);
    const created = await ouro(['create', name, '--repo', repo, '--every', '1d', '--paused', '--approval', '--reminder', '1s', ...scriptedRunArgs(fake.url)]);
    expect(created.exitCode, created.stderr).toBe(0);
    expect((await ouro(['list'])).stdout).toMatch(new RegExp(`${name}\\s+paused`));
    expect((await ouro(['approve', name])).stderr).toMatch(/no train running/);
    const badBackfill = await ouro(['backfill', name, '--from', '2026-11-24T10:00:00Z', '--to', '2026-11-24T09:00:00Z']);
    expect(badBackfill.exitCode).toBe(2);
    expect(badBackfill.stderr).toMatch(/--from before --to/);
    expect((await ouro(['trigger', 'no-such-train'])).stderr).toMatch(/no train named "no-such-train"/);

    expect((await ouro(['trigger', name])).exitCode).toBe(0);
    const client = await testClient();
    const schedule = client.schedule.getHandle(scheduleId(name));
    const trainId = await waitFor(async () => (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId, 'the train to depart');
    await waitForStage(trainId, ['integrating', 'verifying', 'awaiting-approval'], 'the train to integrate');
    expect((await ouro(['trigger', name])).exitCode).toBe(0);
    await waitFor(
      when(async () => (await schedule.describe()).info.numActionsSkippedOverlap >= 1),
      'the second departure to be skipped',
      20_000,
    );
    await waitForStage(trainId, ['awaiting-approval'], 'the approval wait');
    const status = await ouro(['status', name]);
    expect(status.stdout).toMatch(/waiting for approval: ouro train approve/);
    expect(status.stdout).toMatch(/doc-sum: /);
    const approved = await ouro(['approve', name, '--by', 'carol']);
    expect(approved.stdout).toMatch(/approved by carol/);
    expect(((await client.workflow.getHandle(trainId).result()) as { tag: string }).tag).toBe('v0.1.0');

    const trains = [];
    for await (const w of client.workflow.list({ query: `TemporalScheduledById = '${scheduleId(name)}'` })) trains.push(w.workflowId);
    expect(trains).toEqual([trainId]);
    expect((await gitLines(repo, 'log', '--format=%(trailers:key=Ouro-Task,valueonly)', 'main..v0.1.0')).sort()).toEqual(['doc-primes', 'doc-sum']);
    const history = JSON.parse((await ouro(['history', name, '--json'])).stdout);
    expect(history).toMatchObject([{ id: trainId, outcome: 'released', tag: 'v0.1.0' }]);
    const backlog = await ouro(['backlog', repo]);
    expect(backlog.stdout).toMatch(/doc-sum\s+released/);
    expect((await ouro(['pause', name])).exitCode).toBe(0);
    expect((await ouro(['resume', name])).exitCode).toBe(0);
    expect((await ouro(['delete', name])).exitCode).toBe(0);
    expect((await ouro(['status', name])).stderr).toMatch(/no train named/);
  });
});
