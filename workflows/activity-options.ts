import { ActivityCancellationType, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import { CONFIG_ERROR } from '../lib/errors.js';

// Activity options both workflows use, so a run and a train treat the same stage alike.

/** Tests and benchmarks: bounded by their own timeout, watched by heartbeats. */
export function sandboxOptions(queue: string, seconds: number, heartbeatSeconds: number): ActivityOptions {
  return {
    taskQueue: queue,
    startToCloseTimeout: `${seconds + 60} seconds`,
    heartbeatTimeout: `${heartbeatSeconds} seconds`,
    // Wait until the child processes are really gone before the workflow moves on.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: { maximumAttempts: 3, nonRetryableErrorTypes: [CONFIG_ERROR] },
  };
}

/** Git work: short; a configuration error (bad ref, moved branch) is not retried. */
export function gitOptions(queue: string, startToClose: string): ActivityOptions {
  return { taskQueue: queue, startToCloseTimeout: startToClose, retry: { maximumAttempts: 5, nonRetryableErrorTypes: [CONFIG_ERROR] } };
}

/** A proxy whose calls show `summary` on the Web UI's timeline. */
export function activities<T>(options: ActivityOptions, summary: string): T {
  return proxyActivities<T & Record<string, never>>({ ...options, summary }) as T;
}
