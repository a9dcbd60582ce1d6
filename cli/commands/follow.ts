import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import type { RunResult, RunStatus } from '../../core/run/types.js';
import { statusQuery } from '../../workflows/definitions.js';
import { describeResult, describeStatus, exitCodeFor, printJson, EXIT } from '../render.js';
import { oneLine } from '../../core/views/excerpt.js';
import { progressLine } from '../../core/views/status-view.js';
import { serverTarget } from '../../worker/connection.js';
import { isServerUnreachable, ServerOutage } from '../server-outage.js';

function failureChain(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  while (e instanceof Error) {
    parts.push(e.message);
    e = (e as { cause?: unknown }).cause;
  }
  return [...new Set(parts)].join(': ');
}

type Settled = { result: RunResult } | { error: unknown } | { gaveUp: true };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The run's outcome, waited for across outages of the server (cli/server-outage.ts). */
async function outcome(handle: WorkflowHandle, outage: ServerOutage): Promise<Settled> {
  for (;;) {
    try {
      const result = (await handle.result()) as RunResult;
      outage.back();
      return { result };
    } catch (err) {
      if (!isServerUnreachable(err)) return { error: err };
      outage.lost(err);
      if (outage.exhausted) return { gaveUp: true };
      await sleep(outage.nextDelayMs());
    }
  }
}

/** Prints progress lines as the run moves, then the result; returns the exit code. Rides out the server's outages. */
export async function follow(client: Client, workflowId: string, opts: { json?: boolean; outage?: ServerOutage } = {}): Promise<number> {
  const handle: WorkflowHandle = client.workflow.getHandle(workflowId);
  const outage = opts.outage ?? new ServerOutage(serverTarget().address);
  const seen = new Map<string, string>();
  let lastHeader = '';
  let settled: Settled | undefined;
  const settling = outcome(handle, outage).then((s) => (settled = s));
  while (!settled) {
    const status = (await handle.query(statusQuery).then(
      (s) => {
        outage.back();
        return s;
      },
      (err: unknown) => {
        if (isServerUnreachable(err)) outage.lost(err);
        return undefined;
      },
    )) as RunStatus | undefined;
    if (outage.exhausted) settled ??= { gaveUp: true };
    if (settled) break;
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
    await Promise.race([settling, sleep(1000)]);
  }
  if ('gaveUp' in settled) {
    const message = outage.givingUp(workflowId);
    if (opts.json) printJson({ workflowId, outcome: 'unknown', error: message });
    else process.stderr.write(`${message}\n`);
    return EXIT.error;
  }
  if ('result' in settled) {
    const { result } = settled;
    if (opts.json) printJson({ workflowId, ...result });
    else {
      process.stdout.write(`\n${describeResult(result)}\n`);
      if (result.diff) process.stdout.write(`\ncommitted diff:\n${result.diff}\n`);
    }
    return exitCodeFor(result);
  }
  const err = settled.error;
  const message = err instanceof WorkflowFailedError ? failureChain(err.cause ?? err) : failureChain(err);
  if (opts.json) printJson({ workflowId, outcome: 'failed', error: message });
  else process.stderr.write(`run ${workflowId} failed: ${message}\n`);
  return EXIT.error;
}
