// Task-queue names. The workflow routes every activity explicitly (the
// workflow picks the queue, the worker never guesses), so both sides read
// the names from here. A prefix lets several isolated deployments (or test
// suites) share one Temporal namespace without stealing each other's tasks.
export const PROVIDERS = ['openai', 'cerebras', 'gpu', 'local'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export interface QueueNames {
  workflow: string;
  git: string;
  sandbox: string;
  draft: Record<ProviderName, string>;
}

export function queueNames(prefix = ''): QueueNames {
  return {
    workflow: `${prefix}ouro`,
    git: `${prefix}ouro-git`,
    sandbox: `${prefix}ouro-sandbox`,
    draft: {
      openai: `${prefix}ouro-draft-openai`,
      cerebras: `${prefix}ouro-draft-cerebras`,
      gpu: `${prefix}ouro-draft-gpu`,
      local: `${prefix}ouro-draft-local`,
    },
  };
}

/** Every queue name, e.g. for a worker that serves all roles (the dev default). */
export function allQueues(q: QueueNames): string[] {
  return [q.workflow, q.git, q.sandbox, ...Object.values(q.draft)];
}
