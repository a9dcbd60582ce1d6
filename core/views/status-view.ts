import type { CandidateRow, RunContextReport, RunStatus } from '../run/types.js';
import { formatSpeedup } from '../stats/bench-stats.js';
import { oneLine } from './excerpt.js';

// One rendering of a run's state, used for the Web UI's "current details"
// (Temporal markdown) and for the CLI's table.

function testsCell(c: CandidateRow): string {
  return c.tests ? `${c.tests.passed}/${c.tests.total}` : '';
}

function speedCell(c: CandidateRow): string {
  return c.speedup === undefined ? '' : formatSpeedup(c.speedup);
}

/** "passed 1.20× faster", and "1.51× slower" rather than "slower 1.51× slower". */
export function progressLine(status: string, speedup: number | undefined): string {
  if (speedup === undefined) return status;
  const speed = formatSpeedup(speedup);
  return speed.endsWith(status) ? speed : `${status} ${speed}`;
}

export function candidateLines(rows: CandidateRow[], width = 100): string[] {
  return rows.map((c) => {
    const head = `${c.id.padEnd(6)} ${`${c.provider}/${c.model}`.slice(0, 28).padEnd(28)} ${c.status.padEnd(13)} ${testsCell(c).padEnd(7)} ${speedCell(c).padEnd(14)}`;
    return `${head} ${oneLine(c.reason ?? '', Math.max(20, width - head.length - 1))}`.trimEnd();
  });
}

/**
 * How many rounds drafted: the last round with a candidate. A round that found every draft queue
 * unserved starts (the run's round moves on) but drafts nothing, and is not one of them.
 */
export function roundsDrafted(r: { rounds: number; candidates: Pick<CandidateRow, 'round'>[] }): number {
  return Math.min(r.rounds, Math.max(0, ...r.candidates.map((c) => c.round)));
}

/** The files Ouro chose (no --files) with why, and what each model window's drafts were shown and what was cut. */
export function contextLines(c: RunContextReport | undefined): string[] {
  if (!c) return [];
  const lines: string[] = [];
  if (c.chosen?.length)
    lines.push(`files chosen to change (no --files): ${c.chosen.map((f) => `${f.path} (${f.reasons.join('; ') || 'ranked first'})`).join(', ')}`);
  for (const w of c.windows) lines.push(`context for ${w.contextTokens}-token models: ${w.report.join('; ')}`);
  return lines;
}

export function renderStatusMarkdown(s: RunStatus): string {
  const lines = [
    `**${s.outcome ?? s.phase}** · round ${s.phase === 'done' ? roundsDrafted({ rounds: s.round, candidates: s.candidates }) : s.round}/${s.maxRounds}${s.bestSpeedup ? ` · best ${formatSpeedup(s.bestSpeedup)}` : ''}${s.baseSha ? ` · base \`${s.baseSha.slice(0, 10)}\`` : ''}${s.sandbox ? ` · sandbox ${s.sandbox}` : ''}`,
  ];
  if (s.testIdentity) lines.push('', `tests compared ${s.testIdentity}`);
  for (const line of contextLines(s.context)) lines.push('', oneLine(line, 600));
  if (s.hints.length) lines.push('', `hints: ${s.hints.map((h) => oneLine(h, 80)).join(' · ')}`);
  if (s.candidates.length) {
    lines.push('', '| candidate | model | status | tests | speed | why |', '|---|---|---|---|---|---|');
    for (const c of s.candidates) {
      lines.push(
        `| ${c.id} | ${c.provider}/${c.model} | ${c.status} | ${testsCell(c)} | ${speedCell(c)} | ${oneLine(c.reason ?? '', 120).replace(/\|/g, '\\|')} |`,
      );
    }
  }
  return lines.join('\n');
}
