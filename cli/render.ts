import type { RunResult, RunStatus, CandidateRow } from '../core/run/types.js';
import { candidateLines } from '../core/views/status-view.js';
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
  lines.push(`rounds:  ${r.rounds}, tokens: ${r.tokens.prompt} prompt + ${r.tokens.completion} completion`);
  if (r.testIdentity) lines.push(`tests:   compared ${r.testIdentity}`);
  if (r.sandbox === 'degraded')
    lines.push('sandbox: degraded (no bubblewrap): candidate code ran with limits only, and its inputs were checked after each run, not frozen');
  lines.push('candidates:', candidateTable(r.candidates));
  return lines.join('\n');
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
