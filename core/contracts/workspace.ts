import { z } from 'zod';

// A candidate travels as data, not as a path: the repository to fetch, the
// base commit, and the candidate's patch. Any sandbox host rebuilds the
// workspace from its own mirror and checks the tree it got against the one
// the git host made, so what is tested is what would be committed.

/** The most patch text a candidate may carry through workflow history (Temporal caps a payload at 2 MB). */
export const MAX_PATCH_BYTES = 1024 * 1024;

export const WorkspaceSpecSchema = z.object({
  /** What a sandbox host fetches from: a path on a shared disk, or a URL (file://, git://, ssh, https). */
  source: z.string().min(1),
  baseSha: z.string().regex(/^[0-9a-f]{40}$/, 'a full commit sha'),
  /** `git diff --binary --full-index` of the candidate against the base; absent for the base itself. */
  patch: z.string().max(MAX_PATCH_BYTES).optional(),
  /** The tree the git host built (`git write-tree`): a workspace whose tree differs is refused. */
  tree: z.string().regex(/^[0-9a-f]{40}$/, 'a full tree sha'),
  /** Names the workspace on the host: the run and the candidate (or `base`). */
  runId: z.string().min(1),
  label: z.string().min(1),
});

export type WorkspaceSpec = z.infer<typeof WorkspaceSpecSchema>;
