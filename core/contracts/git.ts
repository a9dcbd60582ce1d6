// What the git queue's activities return to a workflow: the base a run starts from,
// a candidate applied in its worktree, a commit.

export interface FileSnapshot {
  path: string;
  content: string;
}

export interface PrepareResult {
  baseSha: string;
  baseDir: string;
  files: FileSnapshot[];
  /** The base commit's tree (absent from runs prepared before candidates travelled as patches). */
  baseTree?: string;
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
