import { Client, Connection } from '@temporalio/client';
import { z } from 'zod';
import { formatZodError } from '../core/run/validation.js';
import { readFileSync } from 'node:fs';
import { serverTarget } from '../worker/connection.js';
// The record's name from state-dirs, not dev/dev-server.js: that would load execa into every client command.
import { devServerRecord as uiPortsFile } from '../adapters/state-dirs.js';
import { CliError } from './cli-error.js';

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

const uiRecord = z.object({ uiUrl: z.url({ protocol: /^https?$/ }) });

/** What a dev server started by `ouro dev` with a UI recorded for its frontend port (a headless one records nothing). */
export type UiRecord = z.infer<typeof uiRecord>;

function readUiRecord(port: number): UiRecord | undefined {
  try {
    const parsed = uiRecord.safeParse(JSON.parse(readFileSync(uiPortsFile(port), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // not started by `ouro dev` (or its record is unreadable): nothing known
  }
}

const LOCAL_ADDRESS = /^(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)$/;

/**
 * The Web UI of the server at `address`, from what is known of that server: OURO_UI_URL (e.g.
 * Temporal Cloud); else what a local dev server started by `ouro dev` recorded for its port; else,
 * for a local server on Temporal's default port, the Temporal CLI's default UI. Anything else (a
 * cluster, which serves no UI, a remote server) has no UI Ouro knows of: undefined.
 */
export function uiBaseFor(address: string, record: (port: number) => UiRecord | undefined, uiUrl = process.env.OURO_UI_URL): string | undefined {
  if (uiUrl) return uiUrl.replace(/\/$/, '');
  const local = LOCAL_ADDRESS.exec(address);
  if (!local) return undefined;
  const port = Number(local[1]);
  const recorded = record(port);
  if (recorded) return recorded.uiUrl;
  return port === 7233 ? 'http://localhost:8233' : undefined;
}

/** The Web UI's address for the server this CLI talks to (see uiBaseFor). */
export function webUiBase(address = serverTarget().address): string | undefined {
  return uiBaseFor(address, readUiRecord);
}

/** The Web UI page of a run, or a line saying the server has no UI Ouro knows of, and how to name one. */
export function webUiLink(workflowId: string, namespace = serverTarget().namespace, address = serverTarget().address): string {
  const base = webUiBase(address);
  if (!base) return `none known for ${address} (\`ouro cluster\` serves none; set OURO_UI_URL to a server's UI)`;
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

export { CliError };

/** Runs `fn`; input that fails validation becomes a usage error (exit 2) in flag terms. */
export function parsedInput<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof z.ZodError) throw new CliError(formatZodError(err), 2);
    throw err;
  }
}
