import { ActivityCancellationType, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { ProviderName, QueueNames } from '../core/run/queues.js';
import type { RunTimeouts } from '../core/run/types.js';
import { CONFIG_ERROR_TYPES } from '../core/run/errors.js';

// Activity options every workflow uses, so a run, a search and a train treat the same stage alike.

/** Tests and benchmarks: bounded by their own timeout, watched by heartbeats. */
export function sandboxOptions(queue: string, seconds: number, heartbeatSeconds: number): ActivityOptions {
  return {
    taskQueue: queue,
    startToCloseTimeout: `${seconds + 60} seconds`,
    heartbeatTimeout: `${heartbeatSeconds} seconds`,
    // Wait until the child processes are really gone before the workflow moves on.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    // A dead worker or server is retried within a window of several runs' time, not just 3 attempts
    // (a restart of both spends two); a candidate that kills its worker every time is dropped by the
    // activity itself after POISON_DEATHS (adapters/workspace-guard/guard-state.ts), well before the attempts run out.
    scheduleToCloseTimeout: `${(seconds + 60) * SANDBOX_WINDOW_RUNS} seconds`,
    retry: { maximumAttempts: SANDBOX_WINDOW_RUNS, initialInterval: '1 second', maximumInterval: '10 seconds', nonRetryableErrorTypes: CONFIG_ERROR_TYPES },
  };
}

/** How many whole runs' time a sandbox activity may take, retries included. */
export const SANDBOX_WINDOW_RUNS = 10;

/** Git work: short, heartbeating (adapters/process/heartbeat.ts); a configuration error (bad ref, moved branch) is not retried. */
export function gitOptions(queue: string, startToClose: string): ActivityOptions {
  return {
    taskQueue: queue,
    startToCloseTimeout: startToClose,
    heartbeatTimeout: '15 seconds',
    retry: { maximumAttempts: 5, nonRetryableErrorTypes: CONFIG_ERROR_TYPES },
  };
}

/**
 * A draft on its provider's queue. `mayLimitQueueWait` is asked only when a queue wait is configured: a run
 * asks patched() there, so its marker stays where histories recorded before the wait limit expect it.
 */
export function draftOptions(queues: QueueNames, timeouts: RunTimeouts, provider: ProviderName, mayLimitQueueWait = () => true): ActivityOptions {
  return {
    taskQueue: queues.draft[provider],
    // A queue nobody serves would otherwise hold the draft until the workflow is cancelled.
    ...(timeouts.draftQueueSeconds && mayLimitQueueWait() ? { scheduleToStartTimeout: `${timeouts.draftQueueSeconds} seconds` } : {}),
    startToCloseTimeout: `${timeouts.draftSeconds} seconds`,
    heartbeatTimeout: `${Math.max(timeouts.heartbeatSeconds, 30)} seconds`,
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '30 seconds',
      maximumAttempts: 6,
      nonRetryableErrorTypes: CONFIG_ERROR_TYPES,
    },
  };
}

/** A proxy whose calls show `summary` on the Web UI's timeline. */
export function activities<T>(options: ActivityOptions, summary: string): T {
  return proxyActivities<T & Record<string, never>>({ ...options, summary }) as T;
}
