import { CancellationScope, isCancellation, log, patched, upsertSearchAttributes } from '@temporalio/workflow';
import type * as WorkspaceActivities from '../../activities/git/workspace.js';
import { OURO_TRAIN } from '../../core/run/search-attributes.js';
import type { RunInput, RunResult } from '../../core/run/types.js';
import { establishBaseline } from './baseline.js';
import { benchmarkSurvivors } from './benchmark.js';
import { draftApplyTest } from './candidate.js';
import { chooseBest, commitBest } from './commit.js';
import { startRound, unservedReason, type Survivor } from './round.js';
import { finish, gitActivities, openRun, type Run } from './run.js';

/**
 * One self-coding run (README, "How a run works"): the base must be green (and measurable) →
 * each round, every candidate in parallel: draft → apply → test → the survivors benchmarked one at
 * a time → the gate's best committed on the run's branch, or the next round learns from the failures.
 */
export async function SelfCodingWorkflow(input: RunInput): Promise<RunResult> {
  const run = openRun(input);
  // Added with release trains: histories recorded before it replay without this command.
  if (patched('ouro-run-train-attribute') && input.train) upsertSearchAttributes([{ key: OURO_TRAIN, value: input.train }]);
  try {
    // ---- baseline: the base must be green (and measurable) before any draft ----
    const baseline = await establishBaseline(run);
    if ('outcome' in baseline) return baseline;

    for (let number = 1; number <= input.maxRounds; number++) {
      const round = startRound(run, number, baseline);
      if (!round) return finish(run, 'no-worker', { unservedReason: unservedReason(run) });

      // ---- draft → apply → test, one pipeline per candidate, all in parallel ----
      const survivors = (await Promise.all(round.rows.map((row) => draftApplyTest(run, row, round.view)))).filter((s): s is Survivor => s !== undefined);

      // ---- benchmark the survivors one at a time (parallel runs would disturb each other) ----
      const accepted = await benchmarkSurvivors(run, survivors, round.view);

      // ---- gate passed: commit the single best candidate ----
      const best = chooseBest(accepted);
      if (best) return await commitBest(run, best, round.view);
    }
    return finish(run, 'no-candidate-passed');
  } catch (err) {
    // A cancelled run can also surface as an activity that timed out while being cancelled.
    if (isCancellation(err) || CancellationScope.current().consideredCancelled) return finish(run, 'cancelled');
    throw err;
  } finally {
    await cleanUp(run);
  }
}

/** Worktrees are scratch space; the commit (if any) already lives in the repo. */
async function cleanUp(run: Run): Promise<void> {
  await CancellationScope.nonCancellable(() =>
    gitActivities<typeof WorkspaceActivities>(run, 'clean up workspaces').cleanupRun({ repo: run.input.repo, runId: run.runId }),
  ).catch((err: unknown) => {
    // Scratch space left behind must not turn a finished run into a failed one.
    if (!run.resilient()) throw err;
    log.warn('clean-up failed; the run stands', { error: String(err) });
  });
}
