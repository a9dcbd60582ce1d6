// What the git queue's run activities are asked and return to a workflow: the base a
// run starts from, a candidate applied in its worktree, a commit, the clean-up.
import type { EditFormat } from '../edits/formats/index.js';
import type { ProbeSet } from '../gate/file-probes.js';
import type { FileSnapshot } from './draft-context.js';

export type { FileSnapshot } from './draft-context.js';

export interface PrepareRequest {
  repo: string;
  baseRef: string;
  runId: string;
  files: string[];
  linkPaths: string[];
}

export interface PrepareResult {
  baseSha: string;
  baseDir: string;
  files: FileSnapshot[];
  /** The base commit's tree (absent from runs prepared before candidates travelled as patches). */
  baseTree?: string;
}

export interface ApplyRequest {
  repo: string;
  runId: string;
  baseSha: string;
  candidateId: string;
  reply: string;
  format: EditFormat;
  /** The format the draft says it asked (DraftResult.editFormat), read first in place of `format`; search-replace: a whole-file block may only create a file. Absent in runs before it and from drafts that ask the slot's format. */
  askedFormat?: EditFormat;
  allowed: string[];
  protectedPaths: string[];
  linkPaths: string[];
  /** What the base's test run looked for and did not find: a candidate may not add it. */
  probes?: ProbeSet;
}

export type ApplyOutcome =
  | {
      ok: true;
      dir: string;
      changed: string[];
      diff: string;
      /** The candidate as data: its binary-safe patch against the base and the tree it makes (core/contracts/workspace.ts). */
      patch?: string;
      tree?: string;
    }
  | { ok: false; status: 'malformed' | 'refused'; message: string };

export interface CommitRequest {
  repo: string;
  dir: string;
  baseSha: string;
  branch: string;
  changed: string[];
  message: string;
  trailers: Record<string, string>;
  /** Workflow time, so a retried commit produces the very same object. */
  timestampMs: number;
  /** With `tree`: the commit is built from the base and this patch, not from the worktree. */
  patch?: string;
  /** The tree the sandbox tested: a commit whose tree differs is refused. */
  tree?: string;
}

export interface CommitResult {
  sha: string;
  reused: boolean;
}

export interface CleanupRequest {
  repo: string;
  runId: string;
  /** Refs under this prefix go too (a train's pinned commits). */
  refPrefix?: string;
}
