// The registered activities, grouped by the task queue that runs them (README, "Running workers on other hosts"):
// git (activities/git/), sandbox (activities/sandbox/), draft (activities/draft/), one group per folder.
import { prepareRun, applyCandidate, cleanupRun } from './git/workspace.js';
import { commitCandidate } from './git/commit.js';
import { gatherContext } from './git/context.js';
import { runTests } from './sandbox/test.js';
import { runBenchmark } from './sandbox/benchmark.js';
import { draft } from './draft/draft.js';
import { checkProvider } from './draft/check-provider.js';
import { planTrain, settleTrain } from './git/train-plan.js';
import { cherryPickChange, pinCommit, prepareIntegration, publishRelease, resetIntegration } from './git/integrate.js';
import { allHeartbeating } from '../adapters/process/heartbeat.js';
import { commitCompletion, loadEvalResults, prepareEvalTask, readSampleBatch, recordEvalResult, recordEvalResults } from './git/eval-task.js';
import { judgeHidden } from './sandbox/judge.js';
import { judgeBatch } from './sandbox/judge-batch.js';
import { promoteProgram, readProgram, storeProgram } from './git/evolve.js';

// Git activities heartbeat on a timer (a dead worker is noticed in seconds, not minutes).
export const gitActivities = allHeartbeating({
  prepareRun,
  applyCandidate,
  cleanupRun,
  gatherContext,
  commitCandidate,
  // Release trains
  planTrain,
  settleTrain,
  prepareIntegration,
  resetIntegration,
  pinCommit,
  cherryPickChange,
  publishRelease,
  // Evaluations
  prepareEvalTask,
  commitCompletion,
  readSampleBatch,
  recordEvalResult,
  recordEvalResults,
  loadEvalResults,
  // Evolutionary search
  readProgram,
  storeProgram,
  promoteProgram,
});
export const sandboxActivities = { runTests, runBenchmark, judgeHidden, judgeBatch };
export const draftActivities = { draft, checkProvider };
