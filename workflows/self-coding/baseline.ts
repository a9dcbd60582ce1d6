// baseline: the base must be green (and measurable) before any draft. What
// its tests found is what every candidate is held to.
import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import type * as WorkspaceActivities from '../../activities/git/workspace.js';
import type { TestRunResult } from '../../core/contracts/sandbox.js';
import type { WorkspaceSpec } from '../../core/contracts/workspace.js';
import { brokenBaseline, testGate } from '../../core/gate/gate.js';
import { describeCounts } from '../../core/gate/test-report.js';
import { baseRanNoTests } from '../../core/gate/tests-ran.js';
import { describeRequired, type RequiredTests } from '../../core/gate/required-tests.js';
import { describeHeldTo } from '../../core/gate/unbuilt-base.js';
import { OURO_SANDBOX } from '../../core/run/search-attributes.js';
import type { RunResult } from '../../core/run/types.js';
import { headTail } from '../../core/views/excerpt.js';
import { failureExcerpt } from '../../core/feedback/failure-excerpt.js';
import { benchmarkBaseline } from './benchmark.js';
import { DRAFT_CONTEXT_PATCH, gatherDraftContext } from './context.js';
import type { Baseline } from './round.js';
import { finish, gitActivities, publish, runTests, type Run } from './run.js';

/** The base prepared, tested and (with a benchmark) measured; a broken base ends the run here. */
export async function establishBaseline(run: Run): Promise<Baseline | RunResult> {
  const { input, runId, status } = run;
  const base = await gitActivities<typeof WorkspaceActivities>(run, `prepare ${input.baseRef}`).prepareRun({
    repo: input.repo,
    baseRef: input.baseRef,
    runId,
    files: input.files,
    linkPaths: input.linkPaths,
  });
  status.baseSha = base.baseSha;
  publish(run);
  // Added with scale-out: candidates travel as patches, so any sandbox host can test them (histories before it replay with paths).
  const asData = patched('ouro-candidate-as-patch') && base.baseTree !== undefined;
  const baseSpec: WorkspaceSpec | undefined = asData
    ? { source: input.source ?? input.repo, baseSha: base.baseSha, tree: base.baseTree!, runId, label: 'base' }
    : undefined;
  const baseTest = await runTests(
    run,
    'test baseline',
    baseSpec ? { workspace: baseSpec, linkPaths: input.linkPaths } : { dir: base.baseDir },
    'baseline',
    'base',
  );
  status.sandbox = baseTest.sandbox;
  status.testIdentity = baseTest.report
    ? `by identity: the base's ${baseTest.report.tests} tests (${baseTest.report.format} report) must each run again and pass`
    : `by count only: ${baseTest.reportNote ?? 'no structured report'}`;
  upsertSearchAttributes([{ key: OURO_SANDBOX, value: baseTest.sandbox }]);
  const baseline: Baseline = { base, probes: baseTest.probes, baseCounts: baseTest.counts, baseSpec };
  const broken = judgeBaseTests(run, baseTest, baseline);
  if (broken) return broken;
  if (input.benchCommand) {
    const baseBench = await benchmarkBaseline(run, input.benchCommand, baseline);
    if (!baseBench.ok) return finish(run, 'baseline-broken', { baselineReason: `baseline benchmark failed: ${baseBench.message}` });
  }
  // After the base's tests: with --fix, its failing tests steer the choice of files and lead the context.
  if (patched(DRAFT_CONTEXT_PATCH)) return gatherDraftContext(run, baseline);
  return baseline;
}

/** A red base ends the run unless it is the starting point of a fix; then its failure is the first feedback. */
function judgeBaseTests(run: Run, baseTest: TestRunResult, baseline: Baseline): RunResult | undefined {
  const { input, status } = run;
  // Added with issue 24: a base that ran no test because protected test files do not build yet is, with --fix, held to the
  // tests those files define; histories before it replay without.
  const unbuiltSeen = input.baselineMayFail && !baseTest.timedOut && (baseTest.unbuiltTests || baseTest.unbuiltTestsNote);
  const testFirst = unbuiltSeen && patched('ouro-fix-unbuilt-tests');
  const required = testFirst ? startsFromUnbuilt(baseTest) : undefined;
  const notTestFirst = testFirst && !required && baseTest.unbuiltTestsNote ? ` (not tests written first: ${baseTest.unbuiltTestsNote})` : '';
  // Added with the gate-integrity checks: histories recorded before it replay without them.
  const integrity = patched('ouro-gate-integrity');
  const green = testGate(baseTest).accepted;
  const why = `baseline tests ${describeCounts(baseTest.counts, baseTest.exitCode)}`;
  const broken =
    !green && integrity && !required
      ? brokenBaseline(baseTest, 'name the files the tests may write with --writable (or "writable" in ouro.config.json)')
      : undefined;
  if (broken) return finish(run, 'baseline-broken', { baselineReason: `${broken}${notTestFirst}\n${headTail(baseTest.output, 2000)}` });
  // Added with issue 24: a base that ran no test (green or red, --fix or not) holds candidates to nothing; histories before it replay without.
  const empty = patched('ouro-base-ran-tests') && !required ? baseRanNoTests(baseTest) : undefined;
  if (empty) return finish(run, 'baseline-broken', { baselineReason: `${empty}${notTestFirst}\n${headTail(baseTest.output, 2000)}` });
  if (green) return undefined;
  // A red base is the starting point of a bug fix, never of a speed-up; a hung one is never usable.
  if (!input.baselineMayFail || baseTest.timedOut) {
    return finish(run, 'baseline-broken', {
      baselineReason: `${why}${input.baselineMayFail ? '' : ' (use --fix when the goal is to make failing tests pass)'}\n${headTail(baseTest.output, 2000)}`,
    });
  }
  if (required) {
    baseline.requiredTests = required;
    // What the candidates are held to: the base's report alone would count the load error it holds as its one test.
    status.testIdentity = `${describeHeldTo(baseTest, required)}; ${describeRequired(required)}`;
  }
  run.feedback.push({
    candidate: 'baseline',
    status: 'tests-failed',
    message: `The current code fails its tests${required ? ` (${describeRequired(required)})` : ''}:\n${failureExcerpt(baseTest.output, 3000, baseTest.counts?.runner)}`,
  });
  return undefined;
}

/** The tests a base's unbuilt protected test files define, unless the base also failed for a reason a fix cannot start from. */
function startsFromUnbuilt(baseTest: TestRunResult): RequiredTests | undefined {
  if (!baseTest.unbuiltTests || baseTest.probes?.deniedWrites?.length || baseTest.ignoredMissing?.length) return undefined;
  return baseTest.unbuiltTests;
}
