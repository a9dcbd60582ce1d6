// The stages of one departure of a release train, in order. Each takes the
// train, does its work, and enters the next stage; the workflow
// (workflow.ts) calls whichever stage the state names, so a train that
// continued as new resumes where it stopped.
import { condition, executeChild, isCancellation, ParentClosePolicy, patched, upsertSearchAttributes } from '@temporalio/workflow';
import type * as IntegrateActivities from '../../activities/git/integrate.js';
import type * as PlanActivities from '../../activities/git/train-plan.js';
import type * as BenchActivities from '../../activities/sandbox/benchmark.js';
import { perfGate, testGate } from '../../core/gate/gate.js';
import { describeCounts } from '../../core/gate/test-report.js';
import { OURO_OUTCOME, OURO_RELEASE, OURO_REPO, OURO_ROUND, OURO_TRAIN } from '../../core/run/search-attributes.js';
import type { RunInput, RunResult } from '../../core/run/types.js';
import { formatDecision } from '../../core/stats/perf-stats.js';
import type { Settlement } from '../../core/train/backlog.js';
import { releaseNotes, runSummary } from '../../core/train/release-notes.js';
import { nextTag } from '../../core/train/semver.js';
import type { TaskRide } from '../../core/train/types.js';
import { benchmarkRequest } from '../shared/benchmark-request.js';
import { SelfCodingWorkflow } from '../self-coding/workflow.js';
import { integrate, moveTo } from './integration.js';
import {
  checkpoint,
  commitAsData,
  enter,
  finish,
  gitActivities,
  headOf,
  inputOf,
  integrationDir,
  integrationOrder,
  need,
  planOf,
  publish,
  sandbox,
  suiteTest,
  TRAIN_COMMITS_AS_DATA,
  type Train,
} from './context.js';

/** plan: what this train carries, each task turned into a complete run request. */
export async function plan(train: Train): Promise<void> {
  const { input, state } = train;
  upsertSearchAttributes([
    { key: OURO_TRAIN, value: input.name },
    { key: OURO_REPO, value: input.repo },
  ]);
  const { resume: _, ...plain } = input;
  const planned = await gitActivities<typeof PlanActivities>(train, 'plan the train').planTrain({ train: train.trainId, input: plain, nowMs: Date.now() });
  state.plan = planned;
  state.head = planned.baseSha;
  state.rides = planned.tasks.map(({ task, invalid }) => ({
    task: task.id,
    goal: task.goal,
    priority: task.priority,
    ...(invalid ? { result: 'failed' as const, countsAsAttempt: true, reason: `the task cannot run: ${invalid}` } : {}),
  }));
  enter(train, 'running-tasks');
  await checkpoint(train);
}

/** run: each task as a child SelfCodingWorkflow, `maxParallel` at a time. */
export async function runTasks(train: Train): Promise<void> {
  const { input, state } = train;
  const queue = state.rides.filter((r) => !r.result && !r.runOutcome);
  const runNext = async (): Promise<void> => {
    for (let r = queue.shift(); r; r = queue.shift()) await runTask(train, r);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(input.maxParallel, queue.length)) }, runNext));
  enter(train, 'integrating');
  await checkpoint(train);
}

