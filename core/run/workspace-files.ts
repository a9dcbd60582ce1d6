// Files a workspace needs that git does not hold: dependency folders linked
// from the user's checkout (--link, "linkPaths") and generated, git-ignored
// files copied from it (--copy, "copy": hatch-vcs's _version.py, a generated
// config). Copies travel in the run's linkPaths as `copy:<glob>` entries, so
// every place that already builds a workspace from linkPaths (a run, an
// evolve search, a release train, a sandbox host) copies them too.

const COPY = 'copy:';

/** The linkPaths entry that copies the ignored files matching `glob`. */
export function copyEntry(glob: string): string {
  return `${COPY}${glob}`;
}

/** A run's linkPaths split into folders to link and globs of ignored files to copy. */
export function splitLinkPaths(entries: readonly string[]): { links: string[]; copies: string[] } {
  const links: string[] = [];
  const copies: string[] = [];
  for (const e of entries) (e.startsWith(COPY) ? copies : links).push(e.startsWith(COPY) ? e.slice(COPY.length) : e);
  return { links, copies };
}

/** Why a --link path or --copy glob cannot name files of the checkout, or undefined when it can. */
export function workspacePathProblem(p: string): string | undefined {
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return `"${p}" must be relative to the repository`;
  if (p.split(/[\\/]/).includes('..')) return `"${p}" may not climb out of the repository (..)`;
  if (p.split(/[\\/]/)[0] === '.git') return `"${p}" names git's own folder`;
  if (p.startsWith(COPY)) return `"${p}" may not start with "${COPY}"`;
  if (p.includes('\0') || p.includes('\n')) return `"${p.replace(/[\0\n]/g, '?')}" holds a control character`;
  return undefined;
}
