import { CancellationScope, ContinueAsNew, continueAsNew, isCancellation, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type * as WorkspaceActivities from '../../activities/git/workspace.js';
import type { TrainInput, TrainResult, TrainStage } from '../../core/train/types.js';
import { trainDecisionUpdate, trainStatusQuery } from '../definitions.js';
import { bisect } from './bisect.js';
import { finish, gitActivities, report, TRAIN_COMMITS_AS_DATA, trainRefs, type Train } from './context.js';
import { awaitApproval, integrateChanges, plan, release, runTasks, settle, verify } from './stages.js';

/** What each stage does; each enters the next, so the workflow only follows the state. */
const STAGES: Record<Exclude<TrainStage, 'done'>, (train: Train) => Promise<void>> = {
  planning: plan,
  'running-tasks': runTasks,
  integrating: integrateChanges,
  verifying: verify,
  bisecting: bisect,
  'awaiting-approval': awaitApproval,
  releasing: release,
  settling: settle,
};

/**
 * One departure of a release train (README, "Release trains"):
 * plan → run each task as a child SelfCodingWorkflow → integrate the
 * accepted commits one by one → verify the whole against the previous
 * release (bisecting a culprit out when the suite fails) → approval →
 * tag + CHANGELOG → settle the backlog. Every stage boundary may continue
 * as new, carrying the state, so a train waiting days for approval keeps a
 * short history.
 */
export async function ReleaseTrainWorkflow(input: TrainInput): Promise<TrainResult> {
  const train: Train = {
    input,
    trainId: workflowInfo().workflowId,
    state: input.resume ?? { stage: 'planning', rides: [], generation: 1 },
    continueWith: (next) => continueAsNew<typeof ReleaseTrainWorkflow>(next),
  };
  const { state } = train;

  setHandler(trainStatusQuery, () => ({ ...state, name: input.name, trainId: train.trainId }));
  setHandler(
    trainDecisionUpdate,
    (d) => {
      train.decision = d;
      return d.approve
        ? `approved${d.by ? ` by ${d.by}` : ''}: tagging the release`
        : `rejected${d.by ? ` by ${d.by}` : ''}: no tag; the changes go back to the backlog`;
    },
    {
      validator: (d) => {
        if (state.stage !== 'awaiting-approval') throw new Error(`train ${input.name} is not waiting for approval (stage: ${state.stage})`);
        if (train.decision) throw new Error('this train was already decided');
        if (!d || typeof d.approve !== 'boolean') throw new Error('a decision needs approve: true or false');
      },
    },
  );

  try {
    while (state.stage !== 'done') await STAGES[state.stage](train);
    return report(train);
  } catch (err) {
    if (state.plan && state.stage !== 'done' && !(err instanceof ContinueAsNew)) {
      // A cancelled or failed train gives its claimed tasks back, so none is stuck "claimed" forever.
      const cancelled = isCancellation(err);
      if (cancelled || !state.outcome)
        finish(train, cancelled ? 'cancelled' : 'verification-failed', cancelled ? 'the train was cancelled' : `the train failed: ${(err as Error).message}`);
      await CancellationScope.nonCancellable(() => settle(train));
      if (cancelled) return report(train);
    }
    throw err;
  } finally {
    if (state.stage === 'done') {
      await CancellationScope.nonCancellable(() =>
        gitActivities<typeof WorkspaceActivities>(train, 'clean up the train worktrees').cleanupRun({
          repo: input.repo,
          runId: train.trainId,
          ...(patched(TRAIN_COMMITS_AS_DATA) ? { refPrefix: trainRefs(train) } : {}),
        }),
      );
    }
  }
}