async function runTask(train: Train, r: TaskRide): Promise<void> {
  const { input } = train;
  const childInput: RunInput = { ...inputOf(train, r.task), train: input.name };
  r.childId = `${train.trainId}--${r.task}`;
  publish(train);
  try {
    const result: RunResult = await executeChild(SelfCodingWorkflow, {
      workflowId: r.childId,
      taskQueue: input.queues.workflow,
      args: [childInput],
      // A cancelled train asks its runs to stop (they clean up their workspaces).
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      typedSearchAttributes: [
        { key: OURO_REPO, value: input.repo },
        { key: OURO_OUTCOME, value: 'running' },
        { key: OURO_ROUND, value: 0 },
        { key: OURO_TRAIN, value: input.name },
      ],
    });
    r.runOutcome = result.outcome;
    if (result.outcome === 'committed' && result.commitSha) {
      r.commit = result.commitSha;
      r.speedup = result.candidates.find((c) => c.status === 'committed')?.speedup;
    } else {
      // A run cancelled with its train gives the task back; found by the stubbed workflow tests, hence patched.
      const givenBack = result.outcome === 'cancelled' && patched('ouro-cancelled-ride-returned');
      Object.assign(r, { result: givenBack ? 'returned' : 'failed', countsAsAttempt: result.outcome !== 'cancelled', reason: runSummary(result) });
    }
  } catch (err) {
    // The train itself was cancelled: not the task's failure (the train's catch gives it back).
    if (isCancellation(err)) throw err;
    const cause = (err as Error).cause;
    Object.assign(r, {
      runOutcome: 'failed',
      result: 'failed',
      countsAsAttempt: true,
      reason: `the run failed: ${cause instanceof Error ? cause.message : (err as Error).message}`,
    });
  }
  publish(train);
}

/** integrate: the accepted commits, one by one, onto the base in a worktree of the train's own. */
export async function integrateChanges(train: Train): Promise<void> {
  const { input, state } = train;
  const planned = planOf(train);
  state.integrationDir = (
    await gitActivities<typeof IntegrateActivities>(train, 'prepare the integration worktree').prepareIntegration({
      repo: input.repo,
      train: train.trainId,
      sha: planned.baseSha,
      linkPaths: planned.suite.linkPaths,
    })
  ).dir;
  state.head = planned.baseSha;
  await integrate(train, integrationOrder(state.rides.filter((r) => r.commit && !r.result)));
  if (state.rides.some((r) => r.integrated)) enter(train, 'verifying');
  else {
    finish(train, 'nothing-to-release', 'no change passed its run and integration');
    enter(train, 'settling');
  }
  await checkpoint(train);
}

/** verify: the release suite on the integrated head, then (with a benchmark) the release against the previous one. */
export async function verify(train: Train): Promise<void> {
  const { input, state } = train;
  await checkpoint(train);
  await moveTo(train, headOf(train), 'check out the integrated head');
  const tests = await suiteTest(train, headOf(train), 'release suite');
  const gate = testGate(tests);
  if (!gate.accepted) {
    state.verification = { tests: `failed: ${gate.reason}` };
    enter(train, 'bisecting');
    return;
  }
  state.verification = { tests: `release suite ${describeCounts(tests.counts, tests.exitCode)}` };
  const planned = planOf(train);
  const suite = planned.suite;
  if (suite.bench) {
    const previousSha = planned.previousSha ?? planned.baseSha;
    const arms = patched(TRAIN_COMMITS_AS_DATA)
      ? {
          baseWorkspace: await commitAsData(train, previousSha, 'previous', 'previous'),
          candidateWorkspace: await commitAsData(train, headOf(train), 'tested', 'release'),
          linkPaths: suite.linkPaths,
        }
      : { baseDir: await previousWorktree(train, previousSha), candidateDir: integrationDir(train) };
    const settings = {
      command: suite.bench,
      mode: suite.benchMode,
      runs: suite.benchRuns,
      noiseMargin: suite.tolerance,
      timeoutSeconds: input.timeouts.benchSeconds,
      protectedPaths: suite.protectedPaths,
    };
    const bench = await sandbox<typeof BenchActivities>(train, input.timeouts.benchSeconds, `benchmark vs ${planned.previousTag ?? 'base'}`).runBenchmark(
      benchmarkRequest(settings, arms, `${train.trainId}/release`),
    );
    const primary = bench.decisions?.[0];
    state.verification.benchmark = primary ? formatDecision(primary) : bench.message;
    const verdict = perfGate(bench, {});
    if (!verdict.accepted) {
      state.verification.slower = true;
      finish(train, 'slower', `the integrated release is not accepted against ${planned.previousTag ?? 'the base'}: ${verdict.reason}`);
      enter(train, 'settling');
      return;
    }
  }
  enter(train, input.approval ? 'awaiting-approval' : 'releasing');
  await checkpoint(train);
}

