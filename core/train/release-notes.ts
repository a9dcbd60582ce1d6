// Release notes for a train: the CHANGELOG entry and the tag message say
// the same thing — which tasks shipped (with their commits and measured
// speedups), which did not and why, and how the release was verified.
import { formatSpeedup } from '../stats/bench-stats.js';
import type { TaskRide, TrainState } from './types.js';
import type { RunResult } from '../run/types.js';

export function releaseNotes(tag: string, date: string, state: Pick<TrainState, 'rides' | 'verification' | 'bisect'> & { previousTag?: string }): string {
  const shipped = state.rides.filter((r) => r.result === 'released');
  const left = state.rides.filter((r) => r.result !== 'released');
  const lines = [`## ${tag} (${date})`, ''];
  lines.push(`Changes since ${state.previousTag ?? 'the first commit'}:`, '');
  for (const r of shipped) lines.push(`- ${r.goal} (task ${r.task}, ${short(r.integrated)}${r.speedup !== undefined ? `, ${formatSpeedup(r.speedup)}` : ''})`);
  if (left.length) {
    lines.push('', 'Not in this release (back in the backlog):', '');
    for (const r of left) lines.push(`- ${r.task}: ${firstLine(r.reason)}`);
  }
  if (state.verification) {
    lines.push(
      '',
      `Verified: ${state.verification.tests}${state.verification.benchmark ? `; benchmark vs ${state.previousTag ?? 'the base'}: ${state.verification.benchmark}` : ''}.`,
    );
  }
  for (const b of state.bisect ?? []) lines.push(`Rolled back: ${b.culprit} (${firstLine(b.why)}).`);
  return `${lines.join('\n')}\n`;
}

/**
 * The new CHANGELOG.md: the entry goes before the first release heading (`## …`), so a
 * title and the paragraph under it (a preamble) stay on top; a file without a release
 * heading gets the entry after its title and preamble, and a file without a title gets one.
 */
export function prependChangelog(existing: string, entry: string): string {
  const block = entry.endsWith('\n') ? entry : `${entry}\n`;
  const firstRelease = /^## /m.exec(existing);
  if (firstRelease) return `${existing.slice(0, firstRelease.index)}${block}\n${existing.slice(firstRelease.index)}`;
  if (/^# /.test(existing)) return `${existing.replace(/\n*$/, '\n')}\n${block}`;
  return `# Changelog\n\n${block}${existing.trim() ? `\n${existing}` : ''}`;
}

const short = (sha?: string) => (sha ? sha.slice(0, 10) : 'not integrated');
const firstLine = (s?: string) => (s ?? 'no reason recorded').split('\n')[0]!.slice(0, 200);

/** A one-line summary per ride for the Web UI and the CLI. */
export function describeRide(r: TaskRide): string {
  return `${r.task}: ${rideStatus(r)}`;
}

/** Where a ride stands, and why: "returned — conflicts with …". */
export function rideStatus(r: TaskRide): string {
  return `${r.result ?? r.runOutcome ?? 'pending'}${r.reason ? ` — ${firstLine(r.reason)}` : ''}`;
}

/** Why a task's run did not produce a commit, in one paragraph. */
export function runSummary(r: RunResult): string {
  if (r.outcome === 'baseline-broken') return `the base is broken for this task: ${firstLine(r.baselineReason)}`;
  if (r.outcome === 'cancelled') return 'the run was cancelled';
  const tried = r.candidates.map((c) => `${c.id} ${c.status}${c.reason ? ` (${firstLine(c.reason).slice(0, 120)})` : ''}`);
  return `no candidate passed in ${r.rounds} round(s): ${tried.join('; ') || 'no drafts'}`;
}
