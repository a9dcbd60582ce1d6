// Workflow tests with stubbed activities (the pattern of Temporal's
// TypeScript samples): the real workflow code, bundled as workers run it, on
// the suite's dev server, with every activity replaced by a scripted stub.
// Each outcome of a workflow takes seconds, and nothing pretends to be git
// or a sandbox: these tests say what the workflow decides from what its
// activities answer. The end-to-end suites (test/e2e/) run the real ones.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type * as DraftActivities from '../../activities/draft/draft.js';
import type * as IntegrateActivities from '../../activities/git/integrate.js';
import type * as CommitActivities from '../../activities/git/commit.js';
import type * as ContextActivities from '../../activities/git/context.js';
import type * as PlanActivities from '../../activities/git/train-plan.js';
import type * as WorkspaceActivities from '../../activities/git/workspace.js';
import type * as BenchActivities from '../../activities/sandbox/benchmark.js';
import type * as TestActivities from '../../activities/sandbox/test.js';
import type { BenchRunResult, TestRunResult } from '../../core/contracts/sandbox.js';
import { buildRunInput } from '../../core/run/input.js';
import type { QueueNames } from '../../core/run/queues.js';
import type { RunInput } from '../../core/run/types.js';
import type { MetricDecision } from '../../core/stats/perf-stats.js';
import { workflowBundlePath } from '../../worker/bundle.js';
import { installRuntime } from '../../worker/runtime.js';

type Activities = typeof WorkspaceActivities &
  typeof ContextActivities &
  typeof CommitActivities &
  typeof PlanActivities &
  typeof IntegrateActivities &
  typeof TestActivities &
  typeof BenchActivities &
  typeof DraftActivities;
export type Stubs = Pick<
  Activities,
  | 'prepareRun'
  | 'applyCandidate'
  | 'cleanupRun'
  | 'gatherContext'
  | 'commitCandidate'
  | 'runTests'
  | 'runBenchmark'
  | 'draft'
  | 'planTrain'
  | 'settleTrain'
  | 'prepareIntegration'
  | 'resetIntegration'
  | 'pinCommit'
  | 'cherryPickChange'
  | 'publishRelease'
>;

export const BASE_SHA = 'b'.repeat(40);

/** A test run's result: green with `passed` tests, or red with `failed` of them failing. */
export function testResult(passed: number, failed = 0, extra: Partial<TestRunResult> = {}): TestRunResult {
  return {
    exitCode: failed ? 1 : 0,
    timedOut: false,
    durationMs: 20,
    output: `Tests  ${failed ? `${failed} failed | ` : ''}${passed} passed (${passed + failed})`,
    passed: failed === 0,
    counts: { passed, failed, skipped: 0, total: passed + failed, runner: 'vitest' },
    violations: [],
    sandbox: 'bwrap',
    ...extra,
  };
}

/** A benchmark's decision on its primary metric, as the statistics would give it. */
export function benchResult(verdict: MetricDecision['verdict'], speedup: number): BenchRunResult {
  return {
    ok: true,
    sandbox: 'bwrap',
    decisions: [
      {
        name: 'wall-time',
        verdict,
        speedup,
        ci: [speedup * 0.97, speedup * 1.03],
        confidence: 0.95,
        pValue: verdict === 'inconclusive' ? 0.4 : 0.001,
        pairs: 10,
        method: 'wilcoxon',
        unreliable: false,
        reasons: [],
        why: 'stubbed',
      },
    ],
  };
}

/** Activities that do their job: the base is green, every draft applies, passes and commits. */
export function happyStubs(): Stubs {
  let commits = 0;
  return {
    prepareRun: async () => ({ baseSha: BASE_SHA, baseDir: '/stub/base', files: [{ path: 'src/sum.ts', content: 'export const sum = 0;\n' }] }),
    applyCandidate: async (req) => ({ ok: true, dir: `/stub/${req.runId}/${req.candidateId}`, changed: ['src/sum.ts'], diff: `diff of ${req.candidateId}` }),
    cleanupRun: async () => {},
    gatherContext: async (req) => ({ allowed: req.files, contexts: req.slots.map(() => ({ contextTokens: 32_768, tests: [], report: ['stubbed'] })) }),
    commitCandidate: async () => ({ sha: `c${String(++commits).padStart(39, '0')}`, reused: false }),
    runTests: async () => testResult(3),
    runBenchmark: async () => benchResult('inconclusive', 1),
    draft: async (req) => ({ text: `reply for ${req.candidateId}`, model: 'stub-model', promptTokens: 100, completionTokens: 20, latencyMs: 5 }),
    planTrain: async () => {
      throw new Error('planTrain is not stubbed in this test');
    },
    settleTrain: async () => {},
    prepareIntegration: async (req) => ({ dir: `/stub/${req.name ?? 'integration'}` }),
    resetIntegration: async () => {},
    pinCommit: async (req) => ({ tree: `t${req.sha.slice(1)}` }),
    cherryPickChange: async (req) => ({ ok: true, sha: `i${req.commit.slice(1)}` }),
    publishRelease: async () => ({ sha: 'r'.repeat(40) }),
  };
}

/** One queue for everything: the workflow and every stub poll it. */
export function oneQueue(): QueueNames {
  const q = `stub-${randomBytes(4).toString('hex')}`;
  return { workflow: q, git: q, sandbox: q, draft: { openai: q, cerebras: q, gpu: q, local: q } };
}

export function runInput(queues: QueueNames, flags: Record<string, unknown> = {}, config: Record<string, unknown> = {}): RunInput {
  const input = buildRunInput(
    { repo: '/stub/repo', drafts: 'gpu:2', baseUrl: 'http://127.0.0.1:9/v1', model: 'stub-model', rounds: 2, heartbeat: 5, benchRuns: 10, ...flags },
    { test: 'npm test', files: ['src/**'], goal: 'Fix sum', fix: true, ...config },
    {},
  );
  return { ...input, queues };
}

let env: TestWorkflowEnvironment | undefined;

/** The environment on the suite's dev server (no time-skipping server is installed here: timers are real and kept short). */
export async function testEnv(): Promise<TestWorkflowEnvironment> {
  // Stubs fail on purpose; the SDK's warning for each would only be noise here.
  process.env.OURO_LOG_LEVEL ??= 'ERROR';
  installRuntime();
  env ??= await TestWorkflowEnvironment.createFromExistingServer({ address: inject('temporalAddress') });
  return env;
}

/** Runs `body` with a worker that serves the real workflows and `stubs` on `queue`. */
export async function withStubWorker<T>(queue: string, stubs: Stubs, body: (e: TestWorkflowEnvironment) => Promise<T>): Promise<T> {
  const e = await testEnv();
  const worker = await Worker.create({
    connection: e.nativeConnection,
    taskQueue: queue,
    workflowBundle: { codePath: await workflowBundlePath() },
    activities: stubs,
  });
  return worker.runUntil(body(e));
}
