// The real-repository table: each repository's own tests against a
// one-candidate `ouro run`, medians, and the goal: a run takes at most twice
// the repository's own test command plus 10 seconds.
import { median } from '../../core/stats/bench-stats.js';

export interface RepoTimes {
  name: string;
  language: string;
  ownMs: number[];
  ouroMs: number[];
  /** Per measured run: milliseconds by stage (base, candidate, git, draft, rest). */
  stages: Array<Record<string, number>>;
  /** What went wrong, as a user would meet it (own tests red, a run that did not commit…). */
  problems: string[];
}

export const GOAL_FACTOR = 2;
export const GOAL_SLACK_MS = 10_000;

export function withinGoal(ownMs: number, ouroMs: number): boolean {
  return ouroMs <= GOAL_FACTOR * ownMs + GOAL_SLACK_MS;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A Markdown table, one row per repository; a repository without both figures says why in its last cell. */
export function renderTable(rows: RepoTimes[]): string {
  const lines = ['| repository | language | own tests (median) | ouro run (median) | ratio | within 2× + 10 s? |', '|---|---|---|---|---|---|'];
  for (const r of rows) {
    if (!r.ownMs.length || !r.ouroMs.length) {
      lines.push(
        `| ${r.name} | ${r.language} | ${r.ownMs.length ? seconds(median(r.ownMs)) : '—'} | ${r.ouroMs.length ? seconds(median(r.ouroMs)) : '—'} | — | no: ${r.problems[0] ?? 'not measured'} |`,
      );
      continue;
    }
    const own = median(r.ownMs);
    const ouro = median(r.ouroMs);
    const n = Math.min(r.ownMs.length, r.ouroMs.length);
    lines.push(
      `| ${r.name} | ${r.language} | ${seconds(own)} | ${seconds(ouro)} | ${(ouro / own).toFixed(1)}× | ${withinGoal(own, ouro) ? 'yes' : 'no'} (n=${n}) |`,
    );
  }
  return lines.join('\n');
}

/** Per repository, the median of each stage of its runs, in seconds. */
export function renderStages(rows: RepoTimes[]): string {
  const keys = ['base', 'candidate', 'git', 'draft', 'rest'];
  const names: Record<string, string> = {
    base: "the base's tests (traced)",
    candidate: "the candidate's tests",
    git: 'git (prepare, apply, commit, clean up)',
    draft: 'draft',
    rest: 'the rest (CLI, Temporal)',
  };
  const lines = [`| repository | ${keys.map((k) => names[k]).join(' | ')} |`, `|---|${keys.map(() => '---').join('|')}|`];
  for (const r of rows.filter((row) => row.stages.length)) {
    lines.push(`| ${r.name} | ${keys.map((k) => seconds(median(r.stages.map((s) => s[k] ?? 0)))).join(' | ')} |`);
  }
  return lines.join('\n');
}
