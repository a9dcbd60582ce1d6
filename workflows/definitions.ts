import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RunStatus } from '../core/run/types.js';

// Shared by the workflow (handlers) and the CLI (callers).
export const statusQuery = defineQuery<RunStatus>('status');
/** Extra guidance for the model, used from the next round on. Returns where it will apply. */
export const hintUpdate = defineUpdate<string, [string]>('hint');

import type { TrainDecision, TrainState } from '../core/train/types.js';
export const trainStatusQuery = defineQuery<TrainState & { name: string; trainId: string }>('trainStatus');
/** A human's verdict on a train waiting for approval. Returns what happens next. */
export const trainDecisionUpdate = defineUpdate<string, [TrainDecision]>('decide');

import type { EvalStatus } from '../core/eval/types.js';
/** An evaluation's progress: done, passed, failed, running. */
export const evalStatusQuery = defineQuery<EvalStatus>('evalStatus');

import { defineSignal } from '@temporalio/workflow';
import type { EvolveState, EvolveStatus } from '../core/evolve/types.js';
/** A search's progress: evaluations, the best program, promotions, what is spent. */
export const evolveStatusQuery = defineQuery<EvolveStatus>('evolveStatus');
/** The archive itself (programs, scores, lineage, grids), for `ouro evolve report`. */
export const evolveArchiveQuery = defineQuery<EvolveState>('evolveArchive');
/** Stop starting evaluations; those in flight finish and are counted. */
export const evolveStopSignal = defineSignal<[string]>('evolveStop');
/** Pause: no new evaluations start until resumed (those in flight finish); resume undoes it. */
export const evolvePauseSignal = defineSignal('evolvePause');
export const evolveResumeSignal = defineSignal('evolveResume');
/** Guidance for every later draft of a running search. Returns how many hints it now has. */
export const evolveHintUpdate = defineUpdate<string, [string]>('evolveHint');
