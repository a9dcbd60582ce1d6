import { OURO_BEST_SPEEDUP, OURO_OUTCOME, OURO_REPO, OURO_ROUND } from '../../core/run/search-attributes.js';
import { connectClient } from '../client.js';
import { printJson, runListTable, type RunListRow } from '../render.js';
import { resolve } from 'node:path';

/** Escapes a value for a visibility query string literal. */
function literal(v: string): string {
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export async function listCommand(o: { repo?: string; outcome?: string; limit: string; json?: boolean }): Promise<number> {
  const client = await connectClient();
  const clauses = [`WorkflowType = 'SelfCodingWorkflow'`];
  if (o.repo) clauses.push(`OuroRepo = ${literal(resolve(o.repo))}`);
  if (o.outcome) clauses.push(`OuroOutcome = ${literal(o.outcome)}`);
  const limit = Math.max(1, Number(o.limit) || 20);
  const rows: RunListRow[] = [];
  for await (const wf of client.workflow.list({ query: clauses.join(' AND '), pageSize: limit })) {
    const sa = wf.typedSearchAttributes;
    rows.push({
      workflowId: wf.workflowId,
      state: wf.status.name,
      started: wf.startTime.toISOString(),
      closed: wf.closeTime?.toISOString(),
      repo: sa.get(OURO_REPO),
      outcome: sa.get(OURO_OUTCOME),
      round: sa.get(OURO_ROUND),
      bestSpeedup: sa.get(OURO_BEST_SPEEDUP),
    });
    if (rows.length >= limit) break;
  }
  if (o.json) {
    printJson(rows);
    return 0;
  }
  if (rows.length === 0) {
    process.stdout.write('no runs found\n');
    return 0;
  }
  process.stdout.write(`${runListTable(rows, new Date()).join('\n')}\n`);
  return 0;
}
