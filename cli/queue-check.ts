import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { queuesNeeded, unservedWarning, type QueueNeed } from '../core/run/queue-needs.js';
import type { RunInput } from '../core/run/types.js';

// CommonJS: its namespaces come through the default export.
const { TaskQueueType, TaskQueueKind } = proto.temporal.api.enums.v1;

/** Whether any worker polled `need.queue` recently (Temporal's describeTaskQueue lists recent pollers). */
export async function served(client: Client, need: QueueNeed): Promise<boolean> {
  const res = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: need.queue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: need.kind === 'workflow' ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
  });
  return (res.pollers?.length ?? 0) > 0;
}

/**
 * Before a run starts: a warning (not a refusal; a worker may be on its way) for each queue the run
 * needs that no worker serves. A server that cannot answer the question is not a reason to stop.
 */
export async function warnUnservedQueues(client: Client, input: Pick<RunInput, 'queues' | 'drafts' | 'timeouts'>): Promise<string | undefined> {
  try {
    const needs = queuesNeeded(input);
    const answers = await Promise.all(needs.map((n) => served(client, n)));
    return unservedWarning(
      needs.filter((_, i) => !answers[i]),
      input.timeouts.draftQueueSeconds,
    );
  } catch {
    return undefined;
  }
}
