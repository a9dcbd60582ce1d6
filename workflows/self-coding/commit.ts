// commit: the gate's single best candidate on the run's branch, with the
// trailers that say how it was judged.
import { log } from '@temporalio/workflow';
import type * as CommitActivities from '../../activities/git/commit.js';
import { pickBest } from '../../core/gate/gate.js';
import { describeFailedInBase, describeIdentity } from '../../core/gate/test-identity.js';
import { describeCounts } from '../../core/gate/test-report.js';
import { branchSafe } from '../../core/run/branch-name.js';
import { commitMessage, RUN_TRAILER } from '../../core/run/trailers.js';
import type { RunResult } from '../../core/run/types.js';
import { formatSpeedup } from '../../core/stats/bench-stats.js';
import type { RoundView, Survivor } from './round.js';
import { finish, gitActivities, publish, type Run } from './run.js';

/** The best of the accepted (none: the round committed nothing); the others say which was chosen. */
export function chooseBest(accepted: Survivor[]): Survivor | undefined {
  const best = pickBest(accepted.map((a) => ({ ...a, speedup: a.row.speedup })));
  if (!best) return undefined;
  for (const other of accepted) {
    if (other.row !== best.row) {
      other.row.status = 'not-best';
      other.row.reason = `${other.row.reason}; ${best.row.id} was chosen (${formatSpeedup(best.row.speedup ?? 1)})`;
    }
  }
  return best;
}

export async function commitBest(run: Run, best: Survivor, view: RoundView): Promise<RunResult> {
  const { input, runId } = run;
  run.status.phase = 'committing';
  publish(run);
  const branch = input.targetBranch ?? `ouro/${branchSafe(runId)}`;
  const trailers = trailersOf(run, best);
  const commit = await gitActivities<typeof CommitActivities>(run, `commit ${best.row.id} to ${branch}`).commitCandidate({
    repo: input.repo,
    dir: best.dir,
    baseSha: view.base.baseSha,
    branch,
    changed: best.row.changed ?? [],
    message: commitMessage(
      input.goal,
      `Candidate ${best.row.id} of round ${view.round}, drafted by ${best.row.provider}/${best.row.model}.\n${best.row.reason ?? ''}`,
      trailers,
    ),
    trailers,
    timestampMs: Date.now(),
    // Built from the base and the patch the sandbox tested, and refused if its tree is not the one tested.
    ...(best.spec ? { patch: best.spec.patch, tree: best.testedTree } : {}),
  });
  best.row.status = 'committed';
  log.info('committed', { sha: commit.sha, branch });
  return finish(run, 'committed', { commitSha: commit.sha, branch, diff: best.diff });
}

function trailersOf(run: Run, best: Survivor): Record<string, string> {
  const { row } = best;
  const trailers: Record<string, string> = {
    [RUN_TRAILER]: run.runId,
    'Ouro-Candidate': row.id,
    'Ouro-Model': `${row.provider}/${row.model}`,
    // A --fix run's commit names the tests it made pass: "5 passed; failed in the base, pass now: test_x".
    'Ouro-Tests': [describeCounts(row.tests, 0), describeFailedInBase(row.identity)].filter(Boolean).join('; '),
  };
  if (row.identity) trailers['Ouro-Test-Identity'] = describeIdentity(row.identity);
  if (row.benchmark) trailers['Ouro-Benchmark'] = row.benchmark;
  // Committed all the same (not slower, goal met), and said so: --require-reliable refuses these.
  if (row.unreliable) trailers['Ouro-Benchmark-Unreliable'] = row.unreliable;
  // What the measurement could not exclude (special-cased inputs, unchecked results, state between runs) is said with it.
  if (row.benchIntegrity) trailers['Ouro-Benchmark-Integrity'] = row.benchIntegrity;
  return trailers;
}
