import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import type { RunResult, RunStatus } from '../../core/run/types.js';
import { statusQuery } from '../../workflows/definitions.js';
import { describeResult, describeStatus, exitCodeFor, printJson, EXIT } from '../render.js';
import { oneLine } from '../../core/views/excerpt.js';
import { progressLine } from '../../core/views/status-view.js';

function failureChain(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  while (e instanceof Error) {
    parts.push(e.message);
    e = (e as { cause?: unknown }).cause;
  }
  return [...new Set(parts)].join(': ');
}

/** Prints progress lines as the run moves, then the result; returns the exit code. */
export async function follow(client: Client, workflowId: string, opts: { json?: boolean } = {}): Promise<number> {
  const handle: WorkflowHandle = client.workflow.getHandle(workflowId);
  const seen = new Map<string, string>();
  let lastHeader = '';
  const resultPromise = handle.result() as Promise<RunResult>;
  let done = false;
  resultPromise.finally(() => (done = true)).catch(() => {});
  while (!done) {
    const status = (await handle.query(statusQuery).catch(() => undefined)) as RunStatus | undefined;
    if (status && !opts.json) {
      const header = describeStatus(status);
      if (header !== lastHeader) process.stdout.write(`· ${header}\n`);
      lastHeader = header;
      for (const c of status.candidates) {
        const line = progressLine(c.status, c.speedup);
        if (seen.get(c.id) === line) continue;
        seen.set(c.id, line);
        process.stdout.write(
          `  ${c.id} ${c.provider}/${c.model}: ${line}${c.reason && c.status !== 'testing' ? ` — ${oneLine(c.reason.split('\n')[0]!, 200)}` : ''}\n`,
        );
      }
    }
    await Promise.race([resultPromise.catch(() => {}), new Promise((r) => setTimeout(r, 1000))]);
  }
  try {
    const result = await resultPromise;
    if (opts.json) printJson({ workflowId, ...result });
    else {
      process.stdout.write(`\n${describeResult(result)}\n`);
      if (result.diff) process.stdout.write(`\ncommitted diff:\n${result.diff}\n`);
    }
    return exitCodeFor(result);
  } catch (err) {
    const message = err instanceof WorkflowFailedError ? failureChain(err.cause ?? err) : failureChain(err);
    if (opts.json) printJson({ workflowId, outcome: 'failed', error: message });
    else process.stderr.write(`run ${workflowId} failed: ${message}\n`);
    return EXIT.error;
  }
}
