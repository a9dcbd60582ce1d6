// promote: a program that scored above the champion duels the champion itself;
// only a win by the margin moves the evolve branch. One promotion at a time, so
// each is judged against the champion of that moment.
import { patched } from '@temporalio/workflow';
import type * as EvolveActivities from '../../activities/git/evolve.js';
import type { BenchRunResult } from '../../core/contracts/sandbox.js';
import type { WorkspaceSpec } from '../../core/contracts/workspace.js';
import type { Evaluation, Program } from '../../core/evolve/types.js';
import { perfGate } from '../../core/gate/gate.js';
import { commitMessage } from '../../core/run/trailers.js';
import { describeIntegrity } from '../../core/stats/bench-integrity.js';
import { BENCH_VERDICT_PATCH, benchmarkRequest, pairsForAVerdict } from '../shared/benchmark-request.js';
import { benchmarkSettings, champion, duel, gitActivities, runBenchmark, workspace, type Search } from './search.js';

/** Queues the promotion behind any in progress; the promise is this one's turn (awaited by its iteration). */
export function promoteInTurn(search: Search, program: Program, ev: Evaluation): Promise<void> {
  const turn = search.promoting.then(() => promoteIfBetter(search, program, ev));
  search.promoting = turn.catch(() => undefined);
  return turn;
}

/** Measured against the champion itself: promoted only when the interval clears the margin. */
async function promoteIfBetter(search: Search, program: Program, ev: Evaluation): Promise<void> {
  const { input, evolveId, state } = search;
  const holder = champion(search);
  if (program.score <= holder.score) return;
  // What decides a promotion is what its commit says: a verdict of faster, over pairs enough to reach one.
  const byVerdict = patched(BENCH_VERDICT_PATCH);
  const versus = await (byVerdict ? duelForAVerdict : duel)(
    search,
    `benchmark ${program.id} vs the champion ${holder.id}`,
    workspace(search, { baseSha: holder.sha, tree: holder.tree, label: `champion-${holder.id}` }),
    workspace(search, { baseSha: program.sha, tree: program.tree, label: `${program.id}-challenger` }),
    `${evolveId}/${program.id}-vs-${holder.id}`,
  );
  const gate = perfGate(versus, {
    speedupGoal: 1 + input.margin,
    ...(input.metric ? { metric: input.metric } : {}),
    ...(byVerdict ? { requireVerdict: true } : {}),
  });
  if (!gate.accepted) {
    ev.reason = `not promoted: against the champion ${holder.id}, ${gate.reason}`;
    return;
  }
  const promoted = await gitActivities<typeof EvolveActivities>(search, `promote ${program.id}`).promoteProgram({
    repo: input.repo,
    branch: search.branch,
    baseSha: state.baseSha,
    tree: program.tree,
    programTrailer: `Ouro-Evolve-Program: ${evolveId}/${program.id}`,
    timestampMs: Date.now(),
    message: commitMessage(
      input.goal,
      `Program ${program.id} of evolve ${evolveId} (generation ${program.generation}, from ${program.parent}): ${program.score.toFixed(3)}× the base; against the previous champion ${holder.id}: ${gate.reason}.`,
      {
        'Ouro-Evolve': evolveId,
        'Ouro-Evolve-Program': `${evolveId}/${program.id}`,
        'Ouro-Model': `${program.provider}`,
        'Ouro-Benchmark': gate.reason,
        ...(versus.integrity ? { 'Ouro-Benchmark-Integrity': describeIntegrity(versus.integrity) } : {}),
      },
    ),
  });
  state.promoted.push({ programId: program.id, commit: promoted.sha, score: program.score });
  ev.promoted = true;
}

/** The duel with the champion, over at least MIN_PAIRS pairs (the search's --bench-runs when more). */
function duelForAVerdict(search: Search, summary: string, base: WorkspaceSpec, candidate: WorkspaceSpec, label: string): Promise<BenchRunResult> {
  const arms = { baseWorkspace: base, candidateWorkspace: candidate, linkPaths: search.input.linkPaths };
  return runBenchmark(search, summary, benchmarkRequest(pairsForAVerdict(benchmarkSettings(search, search.probes)), arms, label));
}
