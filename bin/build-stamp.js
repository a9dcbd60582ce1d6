// What `npm run build` compiled from: every source folder and TypeScript file with its modification
// time (and a file's size), taken before the compiler starts. A clone's start-up stats exactly those
// paths, reads no folder and no source, and runs dist/ only when none of them changed: an edit, a
// file added, removed or renamed (its folder's time moves), or a source changed while the build ran.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The folders whose TypeScript the build compiles (tsconfig.build.json's include). */
export const SOURCE_DIRS = ['core', 'adapters', 'activities', 'workflows', 'worker', 'dev', 'cli', 'scripts'];

/** Where the stamp lives, beside what it describes. */
export const STAMP = join('dist', '.build-stamp');

/** Each source folder and .ts file under `root` (paths relative to it) → [mtimeMs, size]. */
export function snapshotSources(root) {
  const entries = {};
  const visit = (dir) => {
    let names;
    try {
      names = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    const s = statSync(join(root, dir));
    entries[dir] = [s.mtimeMs, 0];
    for (const d of names) {
      const path = join(dir, d.name);
      if (d.isDirectory()) visit(path);
      else if (d.name.endsWith('.ts')) {
        const f = statSync(join(root, path));
        entries[path] = [f.mtimeMs, f.size];
      }
    }
  };
  for (const dir of SOURCE_DIRS) visit(dir);
  return entries;
}

export function writeStamp(root, entries) {
  writeFileSync(join(root, STAMP), JSON.stringify(entries));
}

/** Whether the sources are still what the stamp says was compiled: false with no stamp, or on any difference. */
export function stampIsCurrent(root) {
  try {
    const entries = JSON.parse(readFileSync(join(root, STAMP), 'utf8'));
    // A stamp of any other shape (hand-edited, cut short, empty) vouches for nothing: run the sources.
    if (!entries || typeof entries !== 'object' || Array.isArray(entries) || !Array.isArray(entries[join('cli', 'main.ts')])) return false;
    for (const [path, entry] of Object.entries(entries)) {
      if (!Array.isArray(entry) || entry.length !== 2) return false;
      const [mtimeMs, size] = entry;
      const s = statSync(join(root, path), { throwIfNoEntry: false });
      if (!s || s.mtimeMs !== mtimeMs || (s.isFile() && s.size !== size)) return false;
    }
    return true;
  } catch {
    return false;
  }
}
