import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// The guard's memory of a workspace across runs, activity retries and dead
// workers: what the workspace was as applied, and whether a run may be under
// way in it. It lives in the workspace's private git dir, which the sandbox
// can neither see under /tmp nor write anywhere.

export interface GuardRecord {
  /** The commit checked out when recorded: a workspace moved on purpose (a train's integration) is recorded anew. */
  head: string;
  links: Record<string, string>;
  tree: string;
  added: string[];
  tracked: string[];
  /** True once a run's verify put the workspace back as applied; false while a run may be under way (or died). */
  settled: boolean;
  /** Runs in a row that never reached their verify: the worker (or server) died under them. */
  deaths?: number;
  /** Paths beyond the files and their folders when first guarded (nested dependency links): kept, not strays. */
  extras?: string[];
}

const recordFile = (gitDir: string) => join(gitDir, 'ouro-guard.json');

/** The record kept for this workspace at `head`; none when there is none, or it was made at another commit. */
export async function readRecord(gitDir: string, head: string): Promise<GuardRecord | undefined> {
  // The sandbox can neither move HEAD nor write the git dir: a different HEAD is Ouro's own doing.
  return readFile(recordFile(gitDir), 'utf8')
    .then(
      (t) => JSON.parse(t) as GuardRecord,
      () => undefined,
    )
    .then((r) => (r?.head === head && r.tracked ? r : undefined));
}

export async function saveRecord(gitDir: string, record: GuardRecord): Promise<void> {
  await writeFile(recordFile(gitDir), JSON.stringify(record));
}
