// The release train's backlog: improvement tasks waiting for a train, with
// what happened to them on every train they rode. Pure operations over a
// plain value; adapters/stores/backlog-store.ts keeps it on disk. A task is never
// dropped silently: it is released, queued again with its reasons, or given
// up after its attempts are spent, and its history says which and why.
import { z } from 'zod';
import { BENCH_MODES } from '../stats/bench-measure.js';

const list = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean));

/** What a user writes: `ouro train add` flags or one entry of ouro.backlog.json. */
export const TaskSpecSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'task ids use letters, digits, . _ - (at most 64)')
      .optional(),
    goal: z.string().trim().min(1, 'a task needs a goal'),
    files: list.pipe(z.array(z.string()).min(1, 'a task needs the files the model may change')),
    test: z.string().trim().min(1).optional(),
    bench: z.string().trim().min(1).optional(),
    benchMode: z.enum(BENCH_MODES).optional(),
    speedup: z.number().min(1).optional(),
    fix: z.boolean().optional(),
    drafts: z.string().optional(),
    rounds: z.number().int().min(1).max(50).optional(),
    /** Higher runs first (and integrates first). */
    priority: z.number().int().default(0),
  })
  .strict();
export type TaskSpec = z.infer<typeof TaskSpecSchema>;

/** ouro.backlog.json in the target repository: a list of task specs (ids keep re-imports idempotent). */
export const BacklogFileSchema = z.object({ tasks: z.array(TaskSpecSchema.extend({ id: TaskSpecSchema.shape.id.unwrap() })) }).strict();

export type TaskState = 'queued' | 'claimed' | 'released' | 'gave-up';
/** How a task's ride on one train ended. */
export type TaskResult = 'released' | 'failed' | 'returned';

export const TaskRecordSchema = TaskSpecSchema.extend({
  id: z.string(),
  state: z.enum(['queued', 'claimed', 'released', 'gave-up']),
  attempts: z.number().int().nonnegative(),
  claimedBy: z.string().optional(),
  source: z.enum(['cli', 'file']),
  addedAt: z.string(),
  release: z.string().optional(),
  history: z.array(z.object({ train: z.string(), result: z.enum(['released', 'failed', 'returned']), reason: z.string(), at: z.string() })),
});
export type TaskRecord = z.infer<typeof TaskRecordSchema>;

export const BacklogSchema = z.object({ version: z.literal(1), tasks: z.array(TaskRecordSchema) });
export type Backlog = z.infer<typeof BacklogSchema>;

export const emptyBacklog = (): Backlog => ({ version: 1, tasks: [] });

export function addTask(backlog: Backlog, spec: TaskSpec, opts: { id: string; now: Date; source: 'cli' | 'file' }): Backlog {
  if (backlog.tasks.some((t) => t.id === opts.id)) throw new Error(`a task with id "${opts.id}" is already in the backlog`);
  const record: TaskRecord = { ...spec, id: opts.id, state: 'queued', attempts: 0, source: opts.source, addedAt: opts.now.toISOString(), history: [] };
  return { ...backlog, tasks: [...backlog.tasks, record] };
}

/** Adds the file's tasks whose ids the backlog has not seen (a re-read never duplicates). */
export function importTasks(backlog: Backlog, specs: ReadonlyArray<TaskSpec & { id: string }>, now: Date): { backlog: Backlog; added: string[] } {
  let out = backlog;
  const added: string[] = [];
  for (const spec of specs) {
    if (out.tasks.some((t) => t.id === spec.id)) continue;
    out = addTask(out, spec, { id: spec.id, now, source: 'file' });
    added.push(spec.id);
  }
  return { backlog: out, added };
}

/**
 * The tasks a train takes: the ones it already claimed (a retried activity
 * gets the same answer), else the queued ones by priority, then age.
 */
export function claimTasks(backlog: Backlog, train: string, max: number): { backlog: Backlog; claimed: TaskRecord[] } {
  const byPriority = (a: TaskRecord, b: TaskRecord) => b.priority - a.priority || a.addedAt.localeCompare(b.addedAt) || a.id.localeCompare(b.id);
  const mine = backlog.tasks.filter((t) => t.state === 'claimed' && t.claimedBy === train).sort(byPriority);
  if (mine.length) return { backlog, claimed: mine };
  const picked = backlog.tasks
    .filter((t) => t.state === 'queued')
    .sort(byPriority)
    .slice(0, Math.max(0, max))
    .map((t) => t.id);
  const tasks = backlog.tasks.map((t) => (picked.includes(t.id) ? { ...t, state: 'claimed' as const, claimedBy: train } : t));
  return { backlog: { ...backlog, tasks }, claimed: picked.map((id) => tasks.find((t) => t.id === id)!) };
}

export interface Settlement {
  task: string;
  result: TaskResult;
  reason: string;
  /** A failure of the task itself counts; a release rejected as a whole does not. */
  countsAsAttempt: boolean;
  release?: string;
}

/** Records how each task's ride ended. Settling the same train twice changes nothing. */
export function settleTasks(backlog: Backlog, train: string, settlements: readonly Settlement[], opts: { maxAttempts: number; now: Date }): Backlog {
  const tasks = backlog.tasks.map((t) => {
    const s = settlements.find((x) => x.task === t.id);
    // Only this train's claims: settling twice is a no-op, and a task another train now holds is left alone.
    if (!s || t.state !== 'claimed' || t.claimedBy !== train) return t;
    const attempts = t.attempts + (s.countsAsAttempt ? 1 : 0);
    const state: TaskState = s.result === 'released' ? 'released' : attempts >= opts.maxAttempts ? 'gave-up' : 'queued';
    const { claimedBy: _, ...rest } = t;
    return {
      ...rest,
      state,
      attempts,
      ...(s.release ? { release: s.release } : {}),
      history: [...t.history, { train, result: s.result, reason: s.reason, at: opts.now.toISOString() }],
    };
  });
  return { ...backlog, tasks };
}

/** Puts a task back in the queue by hand (after it gave up, or when its train was terminated). */
export function requeueTask(backlog: Backlog, id: string): Backlog {
  if (!backlog.tasks.some((t) => t.id === id)) throw new Error(`no task "${id}" in the backlog`);
  return { ...backlog, tasks: backlog.tasks.map((t) => (t.id === id ? { ...t, state: 'queued' as const, attempts: 0, claimedBy: undefined } : t)) };
}
