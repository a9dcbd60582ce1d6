import {
  ParentClosePolicy,
  condition,
  continueAsNew,
  isCancellation,
  executeChild,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  CancellationScope,
  ContinueAsNew,
  patched,
} from '@temporalio/workflow';
import type * as IntegrateActivities from '../activities/git/integrate.js';
import type * as PlanActivities from '../activities/git/train-plan.js';
import type * as WorkspaceActivities from '../activities/git/workspace.js';
import type * as TestActivities from '../activities/sandbox/test.js';
import type * as BenchActivities from '../activities/sandbox/benchmark.js';
import type { Settlement } from '../core/train/backlog.js';
import type { RunInput, RunResult } from '../core/run/types.js';
import type { TaskRide, TrainDecision, TrainInput, TrainOutcome, TrainResult, TrainStage, TrainState } from '../core/train/types.js';
import { perfGate, testGate } from '../core/gate/gate.js';
import { formatDecision, MIN_PAIRS } from '../core/stats/perf-stats.js';
import { describeCounts } from '../core/gate/test-report.js';
import { nextTag } from '../core/train/semver.js';
import { releaseNotes, runSummary } from '../core/train/release-notes.js';
import { renderTrainMarkdown } from '../core/views/train-view.js';
import { OURO_RELEASE, OURO_REPO, OURO_OUTCOME, OURO_ROUND, OURO_TRAIN, OURO_TRAIN_STAGE } from '../core/run/search-attributes.js';
import { trainDecisionUpdate, trainStatusQuery } from './definitions.js';
import { activities, gitOptions as gitActivityOptions, sandboxOptions as sandboxActivityOptions } from './activity-options.js';
import { SelfCodingWorkflow } from './self-coding.js';

/** History events after which a train continues as new (Temporal's own suggestion comes first). */
const HISTORY_BUDGET = 10_000;
const TRAIN_TRAILER = 'Ouro-Train';
const TASK_TRAILER = 'Ouro-Task';

