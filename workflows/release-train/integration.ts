// Integration: each accepted change cherry-picked onto the integration head
// and tested there, in the train's own worktree.
import type * as IntegrateActivities from '../../activities/git/integrate.js';
import { testGate } from '../../core/gate/gate.js';
import type { TaskRide } from '../../core/train/types.js';
import { gitActivities, headOf, inputOf, integrationDir, need, publish, TASK_TRAILER, testHere, TRAIN_TRAILER, type Train } from './context.js';

/** Cherry-picks each ride onto the head and runs its tests there; a conflict or a failure drops it. */
export async function integrate(train: Train, rides: TaskRide[]): Promise<void> {
  const { state } = train;
  for (const r of rides) {
    r.integrated = undefined;
    const pick = await gitActivities<typeof IntegrateActivities>(train, `integrate ${r.task}`).cherryPickChange({
      dir: integrationDir(train),
      onto: headOf(train),
      commit: need(r.commit, `commit of task ${r.task}`),
      trailers: { [TRAIN_TRAILER]: train.trainId, [TASK_TRAILER]: r.task },
      timestampMs: Date.now(),
    });
    if (!pick.ok) {
      const before = state.rides.filter((x) => x.integrated).map((x) => x.task);
      Object.assign(r, {
        result: 'returned',
        countsAsAttempt: true,
        reason: `${pick.message}${before.length ? ` (integrated before it: ${before.join(', ')})` : ''}`,
      });
      publish(train);
      continue;
    }
    const gate = testGate(await testHere(train, pick.sha, inputOf(train, r.task).testCommand, `test ${r.task} integrated`, `integrated ${r.task}`));
    if (!gate.accepted) {
      await moveTo(train, headOf(train), `drop ${r.task}`);
      Object.assign(r, { result: 'failed', countsAsAttempt: true, reason: `breaks the integrated suite: ${gate.reason}` });
    } else {
      r.integrated = pick.sha;
      state.head = pick.sha;
    }
    publish(train);
  }
}

/** Resets the integration worktree to `sha`. */
export function moveTo(train: Train, sha: string, why: string): Promise<void> {
  return gitActivities<typeof IntegrateActivities>(train, why).resetIntegration({ dir: integrationDir(train), sha });
}
