// What `ouro doctor` asks the Temporal server: is it there, with its namespace; who polls the
// queues a run needs; and, through the preflight's check (cli/provider-check.ts), how each
// configured provider looks from a worker serving its draft queue.
import { Client, Connection } from '@temporalio/client';
import type { DoctorCheck } from '../../core/doctor/report.js';
import { providerCheck, queuesCheck, temporalCheck } from '../../core/doctor/verdicts.js';
import type { QueueNames } from '../../core/run/queues.js';
import type { DraftSlotPlan } from '../../core/run/types.js';
import { serverTarget } from '../../worker/connection.js';
import { checkOnWorker } from '../provider-check.js';
import { served } from '../queue-check.js';

/** The server's check, and a client when it answered. */
export async function temporalFacts(): Promise<{ check: DoctorCheck; client?: Client }> {
  const t = serverTarget();
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: t.address, apiKey: t.apiKey, tls: t.tls as never, metadata: t.metadata, connectTimeout: '5 seconds' });
  } catch (err) {
    return { check: temporalCheck(t.address, t.namespace, { ok: false, why: (err as Error).message.split('\n')[0]! }) };
  }
  try {
    await connection.workflowService.describeNamespace({ namespace: t.namespace });
  } catch (err) {
    const e = err as Error & { code?: number };
    // gRPC NOT_FOUND (5): the server is there, the namespace is not.
    await connection.close();
    return { check: temporalCheck(t.address, t.namespace, { ok: false, why: e.message.split('\n')[0]!, namespaceMissing: e.code === 5 }) };
  }
  return { check: temporalCheck(t.address, t.namespace, { ok: true }), client: new Client({ connection, namespace: t.namespace }) };
}

export async function queueFacts(client: Client, q: QueueNames): Promise<DoctorCheck> {
  const needs = [
    { queue: q.workflow, kind: 'workflow' as const, role: 'runs' },
    { queue: q.git, kind: 'activity' as const, role: 'git' },
    { queue: q.sandbox, kind: 'activity' as const, role: 'sandbox' },
  ];
  const answers = await Promise.all(needs.map((n) => served(client, n)));
  return queuesCheck(
    needs.filter((_, i) => !answers[i]).map((n) => n.queue),
    needs.map((n) => n.queue),
  );
}

export async function providerFacts(client: Client, q: QueueNames, slots: DraftSlotPlan[]): Promise<DoctorCheck[]> {
  return Promise.all(
    slots.map(async (slot) =>
      providerCheck(
        slot.provider,
        await checkOnWorker(client, q, slot).catch((err: unknown) => ({ kind: 'error' as const, why: (err as Error).message.split('\n')[0]! })),
      ),
    ),
  );
}
