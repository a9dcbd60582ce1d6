import { connectClient } from '../client.js';
import { hintUpdate } from '../../workflows/definitions.js';
import { follow } from './follow.js';

export async function cancelCommand(id: string, o: { wait?: boolean; json?: boolean }): Promise<number> {
  const client = await connectClient();
  await client.workflow.getHandle(id).cancel();
  if (!o.json) process.stdout.write(`cancellation requested for ${id}\n`);
  return o.wait ? follow(client, id, { json: o.json }) : 0;
}

export async function hintCommand(id: string, text: string): Promise<number> {
  const client = await connectClient();
  const answer = await client.workflow.getHandle(id).executeUpdate(hintUpdate, { args: [text] });
  process.stdout.write(`${answer}\n`);
  return 0;
}
