// Activities grouped by the task queue that runs them (DESIGN.md, "Task queues").
import { prepareRun, applyCandidate, cleanupRun } from './workspace.js';
import { commitCandidate } from './commit.js';
import { runTests } from './test.js';
import { runBenchmark } from './benchmark.js';
import { draft } from './draft.js';

export const gitActivities = { prepareRun, applyCandidate, cleanupRun, commitCandidate };
export const sandboxActivities = { runTests, runBenchmark };
export const draftActivities = { draft };
