// Asks the worker serving a draft queue how its provider looks from there (workflows/provider-check),
// after making sure someone serves the queue at all: with nobody polling it, there is no worker's
// view to ask for, and the caller says so (the preflight then checks this shell's environment, as before).
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { ProviderCheckOutcome, ProviderCheckRequest } from '../core/run/provider-check.js';
import type { QueueNames } from '../core/run/queues.js';
import type { DraftSlotPlan } from '../core/run/types.js';
import type { ProviderCheckWorkflow } from '../workflows/provider-check/workflow.js';
import { served } from './queue-check.js';

export type WorkerCheck = ProviderCheckOutcome | { kind: 'unserved'; queue: string };

/** How long a served queue's workers get to take the check: a worker busy with drafts may take a while to get to it. */
export const PICKUP_SECONDS = 10;

export function checkRequestOf(slot: DraftSlotPlan): ProviderCheckRequest {
  return { provider: slot.provider, model: slot.model, baseUrl: slot.baseUrl, baseUrlFrom: slot.baseUrlFrom, apiKeyVar: slot.apiKeyVar };
}

export async function checkOnWorker(client: Client, queues: QueueNames, slot: DraftSlotPlan, pickupSeconds = PICKUP_SECONDS): Promise<WorkerCheck> {
  const queue = queues.draft[slot.provider];
  const [workflowServed, draftServed] = await Promise.all([
    served(client, { queue: queues.workflow, kind: 'workflow', role: 'the check' }),
    served(client, { queue, kind: 'activity', role: `${slot.provider} drafts` }),
  ]);
  if (!draftServed) return { kind: 'unserved', queue };
  if (!workflowServed) return { kind: 'unserved', queue: queues.workflow };
  return client.workflow.execute<typeof ProviderCheckWorkflow>('ProviderCheckWorkflow', {
    taskQueue: queues.workflow,
    workflowId: `ouro-provider-check-${slot.provider}-${randomBytes(4).toString('hex')}`,
    args: [{ queue, check: checkRequestOf(slot), pickupSeconds }],
    // Never left waiting: the pickup limit plus the check's own.
    workflowExecutionTimeout: `${pickupSeconds + 30} seconds`,
  });
}

/** The preflight's question, bound to a client and a run's queues. */
export function askWorkers(client: Client, queues: QueueNames): (slot: DraftSlotPlan) => Promise<WorkerCheck> {
  return (slot) => checkOnWorker(client, queues, slot);
}