const isContinueAsNew = (err: unknown) => err instanceof ContinueAsNew;

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
  const trainId = workflowInfo().workflowId;
  const state: TrainState = input.resume ?? { stage: 'planning', rides: [], generation: 1 };
  let decision: TrainDecision | undefined;

  setHandler(trainStatusQuery, () => ({ ...state, name: input.name, trainId }));
  setHandler(
    trainDecisionUpdate,
    (d) => {
      decision = d;
      return d.approve
        ? `approved${d.by ? ` by ${d.by}` : ''}: tagging the release`
        : `rejected${d.by ? ` by ${d.by}` : ''}: no tag; the changes go back to the backlog`;
    },
    {
      validator: (d) => {
        if (state.stage !== 'awaiting-approval') throw new Error(`train ${input.name} is not waiting for approval (stage: ${state.stage})`);
        if (decision) throw new Error('this train was already decided');
        if (!d || typeof d.approve !== 'boolean') throw new Error('a decision needs approve: true or false');
      },
    },
  );

  const q = input.queues;
  const t = input.timeouts;
  const gitOptions = gitActivityOptions(q.git, '5 minutes');
  const sandboxOptions = (seconds: number) => sandboxActivityOptions(q.sandbox, seconds, t.heartbeatSeconds);
  const git = <T>(summary: string) => activities<T>(gitOptions, summary);

  const publish = () => setCurrentDetails(renderTrainMarkdown(input.name, state));
  const enter = (stage: TrainStage) => {
    state.stage = stage;
    upsertSearchAttributes([{ key: OURO_TRAIN_STAGE, value: stage }]);
    publish();
  };
  const checkpoint = async () => {
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > (input.historyBudget ?? HISTORY_BUDGET)) {
      const { resume: _, ...rest } = input;
      await continueAsNew<typeof ReleaseTrainWorkflow>({ ...rest, resume: { ...state, generation: state.generation + 1 } });
    }
  };
  const finish = (outcome: TrainOutcome, reason?: string) => {
    state.outcome = outcome;
    state.outcomeReason = reason;
    // Whatever did not ship goes back to the backlog; the release being refused is not the task's fault.
    for (const r of state.rides) {
      if (!r.result) {
        r.result = 'returned';
        r.reason = reason ?? outcome;
        r.countsAsAttempt = false;
      }
    }
  };
  const inputOf = (task: string): RunInput => state.plan!.tasks.find((x) => x.task.id === task)!.input!;
  /** A test run in the integration worktree, wherever its head is now. */
  const testHere = (command: string, summary: string, label = summary) =>
    activities<typeof TestActivities>(sandboxOptions(t.testSeconds), summary).runTests({
      dir: state.integrationDir!,
      command,
      timeoutSeconds: t.testSeconds,
      label,
      protectedPaths: state.plan!.suite.protectedPaths,
    });
  const suiteTest = (label: string) => testHere(state.plan!.suite.test, label);
  // Highest priority first (stable, so ties keep plan order): when two changes conflict, the more
  // important one ships; bisect walks the same order, in which each commit holds all before it.
  const integrationOrder = (rides: TaskRide[]) => [...rides].sort((a, b) => b.priority - a.priority);
  const moveTo = (sha: string, why: string) => git<typeof IntegrateActivities>(why).resetIntegration({ dir: state.integrationDir!, sha });

  /** Cherry-picks each ride onto the head and runs its tests there; a conflict or a failure drops it. */
  const integrate = async (rides: TaskRide[]) => {
    for (const r of rides) {
      r.integrated = undefined;
      const pick = await git<typeof IntegrateActivities>(`integrate ${r.task}`).cherryPickChange({
        dir: state.integrationDir!,
        onto: state.head!,
        commit: r.commit!,
        trailers: { [TRAIN_TRAILER]: trainId, [TASK_TRAILER]: r.task },
        timestampMs: Date.now(),
      });
      if (!pick.ok) {
        const before = state.rides.filter((x) => x.integrated).map((x) => x.task);
        Object.assign(r, {
          result: 'returned',
          countsAsAttempt: true,
          reason: `${pick.message}${before.length ? ` (integrated before it: ${before.join(', ')})` : ''}`,
        });
        publish();
        continue;
      }
      const gate = testGate(await testHere(inputOf(r.task).testCommand, `test ${r.task} integrated`, `integrated ${r.task}`));
      if (!gate.accepted) {
        await moveTo(state.head!, `drop ${r.task}`);
        Object.assign(r, { result: 'failed', countsAsAttempt: true, reason: `breaks the integrated suite: ${gate.reason}` });
      } else {
        r.integrated = pick.sha;
        state.head = pick.sha;
      }
      publish();
    }
  };

  const settle = async () => {
    const settlements: Settlement[] = state.rides.map((r) => ({
      task: r.task,
      result: r.result ?? 'returned',
      reason: r.reason ?? state.outcomeReason ?? 'no reason recorded',
      countsAsAttempt: r.countsAsAttempt ?? false,
      ...(r.result === 'released' && state.tag ? { release: state.tag } : {}),
    }));
    await git<typeof PlanActivities>('settle the backlog').settleTrain({
      repo: input.repo,
      train: trainId,
      settlements,
      maxAttempts: input.maxAttempts,
      nowMs: Date.now(),
    });
    enter('done');
  };
  const report = (): TrainResult => ({
    outcome: state.outcome ?? 'nothing-to-release',
    reason: state.outcomeReason,
    tag: state.tag,
    releaseSha: state.releaseSha,
    rides: state.rides,
    generations: state.generation,
  });

  try {
    if (state.stage === 'planning') {
      upsertSearchAttributes([
        { key: OURO_TRAIN, value: input.name },
        { key: OURO_REPO, value: input.repo },
      ]);
      const { resume: _, ...plain } = input;
      const plan = await git<typeof PlanActivities>('plan the train').planTrain({ train: trainId, input: plain, nowMs: Date.now() });
      state.plan = plan;
      state.head = plan.baseSha;
      state.rides = plan.tasks.map(({ task, invalid }) => ({
        task: task.id,
        goal: task.goal,
        priority: task.priority,
        ...(invalid ? { result: 'failed' as const, countsAsAttempt: true, reason: `the task cannot run: ${invalid}` } : {}),
      }));
      enter('running-tasks');
      await checkpoint();
    }

    if (state.stage === 'running-tasks') {
      const queue = state.rides.filter((r) => !r.result && !r.runOutcome);
      const runNext = async (): Promise<void> => {
        for (let r = queue.shift(); r; r = queue.shift()) {
          const childInput: RunInput = { ...inputOf(r.task), train: input.name };
          r.childId = `${trainId}--${r.task}`;
          publish();
          try {
            const result: RunResult = await executeChild(SelfCodingWorkflow, {
              workflowId: r.childId,
              taskQueue: q.workflow,
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
            Object.assign(r, {
              runOutcome: 'failed',
              result: 'failed',
              countsAsAttempt: true,
              reason: `the run failed: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`,
            });
          }
          publish();
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(input.maxParallel, queue.length)) }, runNext));
      enter('integrating');
      await checkpoint();
    }

    if (state.stage === 'integrating') {
      state.integrationDir = (
        await git<typeof IntegrateActivities>('prepare the integration worktree').prepareIntegration({
          repo: input.repo,
          train: trainId,
          sha: state.plan!.baseSha,
          linkPaths: state.plan!.suite.linkPaths,
        })
      ).dir;
      state.head = state.plan!.baseSha;
      await integrate(integrationOrder(state.rides.filter((r) => r.commit && !r.result)));
      if (state.rides.some((r) => r.integrated)) enter('verifying');
      else {
        finish('nothing-to-release', 'no change passed its run and integration');
        enter('settling');
      }
      await checkpoint();
    }

    while (state.stage === 'verifying' || state.stage === 'bisecting') {
      await checkpoint();
      if (state.stage === 'verifying') {
        await moveTo(state.head!, 'check out the integrated head');
        const tests = await suiteTest('release suite');
        const gate = testGate(tests);
        if (!gate.accepted) {
          state.verification = { tests: `failed: ${gate.reason}` };
          enter('bisecting');
          continue;
        }
        state.verification = { tests: `release suite ${describeCounts(tests.counts, tests.exitCode)}` };
        const suite = state.plan!.suite;
        if (suite.bench) {
          const previous = await git<typeof IntegrateActivities>('check out the previous release').prepareIntegration({
            repo: input.repo,
            train: trainId,
            sha: state.plan!.previousSha ?? state.plan!.baseSha,
            linkPaths: suite.linkPaths,
            name: 'previous',
          });
          const bench = await activities<typeof BenchActivities>(
            sandboxOptions(t.benchSeconds),
            `benchmark vs ${state.plan!.previousTag ?? 'base'}`,
          ).runBenchmark({
            baseDir: previous.dir,
            candidateDir: state.integrationDir!,
            command: suite.bench,
            mode: suite.benchMode,
            minPairs: Math.min(MIN_PAIRS, suite.benchRuns),
            maxPairs: suite.benchRuns,
            noiseMargin: suite.tolerance,
            timeoutSeconds: t.benchSeconds,
            label: `${trainId}/release`,
            protectedPaths: suite.protectedPaths,
          });
          const primary = bench.decisions?.[0];
          state.verification.benchmark = primary ? formatDecision(primary) : bench.message;
          const verdict = perfGate(bench, {});
          if (!verdict.accepted) {
            state.verification.slower = true;
            finish('slower', `the integrated release is not accepted against ${state.plan!.previousTag ?? 'the base'}: ${verdict.reason}`);
            enter('settling');
            break;
          }
        }
        enter(input.approval ? 'awaiting-approval' : 'releasing');
        await checkpoint();
        break;
      }

      // ---- bisecting: which integrated change makes the release suite fail? ----
      const integrated = integrationOrder(state.rides.filter((r) => r.integrated));
      const baseSha = state.plan!.baseSha;
      await moveTo(baseSha, 'bisect: the base');
      if (!testGate(await suiteTest('bisect: base')).accepted) {
        finish('verification-failed', `the release suite fails on the base ${baseSha.slice(0, 10)} itself; nothing can be blamed on the changes`);
        enter('settling');
        break;
      }
      // Invariant: the prefix of `lo` changes passes, the prefix of `hi` fails.
      let lo = 0;
      let hi = integrated.length;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        await moveTo(integrated[mid - 1]!.integrated!, `bisect: first ${mid} changes`);
        if (testGate(await suiteTest(`bisect: ${mid} of ${integrated.length}`)).accepted) lo = mid;
        else hi = mid;
      }
      const culprit = integrated[hi - 1]!;
      const why = `bisect: the release suite passes with the ${hi - 1} change(s) before it and fails with it (${state.verification?.tests ?? 'failed'})`;
      Object.assign(culprit, { result: 'failed', countsAsAttempt: true, reason: why, integrated: undefined });
      (state.bisect ??= []).push({ culprit: culprit.task, why });
      state.head = hi >= 2 ? integrated[hi - 2]!.integrated! : baseSha;
      const rest = integrated.slice(hi);
      await integrate(rest);
      if (state.rides.some((r) => r.integrated)) enter('verifying');
      else {
        finish('nothing-to-release', 'every integrated change was rolled back');
        enter('settling');
      }
    }

    if (state.stage === 'awaiting-approval') {
      state.approval ??= { deadlineMs: Date.now() + input.approval!.timeoutSeconds * 1000, reminders: 0 };
      publish();
      while (!decision) {
        const left = state.approval.deadlineMs - Date.now();
        if (left <= 0) break;
        if (await condition(() => decision !== undefined, Math.min(left, input.approval!.reminderSeconds * 1000))) break;
        state.approval.reminders++;
        publish();
        // A decision that landed with this reminder must not be left behind by continue-as-new.
        if (!decision) await checkpoint();
      }
      if (!decision) {
        finish('approval-timed-out', `nobody approved the release within ${input.approval!.timeoutSeconds} s`);
        enter('settling');
      } else {
        Object.assign(state.approval, { approved: decision.approve, decidedBy: decision.by, reason: decision.reason });
        if (decision.approve) enter('releasing');
        else {
          finish('rejected', `release rejected${decision.by ? ` by ${decision.by}` : ''}${decision.reason ? `: ${decision.reason}` : ''}`);
          enter('settling');
        }
      }
    }

    if (state.stage === 'releasing') {
      const plan = state.plan!;
      state.tag ??= nextTag(plan.previousTag, input.bump, input.tagPrefix);
      // The notes list the integrated rides as shipped; the rides themselves count as released only once the tag exists.
      const shipping = state.rides.map((r) => (r.integrated && !r.result ? { ...r, result: 'released' as const, reason: `in ${state.tag}` } : r));
      const notes = releaseNotes(state.tag, new Date(Date.now()).toISOString().slice(0, 10), { ...state, rides: shipping, previousTag: plan.previousTag });
      const released = await git<typeof IntegrateActivities>(`tag ${state.tag}`).publishRelease({
        repo: input.repo,
        dir: state.integrationDir!,
        head: state.head!,
        tag: state.tag,
        releaseBranch: input.releaseBranch,
        expectedTip: plan.releaseBranchExisted ? plan.baseSha : undefined,
        changelogEntry: notes,
        tagMessage: notes,
        timestampMs: Date.now(),
      });
      state.releaseSha = released.sha;
      state.rides = shipping;
      upsertSearchAttributes([{ key: OURO_RELEASE, value: state.tag }]);
      finish('released');
      enter('settling');
      await checkpoint();
    }

    if (state.stage === 'settling') await settle();
    return report();
  } catch (err) {
    if (state.plan && state.stage !== 'done' && !isContinueAsNew(err)) {
      // A cancelled or failed train gives its claimed tasks back, so none is stuck "claimed" forever.
      const cancelled = isCancellation(err);
      if (cancelled || !state.outcome)
        finish(cancelled ? 'cancelled' : 'verification-failed', cancelled ? 'the train was cancelled' : `the train failed: ${(err as Error).message}`);
      await CancellationScope.nonCancellable(settle);
      if (cancelled) return report();
    }
    throw err;
  } finally {
    if (state.stage === 'done') {
      await CancellationScope.nonCancellable(() =>
        git<typeof WorkspaceActivities>('clean up the train worktrees').cleanupRun({ repo: input.repo, runId: trainId }),
      );
    }
  }
}
