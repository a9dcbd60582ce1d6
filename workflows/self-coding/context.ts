// context: after the base's tests ran, what drafts see besides the files
// they may change (issue 26): with no --files, the files to change, chosen
// from the goal, the repository's map and the failing tests; for each draft
// slot, the tests that exercise those files and the map, fitted to its
// model's window. What was chosen, and why, is in the run's details.
import type * as ContextActivities from '../../activities/git/context.js';
import type { RunContextReport } from '../../core/run/types.js';
import { activities, gitOptions } from '../activity-options.js';
import type { Baseline } from './round.js';
import { publish, type Run } from './run.js';

/** Added with issue 26: histories recorded before it replay without the context activity. */
export const DRAFT_CONTEXT_PATCH = 'ouro-draft-context';

/** The baseline with the files to change (chosen when none were named), what drafts may change, and each slot's context. */
export async function gatherDraftContext(run: Run, baseline: Baseline): Promise<Baseline> {
  const { input, status } = run;
  const choosing = input.files.length === 0;
  // A red base's failure (--fix) steers the choice and puts its failing tests first.
  const failure = run.feedback.find((f) => f.candidate === 'baseline')?.message;
  const gathered = await activities<typeof ContextActivities>(
    gitOptions(input.queues.git, '5 minutes'),
    choosing ? 'choose the files to change and gather context' : 'gather context',
  ).gatherContext({
    repo: input.repo,
    baseSha: baseline.base.baseSha,
    goal: input.goal,
    files: input.files,
    protectedPaths: input.protectedPaths,
    ...(failure ? { failure } : {}),
    // The embedded model's window travels where its draft worker reported it (a run's input from before it has none: the same request as then).
    slots: input.drafts.map((d) => ({
      provider: d.provider,
      maxOutputTokens: d.maxOutputTokens,
      ...(d.contextTokens ? { contextTokens: d.contextTokens } : {}),
    })),
  });
  status.context = contextReport(gathered.chosen, gathered.contexts);
  publish(run);
  return {
    ...baseline,
    base: gathered.files ? { ...baseline.base, files: gathered.files } : baseline.base,
    allowed: gathered.allowed,
    contexts: gathered.contexts,
  };
}

/** The choice, and each distinct window's report once. */
function contextReport(chosen: RunContextReport['chosen'], contexts: Array<{ contextTokens: number; report: string[] }>): RunContextReport {
  const windows: RunContextReport['windows'] = [];
  for (const c of contexts)
    if (!windows.some((w) => w.contextTokens === c.contextTokens && w.report.join('\n') === c.report.join('\n')))
      windows.push({ contextTokens: c.contextTokens, report: c.report });
  return { ...(chosen ? { chosen } : {}), windows };
}
