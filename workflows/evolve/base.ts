// The base: green tests and a benchmark that runs, once for the whole search.
// It is the archive's first program and the unit every score is measured in.
import { ApplicationFailure, patched } from '@temporalio/workflow';
import type * as WorkspaceActivities from '../../activities/git/workspace.js';
import type { TestRunResult } from '../../core/contracts/sandbox.js';
import type { WorkspaceSpec } from '../../core/contracts/workspace.js';
import { newArchive } from '../../core/evolve/archive.js';
import { featureMetrics, missingObjectiveMetrics } from '../../core/evolve/features.js';
import type { EvolveInput, Program } from '../../core/evolve/types.js';
import { testGate } from '../../core/gate/gate.js';
import { baseRanNoTests } from '../../core/gate/tests-ran.js';
import { headTail } from '../../core/views/excerpt.js';
import { benchmarkRequest } from '../shared/benchmark-request.js';
import { benchmarkSettings, gitActivities, runBenchmark, testActivities, workspace, type Carried, type SearchId } from './search.js';

/** The base tested and measured, as a new archive; a base that cannot be is a configuration error. */
export async function measureBase(id: SearchId): Promise<Carried> {
  const { input, evolveId } = id;
  const base = await gitActivities<typeof WorkspaceActivities>(id, `prepare ${input.baseRef}`).prepareRun({
    repo: input.repo,
    baseRef: input.baseRef,
    runId: evolveId,
    files: input.files,
    linkPaths: input.linkPaths,
  });
  if (!base.baseTree) throw ApplicationFailure.nonRetryable('the git worker is older than ouro evolve: update it', 'OuroConfigError');
  const baseSpec = workspace(id, { baseSha: base.baseSha, tree: base.baseTree, label: 'base' });
  const baseTest = await testBase(id, baseSpec);
  await benchmarkBase(id, baseSpec, baseTest.probes);
  const baseProgram: Program = {
    id: 'base',
    island: 0,
    generation: 0,
    sha: base.baseSha,
    tree: base.baseTree,
    score: 1,
    features: { sizeBytes: base.files.reduce((n, f) => n + f.content.length, 0), diffLines: 0, ...baseMetrics(input) },
    provider: '-',
    tokens: 0,
  };
  return {
    state: newArchive(baseProgram, input.islands, Date.now(), { dims: input.features, metric: input.metric, strategy: input.strategy ?? 'evolve' }),
    baseCounts: baseTest.counts,
    probes: baseTest.probes,
  };
}

/** An evolution starts from green code. */
async function testBase(id: SearchId, baseSpec: WorkspaceSpec): Promise<TestRunResult> {
  const { input } = id;
  const baseTest = await testActivities(id, 'test the base').runTests({
    workspace: baseSpec,
    linkPaths: input.linkPaths,
    command: input.testCommand,
    timeoutSeconds: input.timeouts.testSeconds,
    label: 'base',
    protectedPaths: input.protectedPaths,
    role: 'base',
    writable: input.writable,
  });
  if (!testGate(baseTest).accepted) {
    throw ApplicationFailure.nonRetryable(
      `the base fails its tests: an evolution starts from green code\n${headTail(baseTest.output, 2000)}`,
      'OuroConfigError',
    );
  }
  // Added with issue 24: a base that ran no test holds programs to nothing (searches started before it replay without).
  const empty = patched('ouro-base-ran-tests') ? baseRanNoTests(baseTest) : undefined;
  if (empty) throw ApplicationFailure.nonRetryable(`${empty}\n${headTail(baseTest.output, 2000)}`, 'OuroConfigError');
  return baseTest;
}

/** One pair: only whether the benchmark runs, and reports the metrics the search is asked to use. */
async function benchmarkBase(id: SearchId, baseSpec: WorkspaceSpec, probes: TestRunResult['probes']): Promise<void> {
  const { input } = id;
  const oneRun = { ...benchmarkSettings(id, probes), runs: 1 };
  const baseBench = await runBenchmark(id, 'benchmark the base', benchmarkRequest(oneRun, { baseWorkspace: baseSpec, linkPaths: input.linkPaths }, 'base'));
  if (!baseBench.ok) throw ApplicationFailure.nonRetryable(`the base's benchmark fails: ${baseBench.message}`, 'OuroConfigError');
  const missing = baseBench.metrics ? missingObjectiveMetrics(baseBench.metrics, input.metric, input.features ?? []) : [];
  if (missing.length) {
    throw ApplicationFailure.nonRetryable(
      `the benchmark prints no metric ${missing.map((m) => `"${m}"`).join(', ')} (it prints ${baseBench.metrics!.join(', ') || 'none'}): --metric and --features metric:<name> name metrics of its report`,
      'OuroConfigError',
    );
  }
}

/** The base's grid metrics are the unit every program's are measured in. */
function baseMetrics(input: EvolveInput): { metrics?: Record<string, number> } {
  const names = featureMetrics(input.features ?? []);
  return names.length ? { metrics: Object.fromEntries(names.map((n) => [n, 1])) } : {};
}
