// The baseline cache on this worker's disk (one JSON file per base commit,
// command and mode). A warm-up only means something on the host that ran it,
// so the cache is per host on purpose; OURO_BASELINE_CACHE moves it, "off"
// disables it.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BaselineEntrySchema, type BaselineEntry } from '../../core/stats/baseline-cache.js';
import { baselineKey } from './baseline-key.js';
import { cachePath } from '../state-dirs.js';

function cacheDir(): string | undefined {
  const env = process.env.OURO_BASELINE_CACHE;
  if (env === 'off') return undefined;
  return env || cachePath('baseline');
}

export async function loadBaseline(baseSha: string, command: string, mode: string): Promise<BaselineEntry | undefined> {
  const dir = cacheDir();
  if (!dir) return undefined;
  const key = baselineKey(baseSha, command, mode);
  try {
    const parsed = BaselineEntrySchema.safeParse(JSON.parse(await readFile(join(dir, `${key}.json`), 'utf8')));
    // A damaged or foreign file is treated as no cache: it only costs a warm-up.
    return parsed.success && parsed.data.key === key ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function saveBaseline(entry: BaselineEntry): Promise<void> {
  const dir = cacheDir();
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  // Write then rename: two runs finishing at once never leave half a file.
  const tmp = join(dir, `${entry.key}.${process.pid}.${Date.now()}.tmp`);
  await writeFile(tmp, JSON.stringify(entry, null, 1));
  await rename(tmp, join(dir, `${entry.key}.json`));
}
