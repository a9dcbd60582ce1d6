import type { RunInput } from './types.js';

/** A task queue a run cannot progress without, and what waits on it. */
export interface QueueNeed {
  queue: string;
  kind: 'workflow' | 'activity';
  /** What stalls when nobody serves it, in the words of a warning. */
  role: string;
}

/** Every queue a run's tasks are routed to (the workflow's, git's, the sandbox's, each draft provider's). */
export function queuesNeeded(input: Pick<RunInput, 'queues' | 'drafts'>): QueueNeed[] {
  const q = input.queues;
  const needs: QueueNeed[] = [
    { queue: q.workflow, kind: 'workflow', role: 'the run itself' },
    { queue: q.git, kind: 'activity', role: 'workspaces and commits' },
    { queue: q.sandbox, kind: 'activity', role: 'tests and benchmarks' },
  ];
  for (const provider of new Set(input.drafts.map((d) => d.provider))) {
    needs.push({ queue: q.draft[provider], kind: 'activity', role: `${provider} drafts` });
  }
  return needs;
}

/**
 * The warning for queues no worker has polled lately (Temporal keeps a queue's pollers for a few
 * minutes), or undefined when every one is served. Draft queues end the run after `queueWaitSeconds`;
 * the others just wait, so the warning says which is which.
 */
export function unservedWarning(unserved: QueueNeed[], queueWaitSeconds: number | undefined): string | undefined {
  if (!unserved.length) return undefined;
  const lines = unserved.map((n) => {
    const consequence =
      n.role.endsWith(' drafts') && queueWaitSeconds
        ? `its drafts wait ${queueWaitSeconds} s, then the run ends no-worker`
        : 'the run waits until a worker polls it';
    return `  ${n.queue} (${n.role}): ${consequence}`;
  });
  const names = unserved.map((n) => n.queue).join(',');
  return [
    `warning: no worker has polled ${unserved.length === 1 ? 'this task queue' : 'these task queues'} lately:`,
    ...lines,
    `start one: ouro worker --queues ${names}   (or \`ouro dev\` for all of them on this machine)`,
  ].join('\n');
}
