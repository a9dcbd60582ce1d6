// What a draft reads about a candidate whose tests failed: the lines that
// say what failed, never cut away by the passing ones. Passing tests,
// progress and the runner's own stack frames are dropped first; only then is
// the rest fitted to the budget, the lines that name a failure kept before
// their context. Output no runner is recognised in keeps its head and tail.
import { headTail, stripAnsi } from '../views/excerpt.js';
import { asFeedbackRunner, detectRunner, RUNNER_LINES, type FeedbackRunner, type RunnerLines } from './runner-lines.js';

const LONGEST_LINE = 300;
const GAP = '…';

/** The failure in `output`, at most `maxChars`. `runner` is the name the run's summary gave (TestCounts.runner), when it had one. */
export function failureExcerpt(output: string, maxChars: number, runner?: string): string {
  const text = plainText(output);
  const which: FeedbackRunner | undefined = asFeedbackRunner(runner) ?? detectRunner(text);
  if (!which) return headTail(text.trim(), maxChars);
  const lines = dropPassing(text.split('\n'), RUNNER_LINES[which]);
  return fitToBudget(lines, RUNNER_LINES[which], maxChars);
}

/** ANSI colours gone, and of a line a progress bar redrew with carriage returns, what was drawn last. */
function plainText(output: string): string {
  return stripAnsi(output)
    .split('\n')
    .map((line) => {
      const drawn = line.split('\r').filter((part) => part.length > 0);
      return drawn.at(-1) ?? '';
    })
    .join('\n');
}

/** The lines that are not about a passing or skipped test, in order, with runs of blank lines made one. */
export function dropPassing(lines: string[], rules: RunnerLines): string[] {
  const kept: string[] = [];
  let held: string[] = [];
  let inPassBlock: 'after-start' | 'inside' | undefined;
  const flush = () => {
    kept.push(...held);
    held = [];
  };
  for (const line of lines) {
    if (rules.passBlock && inPassBlock) {
      if (inPassBlock === 'after-start' && rules.passBlock.open.test(line)) {
        inPassBlock = 'inside';
        continue;
      }
      if (inPassBlock === 'inside') {
        if (rules.passBlock.close.test(line)) inPassBlock = undefined;
        continue;
      }
      inPassBlock = undefined;
    }
    if (rules.passBlock?.start.test(line)) {
      inPassBlock = 'after-start';
      continue;
    }
    if (rules.heldEndsAt?.test(line)) flush();
    if (rules.passVerdict?.test(line)) {
      held = [];
      continue;
    }
    if (rules.noise.some((r) => r.test(line))) continue;
    if (rules.internalFrame?.test(line)) {
      const last = held.length ? held : kept;
      if (rules.frameHead && last.length && rules.frameHead.test(last.at(-1)!)) last.pop();
      continue;
    }
    if (rules.held?.test(line)) {
      held.push(line);
      continue;
    }
    flush();
    kept.push(line);
  }
  flush();
  return kept.filter((line, i) => line.trim() !== '' || (i > 0 && kept[i - 1]!.trim() !== ''));
}

/** All the lines when they fit; else those that name a failure first, then context in order, with `…` where lines were cut. */
function fitToBudget(lines: string[], rules: RunnerLines, maxChars: number): string {
  const shown = trimBlank(lines.map((l) => (l.length > LONGEST_LINE ? `${l.slice(0, LONGEST_LINE - 1)}…` : l)));
  const whole = shown.join('\n');
  if (whole.length <= maxChars) return whole;
  const chosen = new Set<number>();
  // Each chosen line may open a gap: its cost counts the marker's line too.
  let size = 0;
  const choose = (i: number) => {
    const cost = shown[i]!.length + 1 + GAP.length + 1;
    if (size + cost > maxChars) return false;
    chosen.add(i);
    size += cost;
    return true;
  };
  shown.forEach((line, i) => {
    if (rules.key.some((r) => r.test(line))) choose(i);
  });
  shown.forEach((line, i) => {
    if (!chosen.has(i) && line.trim() !== '') choose(i);
  });
  const out: string[] = [];
  let previous = -1;
  for (let i = 0; i < shown.length; i++) {
    if (!chosen.has(i)) continue;
    if (i !== previous + 1) out.push(GAP);
    out.push(shown[i]!);
    previous = i;
  }
  if (previous !== shown.length - 1) out.push(GAP);
  return out.join('\n').slice(0, maxChars);
}

function trimBlank(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === '') start++;
  while (end > start && lines[end - 1]!.trim() === '') end--;
  return lines.slice(start, end);
}
