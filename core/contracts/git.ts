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
}

export type ApplyOutcome = { ok: true; dir: string; changed: string[]; diff: string } | { ok: false; status: 'malformed' | 'refused'; message: string };

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
}

export interface CommitResult {
  sha: string;
  reused: boolean;
}
