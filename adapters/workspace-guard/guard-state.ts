import type { ProbeSet } from '../../core/gate/file-probes.js';
import type { GuardRecord } from './record.js';

// What the guard knows of one workspace while an activity holds it: its own file, so the
// steps of the guard (settle.ts, cleanup.ts) can take it without importing the guard back.

export interface GuardOptions {
  protectedGlobs: string[];
  /** Tracked files (globs) the tests may write: handed to the sandbox uid for a run, restored after it. */
  writable?: string[];
  /** What the base's test run looked for and did not find: a run that creates one of these is refused. */
  probes?: ProbeSet;
  /** The base's own run: what it creates is the reference (a Cargo.lock it writes is no violation), not judged. */
  reference?: boolean;
}

/** What a run must leave as it found it, and how the workspace is frozen while it runs. */
export interface WorkspaceGuard {
  dir: string;
  /** The workspace's private git dir, where its record lives. */
  gitDir: string;
  record: GuardRecord;
  /** Top-level symbolic links (shared dependencies) and where they point. */
  links: Map<string, string>;
  protectedFiles: string[];
  /** Every file of the workspace as applied (the base's tracked files plus the candidate's patch). */
  files: Set<string>;
  /** Files the patch added (untracked in git's eyes, but part of the candidate). */
  added: string[];
  /** The tree id of the workspace as applied; after every run it must hash to it again. */
  tree: string;
  /** Tracked files the tests may write (put back from the tree after each run). */
  writable: Set<string>;
  /** Tampering found before this run (left by an earlier run in the same workspace, e.g. an attempt that crashed). */
  before: string[];
  /** What the last run created (before it was removed): the base's own caches are not what it looked for. */
  created: string[];
  /** Set when runs in this workspace died POISON_DEATHS times in a row: the caller drops the candidate instead of running it. */
  poison?: string;
  opts: GuardOptions;
}

/**
 * Runs in a row of one workspace after which its candidate is taken to be what kills the
 * worker (a poison pill) and is dropped. Above the 5 deaths in one run that Ouro is shown
 * to survive; below the sandbox activities' 10 attempts.
 */
export const POISON_DEATHS = 6;
