// evaluate: the cascade a program goes through, cheapest first, so most broken
// programs never reach the tests or the benchmark: a quick test → the tests
// (held to the base's) → the benchmark against the base, which is its score.
// Each step returns its activity's promise for the iteration to await
// (iteration.ts); each verdict, why the program leaves the cascade (undefined:
// it goes on), is a plain function of what came back.
import { patched } from '@temporalio/workflow';
import type { BenchRunResult, TestRunResult } from '../../core/contracts/sandbox.js';
import type { WorkspaceSpec } from '../../core/contracts/workspace.js';
import { failureExcerpt } from '../../core/feedback/failure-excerpt.js';
import { objectiveOf, type Objective } from '../../core/evolve/features.js';
import { testGate } from '../../core/gate/gate.js';
import { duel, testActivities, type Search } from './search.js';

/** What every test run of a program shares. */
function testRequest({ input, probes }: Search) {
  return { linkPaths: input.linkPaths, timeoutSeconds: input.timeouts.testSeconds, protectedPaths: input.protectedPaths, probes, writable: input.writable };
}

export function quickTest(search: Search, id: string, child: WorkspaceSpec, command: string): Promise<TestRunResult> {
  return testActivities(search, `quick test ${id}`).runTests({ ...testRequest(search), workspace: child, command, label: `${id}-quick` });
}

export function quickTestFailure(search: Search, quick: TestRunResult): string | undefined {
  if (quick.passed) return undefined;
  return `the quick test failed${quick.timedOut ? ` (killed after ${search.input.timeouts.testSeconds} s)` : ''}:\n${failureExcerpt(quick.output, 1500, quick.counts?.runner)}`;
}

export function fullTest(search: Search, id: string, child: WorkspaceSpec): Promise<TestRunResult> {
  return testActivities(search, `test ${id}`).runTests({
    ...testRequest(search),
    workspace: child,
    baseWorkspace: search.baseSpec,
    command: search.input.testCommand,
    label: id,
    role: 'candidate',
  });
}

export function testFailure(search: Search, tested: TestRunResult): string | undefined {
  // Added with issue 24: a program whose run shows no test that ran never passes (histories before it replay without).
  const verdict = testGate(tested, search.baseCounts, { requireTestsRan: patched('ouro-candidate-ran-tests') });
  return verdict.accepted ? undefined : `${verdict.reason}\n${failureExcerpt(tested.output, 1500, tested.counts?.runner)}`;
}

/** The child against the base, paired: its score. */
export function benchmarkAgainstBase(search: Search, id: string, child: WorkspaceSpec): Promise<BenchRunResult> {
  return duel(search, `benchmark ${id} vs the base`, search.baseSpec, child, `${search.evolveId}/${id}`);
}

/** The decision on the search's metric, or why there is none. */
export function scoreOf(search: Search, measured: BenchRunResult): Objective {
  const objective = objectiveOf(measured.decisions, search.input.metric);
  if (measured.ok && objective.ok) return objective;
  return { ok: false, reason: `the benchmark failed: ${measured.message ?? (objective.ok ? 'no measurement' : objective.reason)}` };
}
