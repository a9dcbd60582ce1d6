// What a release train's git-queue activities are asked and answer: the plan
// (what the train carries), a change cherry-picked onto the integration, the
// release published.
import type { TrainInput } from '../train/types.js';

export interface PlanTrainRequest {
  train: string;
  input: Omit<TrainInput, 'resume'>;
  nowMs: number;
}

export interface CherryPickRequest {
  dir: string;
  /** The integration head this change goes on top of. */
  onto: string;
  commit: string;
  trailers: Record<string, string>;
  timestampMs: number;
}

export type CherryPickResult = { ok: true; sha: string } | { ok: false; conflict: string[]; message: string };

export interface PublishRequest {
  repo: string;
  dir: string;
  head: string;
  tag: string;
  releaseBranch: string;
  /** The release branch's tip the train started from; absent when the branch is new. */
  expectedTip?: string;
  changelogEntry: string;
  tagMessage: string;
  timestampMs: number;
}
