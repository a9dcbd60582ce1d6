// What detection sees of a repository: its tracked files, and what is on disk besides
// (node_modules and a venv are git-ignored). The CLI reads a real checkout into this;
// the unit tests hand over a tree written in a few lines.

export interface RepoTree {
  /** Tracked files, relative, '/'-separated. */
  files: readonly string[];
  /** A file's text, or undefined when it is absent or unreadable. */
  read(path: string): string | undefined;
  /** Whether a path exists on disk (tracked or not). */
  exists(path: string): boolean;
}

/** A tree from a map of path to text (a folder is there when a file is under it): for tests and callers that already hold the files. */
export function treeOf(files: Record<string, string>, untracked: readonly string[] = []): RepoTree {
  const all = [...Object.keys(files), ...untracked];
  return {
    files: Object.keys(files),
    read: (p) => files[p],
    exists: (p) => all.some((f) => f === p || f.startsWith(`${p}/`)),
  };
}
