import type { RunResult, RunStatus, CandidateRow } from '../core/run/types.js';
import { candidateLines, contextLines, roundsDrafted } from '../core/views/status-view.js';
import { formatSpeedup } from '../core/stats/bench-stats.js';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function candidateTable(rows: CandidateRow[]): string {
  if (rows.length === 0) return '  (no candidates yet)';
  const width = process.stdout.columns ?? 120;
  return candidateLines(rows, width - 2)
    .map((l) => `  ${l}`)
    .join('\n');
}

export function describeStatus(s: RunStatus): string {
  const best = s.bestSpeedup ? `, best ${formatSpeedup(s.bestSpeedup)}` : '';
  return `${s.outcome ?? s.phase} · round ${s.round}/${s.maxRounds}${best}`;
}

export function describeResult(r: RunResult): string {
  const lines = [`outcome: ${r.outcome}`];
  if (r.commitSha) lines.push(`commit:  ${r.commitSha} on branch ${r.branch}  (git log -p -1 ${r.branch})`);
  if (r.unservedReason) lines.push(`why:     ${r.unservedReason}`);
  if (r.baselineReason) lines.push(`why:     ${r.baselineReason.split('\n')[0]}`, r.baselineReason.split('\n').slice(1).join('\n'));
  lines.push(`rounds:  ${roundsDrafted(r)}, tokens: ${r.tokens.prompt} prompt + ${r.tokens.completion} completion`);
  if (r.testIdentity) lines.push(`tests:   compared ${r.testIdentity}`);
  for (const line of contextLines(r.context)) lines.push(`context: ${line}`);
  if (r.sandbox === 'degraded')
    lines.push('sandbox: degraded (no bubblewrap): candidate code ran with limits only, and its inputs were checked after each run, not frozen');
  lines.push('candidates:', candidateTable(r.candidates));
  return lines.join('\n');
}

/** One run as `ouro list` shows it (and prints with --json). */
export interface RunListRow {
  workflowId: string;
  state: string;
  started: string;
  /** When the run closed; absent while it runs. */
  closed?: string;
  repo?: string;
  outcome?: string;
  round?: number;
  bestSpeedup?: number;
}

/** How long, at a glance: "42s", "3m 12s", "2h 05m", "3d 4h". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** Start to close; for a run still going, how long so far ("running 3m 05s"). */
export function runDuration(row: Pick<RunListRow, 'state' | 'started' | 'closed'>, now: Date): string {
  const started = Date.parse(row.started);
  if (row.closed) return formatDuration(Date.parse(row.closed) - started);
  return row.state === 'RUNNING' ? `running ${formatDuration(now.getTime() - started)}` : '';
}

/** `ouro list`'s table: a header, then a line per run, columns as wide as their widest cell. */
export function runListTable(rows: RunListRow[], now: Date): string[] {
  const header = ['RUN', 'STATE', 'OUTCOME', 'ROUND', 'BEST', 'STARTED', 'DURATION'];
  const cells = rows.map((r) => [
    r.workflowId,
    r.state,
    r.outcome ?? '',
    String(r.round ?? 0),
    r.bestSpeedup ? `${r.bestSpeedup.toFixed(2)}×` : '',
    r.started,
    runDuration(r, now),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  return [header, ...cells].map((line) =>
    line
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}

export const EXIT = { ok: 0, error: 1, usage: 2, noCandidate: 3, baselineBroken: 4, cancelled: 5, noWorker: 6 } as const;

export function exitCodeFor(r: RunResult): number {
  switch (r.outcome) {
    case 'committed':
      return EXIT.ok;
    case 'no-candidate-passed':
      return EXIT.noCandidate;
    case 'baseline-broken':
      return EXIT.baselineBroken;
    case 'no-worker':
      return EXIT.noWorker;
    case 'cancelled':
      return EXIT.cancelled;
  }
}
