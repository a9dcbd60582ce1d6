// The train as the Web UI shows it (current details, Markdown): stage,
// each task's outcome, and the pending approval with how to give it.
import { rideStatus } from '../train/release-notes.js';
import type { TrainState } from '../train/types.js';

export function renderTrainMarkdown(name: string, s: TrainState, nowMs?: number): string {
  const lines = [`**Release train ${name}** — stage: \`${s.stage}\`${s.generation > 1 ? ` (run ${s.generation} of this train)` : ''}`];
  if (s.plan) lines.push(`base ${s.plan.baseSha.slice(0, 10)}, previous release ${s.plan.previousTag ?? 'none'}`);
  if (s.stage === 'awaiting-approval' && s.approval) {
    const left = nowMs === undefined ? '' : `, ${Math.max(0, Math.round((s.approval.deadlineMs - nowMs) / 60_000))} min left`;
    lines.push(
      '',
      `⏳ **Waiting for approval**${left} (reminder ${s.approval.reminders}): \`ouro train approve ${name}\` or \`ouro train reject ${name} --reason "…"\``,
    );
  }
  if (s.rides.length) {
    lines.push('', '| task | run | integrated | result |', '|---|---|---|---|');
    for (const r of s.rides)
      lines.push(
        `| ${r.task} | ${r.runOutcome ?? (r.childId ? 'running' : 'queued')} | ${r.integrated?.slice(0, 10) ?? ''} | ${rideStatus(r).replace(/\|/g, '/')} |`,
      );
  }
  if (s.verification) lines.push('', `verification: ${s.verification.tests}${s.verification.benchmark ? `; ${s.verification.benchmark}` : ''}`);
  for (const b of s.bisect ?? []) lines.push(`rolled back ${b.culprit}: ${b.why}`);
  if (s.outcome) lines.push('', `**outcome: ${s.outcome}**${s.tag ? ` — ${s.tag}` : ''}${s.outcomeReason ? ` — ${s.outcomeReason}` : ''}`);
  return lines.join('\n');
}
