import { createTwoFilesPatch } from 'diff';

/** A git-style unified diff of one file; `before` undefined means a new file. */
export function unifiedDiff(path: string, before: string | undefined, after: string): string {
  return createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${path}`, `b/${path}`, before ?? '', after, undefined, undefined, { context: 3 });
}
