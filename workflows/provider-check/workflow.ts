// One question to a draft queue's worker: how does its provider look from there? The CLI asks it
// before a run starts (cli/provider-check.ts) and in `ouro doctor`. A workflow only because an
// activity needs one to be scheduled: it decides nothing, it runs the one check and returns.
import { ActivityFailure, proxyActivities, TimeoutFailure } from '@temporalio/workflow';
import type * as CheckActivities from '../../activities/draft/check-provider.js';
import type { ProviderCheckOutcome, ProviderCheckRequest } from '../../core/run/provider-check.js';

export interface ProviderCheckInput {
  /** The draft queue whose worker answers. */
  queue: string;
  check: ProviderCheckRequest;
  /** How long the check may wait for a worker to take it (a busy or absent one). */
  pickupSeconds: number;
}

export async function ProviderCheckWorkflow(input: ProviderCheckInput): Promise<ProviderCheckOutcome> {
  const { checkProvider } = proxyActivities<typeof CheckActivities>({
    taskQueue: input.queue,
    scheduleToStartTimeout: `${input.pickupSeconds} seconds`,
    // One GET with a 5 s limit; once: a retry would only make the preflight slower to say the same.
    startToCloseTimeout: '20 seconds',
    retry: { maximumAttempts: 1 },
  });
  try {
    return { kind: 'answered', answer: await checkProvider(input.check) };
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : undefined;
    if (cause instanceof TimeoutFailure && cause.timeoutType === 'SCHEDULE_TO_START') return { kind: 'not-picked-up', seconds: input.pickupSeconds };
    throw err;
  }
}
