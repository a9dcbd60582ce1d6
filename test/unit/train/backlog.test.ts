import { describe, expect, it } from 'vitest';
import {
  addTask,
  BacklogFileSchema,
  claimTasks,
  emptyBacklog,
  importTasks,
  requeueTask,
  settleTasks,
  TaskSpecSchema,
  type Backlog,
} from '../../../core/train/backlog.js';

const t0 = new Date('2026-11-24T08:00:00Z');
const spec = (goal: string, priority = 0) => TaskSpecSchema.parse({ goal, files: 'src/a.ts', priority });

function backlogOf(...tasks: Array<[string, number]>): Backlog {
  let b = emptyBacklog();
  tasks.forEach(([id, priority], i) => (b = addTask(b, spec(`goal ${id}`, priority), { id, now: new Date(t0.getTime() + i * 1000), source: 'cli' })));
  return b;
}

describe('backlog', () => {
  it('validates task specs with messages a user can act on', () => {
    expect(TaskSpecSchema.safeParse({ goal: '', files: 'a' }).error?.issues[0]?.message).toMatch(/needs a goal/);
    expect(TaskSpecSchema.safeParse({ goal: 'g', files: '' }).error?.issues[0]?.message).toMatch(/needs the files/);
    expect(TaskSpecSchema.safeParse({ goal: 'g', files: 'a', id: 'has space' }).error?.issues[0]?.message).toMatch(/task ids use/);
    expect(TaskSpecSchema.safeParse({ goal: 'g', files: 'a', surprise: 1 }).success).toBe(false);
    expect(TaskSpecSchema.parse({ goal: 'g', files: 'a.ts, b.ts' }).files).toEqual(['a.ts', 'b.ts']);
    expect(BacklogFileSchema.safeParse({ tasks: [{ goal: 'g', files: 'a' }] }).success).toBe(false); // file tasks need ids
  });

  it('refuses a duplicate id', () => {
    expect(() => addTask(backlogOf(['a', 0]), spec('again'), { id: 'a', now: t0, source: 'cli' })).toThrow(/already in the backlog/);
  });

  it('claims by priority, then age, at most max; a retried claim gets the same tasks', () => {
    const b = backlogOf(['low', 0], ['high', 5], ['mid', 2], ['mid2', 2]);
    const first = claimTasks(b, 'train-1', 3);
    expect(first.claimed.map((t) => t.id)).toEqual(['high', 'mid', 'mid2']);
    expect(first.backlog.tasks.find((t) => t.id === 'low')!.state).toBe('queued');
    const again = claimTasks(first.backlog, 'train-1', 3);
    expect(again.claimed.map((t) => t.id)).toEqual(['high', 'mid', 'mid2']);
    expect(again.backlog).toBe(first.backlog);
    // Another train gets only what is left.
    expect(claimTasks(first.backlog, 'train-2', 3).claimed.map((t) => t.id)).toEqual(['low']);
  });

  it('settles each ride once: released, queued again with the reason, or given up after max attempts', () => {
    let b = claimTasks(backlogOf(['ok', 0], ['bad', 0], ['rejected', 0]), 'tr1', 10).backlog;
    const settle = (bl: Backlog, train: string) =>
      settleTasks(
        bl,
        train,
        [
          { task: 'ok', result: 'released', reason: 'in v1', countsAsAttempt: false, release: 'v1' },
          { task: 'bad', result: 'failed', reason: 'tests failed', countsAsAttempt: true },
          { task: 'rejected', result: 'returned', reason: 'release rejected', countsAsAttempt: false },
        ],
        { maxAttempts: 2, now: t0 },
      );
    b = settle(b, 'tr1');
    expect(settle(b, 'tr1')).toEqual(b); // idempotent
    const byId = (bl: Backlog, id: string) => bl.tasks.find((t) => t.id === id)!;
    expect(byId(b, 'ok')).toMatchObject({ state: 'released', release: 'v1', attempts: 0 });
    expect(byId(b, 'bad')).toMatchObject({ state: 'queued', attempts: 1, history: [{ train: 'tr1', result: 'failed', reason: 'tests failed' }] });
    expect(byId(b, 'bad').claimedBy).toBeUndefined();
    expect(byId(b, 'rejected')).toMatchObject({ state: 'queued', attempts: 0 });
    b = settle(claimTasks(b, 'tr2', 10).backlog, 'tr2');
    expect(byId(b, 'bad')).toMatchObject({ state: 'gave-up', attempts: 2 });
    expect(byId(b, 'bad').history).toHaveLength(2);
    expect(claimTasks(b, 'tr3', 10).claimed.map((t) => t.id)).toEqual(['rejected']);
    b = requeueTask(b, 'bad');
    expect(byId(b, 'bad')).toMatchObject({ state: 'queued', attempts: 0 });
    expect(() => requeueTask(b, 'nope')).toThrow(/no task "nope"/);
  });

  it('imports a backlog file once per id', () => {
    const file = BacklogFileSchema.parse({
      tasks: [
        { id: 'f1', goal: 'g', files: ['a'] },
        { id: 'f2', goal: 'h', files: ['b'], priority: 1 },
      ],
    });
    const first = importTasks(emptyBacklog(), file.tasks, t0);
    expect(first.added).toEqual(['f1', 'f2']);
    const again = importTasks(first.backlog, file.tasks, t0);
    expect(again.added).toEqual([]);
    expect(again.backlog.tasks).toHaveLength(2);
    expect(again.backlog.tasks[1]).toMatchObject({ source: 'file', priority: 1 });
  });
});
