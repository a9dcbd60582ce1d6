import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { draftActivities, gitActivities, sandboxActivities } from '../activities/index.js';
import { PRESETS } from '../core/run/providers.js';
import { PROVIDERS, type ProviderName, type QueueNames } from '../core/run/queues.js';
import { workflowBundlePath } from './bundle.js';
import { serverTarget } from './connection.js';
import { cpus } from 'node:os';

// One Temporal Worker polls one task queue, so a process serving several
// roles runs several Workers on one connection.

export interface WorkerSet {
  workers: Worker[];
  connection: NativeConnection;
  run(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Per-provider queue limits; unset values come from OURO_<PROVIDER>_* variables, then the preset. */
export type QueueLimits = Partial<Record<ProviderName, { concurrency?: number; perSecond?: number }>>;

function optionsFor(
  queue: string,
  q: QueueNames,
  bundlePath: () => Promise<string>,
  limits: QueueLimits,
): Promise<Partial<WorkerOptions>> | Partial<WorkerOptions> {
  if (queue === q.workflow) return bundlePath().then((codePath) => ({ workflowBundle: { codePath } }));
  if (queue === q.git) return { activities: gitActivities, maxConcurrentActivityTaskExecutions: 8 };
  // Tests and benchmarks compete for cores: one at a time per core, unless the host says otherwise.
  if (queue === q.sandbox) {
    const slots = Number(process.env.OURO_SANDBOX_CONCURRENCY) || Math.max(1, cpus().length);
    return { activities: sandboxActivities, maxConcurrentActivityTaskExecutions: slots };
  }
  for (const p of PROVIDERS) {
    if (queue === q.draft[p]) {
      const preset = PRESETS[p];
      const perSecond = limits[p]?.perSecond ?? Number(process.env[`OURO_${p.toUpperCase()}_MAX_PER_SECOND`] ?? preset.maxPerSecond ?? 0);
      return {
        activities: draftActivities,
        maxConcurrentActivityTaskExecutions: limits[p]?.concurrency ?? Number(process.env[`OURO_${p.toUpperCase()}_CONCURRENCY`] ?? preset.maxConcurrent),
        // Enforced by the server across every worker of this queue.
        ...(perSecond > 0 ? { maxTaskQueueActivitiesPerSecond: perSecond } : {}),
      };
    }
  }
  throw new Error(`unknown queue ${queue}; known: ${[q.workflow, q.git, q.sandbox, ...Object.values(q.draft)].join(', ')}`);
}

export async function createWorkers(
  queueList: string[],
  q: QueueNames,
  opts: { connection?: NativeConnection; shutdownGraceTime?: string; limits?: QueueLimits } = {},
): Promise<WorkerSet> {
  const target = serverTarget();
  const connection =
    opts.connection ??
    (await NativeConnection.connect({ address: target.address, apiKey: target.apiKey, tls: target.tls as never, metadata: target.metadata }));
  const workers: Worker[] = [];
  for (const queue of queueList) {
    const specific = await optionsFor(queue, q, workflowBundlePath, opts.limits ?? {});
    workers.push(
      await Worker.create({
        connection,
        namespace: target.namespace,
        taskQueue: queue,
        shutdownGraceTime: opts.shutdownGraceTime ?? '5 seconds',
        ...specific,
      }),
    );
  }
  return {
    workers,
    connection,
    run: async () => {
      await Promise.all(workers.map((w) => w.run()));
    },
    shutdown: async () => {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    },
  };
}
