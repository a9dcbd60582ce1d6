// What every part of an evolutionary search shares: its input and id, the
// status it shows, what a person asked by signal, the archive (carried across
// continue-as-new), and the verbs that reach its activities and show progress.
import { setCurrentDetails, setHandler, type ActivityOptions } from '@temporalio/workflow';
import type * as BenchActivities from '../../activities/sandbox/benchmark.js';
import type * as TestActivities from '../../activities/sandbox/test.js';
import type { BenchRunResult, TestRunResult } from '../../core/contracts/sandbox.js';
import type { WorkspaceSpec } from '../../core/contracts/workspace.js';
import { programById } from '../../core/evolve/archive.js';
import type { EvolveInput, EvolveState, EvolveStatus, Program } from '../../core/evolve/types.js';
import { branchSafe } from '../../core/run/branch-name.js';
import { renderEvolveMarkdown } from '../../core/views/evolve-view.js';
import { activities, gitOptions, sandboxOptions } from '../activity-options.js';
import { evolveArchiveQuery, evolveHintUpdate, evolvePauseSignal, evolveResumeSignal, evolveStatusQuery, evolveStopSignal } from '../definitions.js';
import { benchmarkRequest, type BenchmarkSettings } from '../shared/benchmark-request.js';

/** What the base's tests showed, carried across continue-as-new with the archive. */
export interface Carried {
  state: EvolveState;
  baseCounts: TestRunResult['counts'];
  probes: TestRunResult['probes'];
}

/** What a person asked by signal: a stop (with why), a pause. */
export interface Requests {
  stop?: string;
  pause: boolean;
}

/** Who the search is: enough to reach its activities and name its workspaces, before the archive exists. */
export interface SearchId {
  input: EvolveInput;
  evolveId: string;
}

export interface Search extends SearchId, Carried {
  status: EvolveStatus;
  requested: Requests;
  /** Where promotions land. */
  branch: string;
  baseSpec: WorkspaceSpec;
  /** Drafts in flight: the budget counts each at its worst case until it is spent. */
  draftsOut: number;
  /** One promotion at a time: each is judged against the champion of that moment. */
  promoting: Promise<void>;
}

/** The status and the person's requests, with the status query and the stop, pause and resume signals answering. */
export function listen(): Pick<Search, 'status' | 'requested'> {
  const status: EvolveStatus = { phase: 'baseline', evaluations: 0, running: 0, best: { id: 'base', score: 1 }, promoted: 0, spent: { drafts: 0, tokens: 0 } };
  const requested: Requests = { pause: false };
  setHandler(evolveStatusQuery, () => status);
  setHandler(evolveStopSignal, (why) => {
    requested.stop ??= why || 'stopped by request';
  });
  setHandler(evolvePauseSignal, () => {
    requested.pause = true;
  });
  setHandler(evolveResumeSignal, () => {
    requested.pause = false;
  });
  return { status, requested };
}

/** The search over its archive, with the archive query and the hint update answering; it shows as searching. */
export function openSearch(id: SearchId, heard: Pick<Search, 'status' | 'requested'>, carried: Carried): Search {
  const { state } = carried;
  const search: Search = {
    ...id,
    ...heard,
    ...carried,
    branch: `ouro/evolve/${branchSafe(id.evolveId)}`,
    baseSpec: workspace(id, { baseSha: state.baseSha, tree: state.baseTree, label: 'base' }),
    draftsOut: 0,
    promoting: Promise.resolve(),
  };
  setHandler(evolveArchiveQuery, () => state);
  setHandler(
    evolveHintUpdate,
    (hint) => {
      (state.hints ??= []).push(hint.trim());
      return `hint noted (${state.hints.length} in all): shown with every draft from now on`;
    },
    {
      validator: (hint) => {
        if (typeof hint !== 'string' || !hint.trim()) throw new Error('a hint must be non-empty text');
        if (search.status.phase === 'done') throw new Error('the search is finished');
      },
    },
  );
  search.status.phase = 'searching';
  publish(search);
  return search;
}

export function publish(search: Search): void {
  const { state, status } = search;
  const best = programById(state, state.bestId);
  Object.assign(status, {
    evaluations: state.evaluations.length,
    best: { id: best.id, score: best.score },
    promoted: state.promoted.length,
    spent: { ...state.spent },
  });
  setCurrentDetails(renderEvolveMarkdown(state, status, search.branch));
}

/** The program promotions are judged against: the last promoted, or the base. */
export function champion({ state }: Search): Program {
  return state.promoted.length ? programById(state, state.promoted.at(-1)!.programId) : programById(state, 'base');
}

/** A commit of the repository as data any sandbox host rebuilds. */
export function workspace({ input, evolveId }: SearchId, over: Partial<WorkspaceSpec> & Pick<WorkspaceSpec, 'baseSha' | 'tree' | 'label'>): WorkspaceSpec {
  return { source: input.source ?? input.repo, runId: evolveId, ...over };
}

/** Where a program's commits are kept (one ref each, under the search's own). */
export const programRef = ({ evolveId }: SearchId, id: string): string => `refs/ouro/evolve/${branchSafe(evolveId)}/${id}`;

/** A proxy of git-queue activities whose calls show `summary` in the Web UI. */
export function gitActivities<T>({ input }: SearchId, summary: string): T {
  return activities<T>(gitOptions(input.queues.git, '5 minutes'), summary);
}

function sandboxActivities<T>({ input }: SearchId, seconds: number, summary: string): T {
  const options: ActivityOptions = sandboxOptions(input.queues.sandbox, seconds, input.timeouts.heartbeatSeconds);
  return activities<T>(options, summary);
}

export const testActivities = (id: SearchId, summary: string) => sandboxActivities<typeof TestActivities>(id, id.input.timeouts.testSeconds, summary);

/** What every benchmark of the search shares; the base's own check takes one pair, a duel up to `benchRuns`. */
export function benchmarkSettings({ input }: SearchId, probes: TestRunResult['probes']): BenchmarkSettings {
  return {
    command: input.benchCommand,
    mode: input.benchMode,
    runs: input.benchRuns,
    noiseMargin: input.margin,
    timeoutSeconds: input.timeouts.benchSeconds,
    protectedPaths: input.protectedPaths,
    probes,
    writable: input.writable,
  };
}

export function runBenchmark(id: SearchId, summary: string, request: Parameters<typeof BenchActivities.runBenchmark>[0]): Promise<BenchRunResult> {
  return sandboxActivities<typeof BenchActivities>(id, id.input.timeouts.benchSeconds, summary).runBenchmark(request);
}

/** The gate's paired benchmark of `candidate` against `base`: a program's score, or a challenger's duel with the champion. */
export function duel(search: Search, summary: string, base: WorkspaceSpec, candidate: WorkspaceSpec, label: string): Promise<BenchRunResult> {
  const arms = { baseWorkspace: base, candidateWorkspace: candidate, linkPaths: search.input.linkPaths };
  return runBenchmark(search, summary, benchmarkRequest(benchmarkSettings(search, search.probes), arms, label));
}
