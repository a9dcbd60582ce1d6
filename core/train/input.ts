// `ouro train create` flags → a complete TrainInput (validated here, so a
// schedule never starts a train that cannot run).
import { z } from 'zod';
import { parseDuration } from '../run/duration.js';
import { queueNames } from '../run/queues.js';
import { BUMPS } from './semver.js';
import type { TrainInput } from './types.js';

const duration = (what: string) =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const s = typeof v === 'number' ? v : parseDuration(v);
    if (s === undefined || s <= 0) {
      ctx.addIssue({ code: 'custom', message: `${what}: expected a duration such as 90s, 30m, 6h or 2d` });
      return z.NEVER;
    }
    return s;
  });

export const TRAIN_NAME = /^[A-Za-z0-9_-]{1,40}$/;

export const TrainFlagsSchema = z.object({
  name: z.string().regex(TRAIN_NAME, 'train names use letters, digits, _ and - (at most 40)'),
  repo: z.string().min(1),
  releaseBranch: z
    .string()
    .regex(/^[A-Za-z0-9._/-]+$/, 'branch names may use letters, digits, . _ / -')
    .default('release'),
  base: z.string().min(1).default('HEAD'),
  parallel: z.coerce.number().int().min(1).max(16).default(2),
  maxTasks: z.coerce.number().int().min(1).max(200).default(10),
  maxAttempts: z.coerce.number().int().min(1).max(20).default(3),
  bump: z.enum(BUMPS).default('patch'),
  tagPrefix: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/)
    .default('v'),
  approval: z.boolean().default(false),
  approvalTimeout: duration('--approval-timeout').default(86_400),
  reminder: duration('--reminder').default(3_600),
  testTimeout: z.coerce.number().int().min(1).default(300),
  benchTimeout: z.coerce.number().int().min(1).default(600),
  heartbeat: z.coerce.number().int().min(1).default(30),
  queuePrefix: z.string().default(''),
  historyBudget: z.coerce.number().int().min(50).optional(),
  /** `ouro run` flags for every task of the train. */
  run: z.record(z.string(), z.unknown()).default({}),
});
export type TrainFlags = z.input<typeof TrainFlagsSchema>;

export function buildTrainInput(flags: TrainFlags): TrainInput {
  const f = TrainFlagsSchema.parse(flags);
  const run = Object.fromEntries(Object.entries(f.run).filter(([, v]) => v !== undefined));
  return {
    name: f.name,
    repo: f.repo,
    releaseBranch: f.releaseBranch,
    baseRef: f.base,
    maxParallel: f.parallel,
    maxTasks: f.maxTasks,
    maxAttempts: f.maxAttempts,
    bump: f.bump,
    tagPrefix: f.tagPrefix,
    ...(f.approval ? { approval: { timeoutSeconds: f.approvalTimeout, reminderSeconds: Math.min(f.reminder, f.approvalTimeout) } } : {}),
    runFlags: { heartbeat: f.heartbeat, testTimeout: f.testTimeout, queuePrefix: f.queuePrefix, ...run },
    queues: queueNames(f.queuePrefix),
    timeouts: { testSeconds: f.testTimeout, benchSeconds: f.benchTimeout, heartbeatSeconds: f.heartbeat },
    ...(f.historyBudget ? { historyBudget: f.historyBudget } : {}),
  };
}

/** The schedule of train `name`; its trains' workflow ids start with it. */
/** A train's schedule (and the id of each train it starts) is its name under this prefix. */
export const SCHEDULE_PREFIX = 'ouro-train-';
export const scheduleId = (name: string) => `${SCHEDULE_PREFIX}${name}`;
