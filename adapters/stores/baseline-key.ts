// The baseline cache's file names. Hashing is Node's (core/ stays free of Node
// APIs), so the key is made here and handed to core/stats/baseline-cache.ts.
import { createHash } from 'node:crypto';
import type { BaselineId } from '../../core/stats/baseline-cache.js';

/**
 * The same commit benchmarked by the same command in the same mode: the only case where reuse is sound.
 * The key names the entry's file on disk: changing how it is made would make every cache miss.
 */
export function baselineKey(baseSha: string, command: string, mode: string): string {
  return createHash('sha256').update(`${baseSha}\0${mode}\0${command}`).digest('hex').slice(0, 32);
}

/** A baseline's identity, keyed, as recordBaseRuns takes it. */
export function baselineId(baseSha: string, command: string, mode: string): BaselineId {
  return { key: baselineKey(baseSha, command, mode), baseSha, command, mode };
}
