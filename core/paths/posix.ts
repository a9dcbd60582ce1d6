// POSIX path arithmetic on strings, for core/ code that reasons about paths
// (sandbox binds, probed files) without Node's path module: core/ imports no
// Node API. The results are node:path's `posix` ones, character for character
// (test/unit/paths/posix.test.ts holds them side by side).

const SLASH = '/';

/** Resolves `.`, `..` and repeated slashes; keeps a leading and a trailing slash. */
function normalize(path: string): string {
  if (path === '') return '.';
  const absolute = path.startsWith(SLASH);
  const trailing = path.endsWith(SLASH);
  const kept: string[] = [];
  for (const segment of path.split(SLASH)) {
    if (segment === '' || segment === '.') continue;
    if (segment !== '..') kept.push(segment);
    else if (kept.length > 0 && kept[kept.length - 1] !== '..') kept.pop();
    // Above the root there is nothing: `/..` is `/`. A relative path keeps climbing.
    else if (!absolute) kept.push('..');
  }
  const body = kept.join(SLASH);
  if (body === '') return absolute ? SLASH : trailing ? './' : '.';
  return `${absolute ? SLASH : ''}${body}${trailing ? SLASH : ''}`;
}

/** The non-empty parts joined by slashes, normalized. */
function join(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join(SLASH);
  return joined === '' ? '.' : normalize(joined);
}

/** Everything before the last name (trailing slashes ignored); `.` when there is no folder. */
function dirname(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith(SLASH);
  // The last name's end: skip trailing slashes (never the first character).
  let i = path.length - 1;
  while (i >= 1 && path[i] === SLASH) i--;
  // The slash before the last name.
  while (i >= 1 && path[i] !== SLASH) i--;
  if (i < 1) return rooted ? SLASH : '.';
  // As node:path: `//a` keeps its double slash (POSIX leaves a leading `//` to the implementation).
  if (rooted && i === 1) return '//';
  return path.slice(0, i);
}

/** The last name, trailing slashes ignored; '' for the root. */
function basename(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === SLASH) end--;
  return path.slice(path.lastIndexOf(SLASH, end - 1) + 1, end);
}

export const posix = { normalize, join, dirname, basename };