/** approval: wait for a person's decision, with reminders, until the deadline. */
export async function awaitApproval(train: Train): Promise<void> {
  const { input, state } = train;
  const policy = need(input.approval, 'approval policy');
  const approval = (state.approval ??= { deadlineMs: Date.now() + policy.timeoutSeconds * 1000, reminders: 0 });
  publish(train);
  while (!train.decision) {
    const left = approval.deadlineMs - Date.now();
    if (left <= 0) break;
    if (await condition(() => train.decision !== undefined, Math.min(left, policy.reminderSeconds * 1000))) break;
    approval.reminders++;
    publish(train);
    // A decision that landed with this reminder must not be left behind by continue-as-new.
    if (!train.decision) await checkpoint(train);
  }
  const decision = train.decision;
  if (!decision) {
    finish(train, 'approval-timed-out', `nobody approved the release within ${policy.timeoutSeconds} s`);
    enter(train, 'settling');
    return;
  }
  Object.assign(approval, { approved: decision.approve, decidedBy: decision.by, reason: decision.reason });
  if (decision.approve) enter(train, 'releasing');
  else {
    finish(train, 'rejected', `release rejected${decision.by ? ` by ${decision.by}` : ''}${decision.reason ? `: ${decision.reason}` : ''}`);
    enter(train, 'settling');
  }
}

/** release: the tag and the CHANGELOG entry on the release branch. */
export async function release(train: Train): Promise<void> {
  const { input, state } = train;
  const planned = planOf(train);
  const tag = (state.tag ??= nextTag(planned.previousTag, input.bump, input.tagPrefix));
  // The notes list the integrated rides as shipped; the rides themselves count as released only once the tag exists.
  const shipping = state.rides.map((r) => (r.integrated && !r.result ? { ...r, result: 'released' as const, reason: `in ${tag}` } : r));
  const notes = releaseNotes(tag, new Date(Date.now()).toISOString().slice(0, 10), { ...state, rides: shipping, previousTag: planned.previousTag });
  const released = await gitActivities<typeof IntegrateActivities>(train, `tag ${tag}`).publishRelease({
    repo: input.repo,
    dir: integrationDir(train),
    head: headOf(train),
    tag,
    releaseBranch: input.releaseBranch,
    expectedTip: planned.releaseBranchExisted ? planned.baseSha : undefined,
    changelogEntry: notes,
    tagMessage: notes,
    timestampMs: Date.now(),
  });
  state.releaseSha = released.sha;
  state.rides = shipping;
  upsertSearchAttributes([{ key: OURO_RELEASE, value: tag }]);
  finish(train, 'released');
  enter(train, 'settling');
  await checkpoint(train);
}

/** settle: the backlog learns how each ride ended. */
export async function settle(train: Train): Promise<void> {
  const { input, state } = train;
  const settlements: Settlement[] = state.rides.map((r) => ({
    task: r.task,
    result: r.result ?? 'returned',
    reason: r.reason ?? state.outcomeReason ?? 'no reason recorded',
    countsAsAttempt: r.countsAsAttempt ?? false,
    ...(r.result === 'released' && state.tag ? { release: state.tag } : {}),
  }));
  await gitActivities<typeof PlanActivities>(train, 'settle the backlog').settleTrain({
    repo: input.repo,
    train: train.trainId,
    settlements,
    maxAttempts: input.maxAttempts,
    nowMs: Date.now(),
  });
  enter(train, 'done');
}

/** The previous release in a worktree of its own, for trains that benchmark by path (before TRAIN_COMMITS_AS_DATA). */
async function previousWorktree(train: Train, sha: string): Promise<string> {
  const prepare = gitActivities<typeof IntegrateActivities>(train, 'check out the previous release').prepareIntegration;
  return (await prepare({ repo: train.input.repo, train: train.trainId, sha, linkPaths: planOf(train).suite.linkPaths, name: 'previous' })).dir;
}
