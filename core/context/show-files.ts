// The files to change as the prompt builders show them in their share: whole
// when they fit, else each long file around what the goal points at (its
// focus, ./file-focus.ts) and the rest by head and tail, as before there was a
// focus. One rule for every builder and for the context's report.
import type { DraftContext, FileFocus, FileSnapshot } from '../contracts/draft-context.js';
import { fencedFile } from '../edits/reply-syntax.js';
import { headTail } from '../views/excerpt.js';
import { describeExcerpt, fitFocus, focusFor, lineCount, type FocusedExcerpt } from './file-focus.js';

/**
 * Each length's share of `room`: a length that fits an equal split of what is left keeps it all, the
 * longer ones split the rest equally (short files stay whole; the long ones are what gets cut).
 */
export function fileShares(lengths: readonly number[], room: number): number[] {
  const shares = lengths.map(() => 0);
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a]! - lengths[b]!);
  let left = Math.max(0, room);
  order.forEach((i, k) => {
    const equal = Math.floor(left / (order.length - k));
    shares[i] = Math.min(lengths[i]!, equal);
    left -= shares[i]!;
  });
  return shares;
}

/** One file's text in `maxChars`, and the focused excerpt it was cut to, if it was. */
export function showFile(file: FileSnapshot, maxChars: number, focuses?: readonly FileFocus[]): { text: string; excerpt?: FocusedExcerpt } {
  if (file.content.length <= maxChars) return { text: file.content };
  const focus = focusFor(focuses, file.path, file.content);
  const excerpt = focus ? fitFocus(file.content, focus.windows, maxChars, file.path) : undefined;
  return excerpt ? { text: excerpt.text, excerpt } : { text: headTail(file.content, maxChars) };
}

/**
 * The files fenced with their paths, in `maxChars`: unchanged while they fit; where they do not and the
 * context holds a focus for one of them, each file cut to its share; else the head and tail of them all.
 */
export function showFiles(files: readonly FileSnapshot[], maxChars: number, context?: DraftContext): string {
  const whole = files.map((f) => fencedFile(f.path, f.content)).join('\n\n');
  if (whole.length <= maxChars || !files.some((f) => focusFor(context?.focus, f.path, f.content))) return headTail(whole, maxChars);
  // The paths and fences are kept whole: the files' text shares what they leave.
  const frame = whole.length - files.reduce((n, f) => n + f.content.length, 0);
  const shares = fileShares(
    files.map((f) => f.content.length),
    maxChars - frame,
  );
  return files.map((f, i) => fencedFile(f.path, showFile(f, shares[i]!, context?.focus).text)).join('\n\n');
}

/** A file to change is given its focus when it is longer than this part of its share: the builders' own budgets differ a little from the context's. */
const FOCUS_MARGIN = 0.75;

/**
 * For one model window whose files share is `filesChars`: the focus of each file to change that may be
 * cut, and for each that is, how it will be shown ("src/x.py: lines 1-12, 140-210 around parse_version (of 900)").
 */
export function focusForWindow(
  changing: readonly FileSnapshot[],
  focus: readonly FileFocus[] | undefined,
  filesChars: number,
): { focus: FileFocus[]; report: string[] } {
  // No focus was taken (no map): the report says what it said before there was one.
  if (!focus) return { focus: [], report: [] };
  const lengths = changing.map((f) => f.content.length);
  const shares = fileShares(lengths, filesChars);
  // Cut where a builder has a little less room than the context counts: a file the builder may cut carries its focus.
  const tighter = fileShares(lengths, Math.floor(filesChars * FOCUS_MARGIN));
  const kept: FileFocus[] = [];
  const report: string[] = [];
  changing.forEach((file, i) => {
    const share = shares[i]!;
    const found = focusFor(focus, file.path, file.content);
    if (found && file.content.length > tighter[i]!) kept.push(found);
    if (file.content.length <= share) return;
    const shown = showFile(file, share, found ? [found] : undefined);
    const why = found ? 'no definition in it matches the goal or the failing tests' : 'no definitions found in it';
    report.push(shown.excerpt ? describeExcerpt(file.path, shown.excerpt) : `${file.path}: head and tail (${why}; of ${lineCount(file.content)})`);
  });
  return { focus: kept, report };
}
