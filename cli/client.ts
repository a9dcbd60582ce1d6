import { Client, Connection } from '@temporalio/client';
import { z } from 'zod';
import { formatZodError } from '../core/run/validation.js';
import { readFileSync } from 'node:fs';
import { serverTarget } from '../worker/connection.js';
import { uiPortsFile } from '../dev/dev-server.js';

export async function connectClient(): Promise<Client> {
  const t = serverTarget();
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: t.address, apiKey: t.apiKey, tls: t.tls as never, metadata: t.metadata, connectTimeout: '5 seconds' });
  } catch (err) {
    throw new CliError(
      `cannot reach the Temporal server at ${t.address} (${(err as Error).message}).\nStart one with \`ouro dev\`, or set TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_API_KEY for another cluster.`,
    );
  }
  return new Client({ connection, namespace: t.namespace });
}

/**
 * The Web UI's address: OURO_UI_URL (e.g. Temporal Cloud); else what a local dev server started
 * by `ouro dev` recorded for its port (`--ui-port`); else the dev server's default.
 */
export function webUiBase(address = serverTarget().address): string {
  if (process.env.OURO_UI_URL) return process.env.OURO_UI_URL.replace(/\/$/, '');
  const local = /^(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)$/.exec(address);
  if (local) {
    try {
      const recorded = JSON.parse(readFileSync(uiPortsFile(Number(local[1])), 'utf8')) as { uiUrl?: unknown };
      if (typeof recorded.uiUrl === 'string') return recorded.uiUrl;
    } catch {
      /* not started by ouro dev: the default below */
    }
  }
  return 'http://localhost:8233';
}

/** The Web UI page of a run. */
export function webUiLink(workflowId: string, namespace = serverTarget().namespace): string {
  const base = webUiBase();
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** An error the user can fix: printed without a stack, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Runs `fn`; input that fails validation becomes a usage error (exit 2) in flag terms. */
export function parsedInput<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof z.ZodError) throw new CliError(formatZodError(err), 2);
    throw err;
  }
}
