// What a run and an evolve search both act on: the repository and its base,
// the files the model may change, how candidates are tested and measured,
// who drafts them, and the queues and timeouts that carry the work. RunInput
// (core/run/types.ts) and EvolveInput (core/evolve/types.ts) extend it with
// their own settings; the shape on the wire is theirs, unchanged.
import type { EditFormat } from '../edits/formats/index.js';
import type { ProviderName, QueueNames } from '../run/queues.js';
import type { BaseUrlSource } from '../run/providers.js';
import type { BenchMode } from '../stats/bench-measure.js';

export interface DraftSlotPlan {
  provider: ProviderName;
  count: number;
  model: string;
  baseUrl?: string;
  /** Absent in runs that predate it: the slot's URL is then used as it is. */
  baseUrlFrom?: BaseUrlSource;
  apiKeyVar?: string;
  editFormat: EditFormat;
  maxOutputTokens: number;
  temperature: number;
  /**
   * The embedded model's context window as its draft worker reported it at the preflight: the draft
   * context is fitted to it. Absent (no preflight, no worker yet, runs before it): the window of the
   * model OURO_LOCAL_MODEL names on the git worker that gathers the context.
   */
  contextTokens?: number;
}

export interface RunTimeouts {
  draftSeconds: number;
  testSeconds: number;
  benchSeconds: number;
  /** How soon a silent test/bench activity is declared lost (dead worker). */
  heartbeatSeconds: number;
  /**
   * How long a draft may wait for a worker of its provider's queue before the run says nobody serves it
   * (absent in runs started before this option: they wait as long as the draft's own timeout allows).
   */
  draftQueueSeconds?: number;
}

export interface RunTarget {
  repo: string;
  /**
   * Where sandbox hosts fetch the repository from (a URL: file://, git://, ssh, https); absent: `repo`
   * itself, which only a host that holds it (or shares its disk) can read.
   */
  source?: string;
  baseRef: string;
  goal: string;
  /** Paths or globs the model may change. */
  files: string[];
  protectedPaths: string[];
  testCommand: string;
  /** Optional for a run; a search is scored by it and requires it (EvolveInput). */
  benchCommand?: string;
  benchMode: BenchMode;
  /** Most A/B pairs per decision (the runner stops earlier when the verdict is clear). */
  benchRuns: number;
  drafts: DraftSlotPlan[];
  /** Untracked paths of the repo linked into each workspace (e.g. node_modules). */
  linkPaths: string[];
  timeouts: RunTimeouts;
  queues: QueueNames;
  /** Tracked files (globs) the tests and benchmark may write; every other file of the workspace is read-only while they run. */
  writable?: string[];
  /** The longest model reply kept (bytes); a longer one stops streaming and fails that draft. */
  maxReplyBytes?: number;
}
