import { WorkflowNotFoundError } from '@temporalio/client';
import type { RunResult, RunStatus } from '../../core/run/types.js';
import { statusQuery } from '../../workflows/definitions.js';
import { CliError, connectClient, webUiLink } from '../client.js';
import { candidateTable, describeResult, describeStatus, printJson } from '../render.js';
import { contextLines } from '../../core/views/status-view.js';
import { follow } from './follow.js';

const OTHER_STATUS: Record<string, { what: string; command: string }> = {
  EvolveWorkflow: { what: 'an evolve search', command: 'ouro evolve status <id>' },
  EvalWorkflow: { what: 'an eval', command: 'ouro eval report <id>' },
  ReleaseTrainWorkflow: { what: "a release train's workflow", command: 'ouro train status <train name>' },
};

export async function statusCommand(id: string, o: { json?: boolean; wait?: boolean }): Promise<number> {
  const client = await connectClient();
  if (o.wait) return follow(client, id, { json: o.json });
  const handle = client.workflow.getHandle(id);
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new CliError(`no run with id ${id} (ouro list shows recent runs)`);
    throw err;
  }
  // Searches, evals and trains have status commands of their own; their results are not a run's.
  const elsewhere = OTHER_STATUS[description.type];
  if (elsewhere) throw new CliError(`${id} is ${elsewhere.what}, not a run: \`${elsewhere.command.replace('<id>', id)}\` shows it`, 2);
  const state = description.status.name;
  const result = state === 'COMPLETED' ? ((await handle.result()) as RunResult) : undefined;
  const live = state === 'RUNNING' ? ((await handle.query(statusQuery).catch(() => undefined)) as RunStatus | undefined) : undefined;
  if (o.json) {
    printJson({ workflowId: id, state, startTime: description.startTime, closeTime: description.closeTime, status: live, result });
    return 0;
  }
  process.stdout.write(`${id}  ${state}  started ${description.startTime.toISOString()}\nWeb UI: ${webUiLink(id, client.options.namespace)}\n`);
  if (live)
    process.stdout.write(`${[describeStatus(live), ...contextLines(live.context).map((l) => `context: ${l}`), candidateTable(live.candidates)].join('\n')}\n`);
  if (result) process.stdout.write(`${describeResult(result)}\n`);
  return 0;
}
