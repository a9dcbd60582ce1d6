// Activities grouped by the task queue that runs them (DESIGN.md, "Task queues").
import { prepareRun, applyCandidate, cleanupRun } from './workspace.js';
import { commitCandidate } from './commit.js';
import { runTests } from './test.js';
import { runBenchmark } from './benchmark.js';
import { draft } from './draft.js';
import { planTrain, settleTrain } from './train-plan.js';
import { cherryPickChange, prepareIntegration, publishRelease, resetIntegration } from './integrate.js';
import { allHeartbeating } from './heartbeat.js';

// Git activities heartbeat on a timer (a dead worker is noticed in seconds, not minutes).
export const gitActivities = allHeartbeating({
  prepareRun, applyCandidate, cleanupRun, commitCandidate,
  // Release trains
  planTrain, settleTrain, prepareIntegration, resetIntegration, cherryPickChange, publishRelease,
});
export const sandboxActivities = { runTests, runBenchmark };
export const draftActivities = { draft };
