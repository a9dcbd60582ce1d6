// One draft context per model window: the tests that exercise the files to
// change fitted whole to the tests' share, then the map rendered in the share
// that is left, and a report of what was shown and cut. Pure: the map is
// rendered by the function the caller passes (core/repo-map's renderMap).
import type { ModelWindow } from '../contracts/context.js';
import type { DraftContext, FileFocus, FileSnapshot } from '../contracts/draft-context.js';
import { afterFiles, CHARS_PER_TOKEN, contextBudget, tokensOf } from './budget.js';
import { linesAround } from './failing-tests.js';
import type { FoundTest } from './find-tests.js';
import { focusForWindow } from './show-files.js';

export interface RenderedMapPart {
  text: string;
  tokens: number;
  files: string[];
  omitted: number;
}

export interface ContextParts {
  changing: readonly FileSnapshot[];
  /** The linked tests, most telling first, with their text and, for a failing one, the lines its failure names. */
  tests: ReadonlyArray<LinkedTest>;
  /** The map of the other files in `tokens`, leaving out `skip` (the tests shown); absent when there is no map. */
  renderMap?: (tokens: number, skip: string[]) => RenderedMapPart | undefined;
  /** Why there is no map, when there is none. */
  noMap?: string;
  /** Each file to change's definitions as windows ranked for the goal (./file-focus.ts): what a long one is cut around. */
  focus?: readonly FileFocus[];
}

export type LinkedTest = FoundTest & { content: string; failingLines?: number[] };

interface ShownTest {
  path: string;
  content: string;
  /** How it was shown, when not whole ("lines 40-81 around the failure"). */
  part?: string;
  links: FoundTest['links'];
}

/**
 * The tests, most telling first, each whole when it fits; a failing test too long for that is shown by the
 * lines around its failure, when those fit. The rest are cut, named in the report.
 */
function fitTests(tests: readonly LinkedTest[], tokens: number): { kept: ShownTest[]; cut: string[]; spare: number } {
  const kept: ShownTest[] = [];
  const cut: string[] = [];
  let left = tokens;
  const cost = (text: string) => tokensOf(text) + 20;
  for (const t of tests) {
    if (cost(t.content) <= left) {
      kept.push(t);
      left -= cost(t.content);
      continue;
    }
    const excerpt = t.failingLines?.length ? linesAround(t.content, t.failingLines) : '';
    if (excerpt && cost(excerpt) <= left) {
      const ranges = [...excerpt.matchAll(/^# … lines (\d+-\d+) …$/gm)].map((m) => m[1]).join(', ');
      kept.push({ path: t.path, content: excerpt, part: `lines ${ranges} around the failure`, links: t.links });
      left -= cost(excerpt);
    } else cut.push(t.path);
  }
  return { kept, cut, spare: left };
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function assembleContext(window: ModelWindow, parts: ContextParts): DraftContext {
  const filesTokens = parts.changing.reduce((n, f) => n + tokensOf(f.content), 0);
  const shares = contextBudget(window.contextTokens, window.maxOutputTokens);
  const budget = afterFiles(shares, filesTokens);
  const report: string[] = [];
  const shown = filesTokens > budget.files ? `, trimmed to ${budget.files} of ${filesTokens} tokens` : '';
  report.push(`files to change: ${parts.changing.length}${shown}`);
  const focused = focusForWindow(parts.changing, parts.focus, shares.files * CHARS_PER_TOKEN);
  report.push(...focused.report);
  let fitted = fitTests(parts.tests, budget.tests);
  const mapTokens = budget.map + fitted.spare;
  const map = parts.renderMap?.(
    mapTokens,
    fitted.kept.map((t) => t.path),
  );
  // What the map's share left unused goes back to the tests, when some were cut.
  const unusedMap = Math.max(0, budget.map - (map?.text ? map.tokens : 0));
  if (fitted.cut.length && unusedMap > 0) fitted = fitTests(parts.tests, budget.tests + unusedMap);
  if (!parts.tests.length) report.push('tests: none found that import or are named after the files to change');
  else
    report.push(
      `tests: ${plural(fitted.kept.length, 'file')} shown${fitted.kept.length ? ` (${fitted.kept.map((t) => `${t.path}: ${t.links.join('+')}${t.part ? `, ${t.part}` : ''}`).join('; ')})` : ''}` +
        (fitted.cut.length ? `; cut for the budget: ${fitted.cut.join(', ')}` : ''),
    );
  if (!parts.renderMap) report.push(`map: none${parts.noMap ? ` (${parts.noMap})` : ''}`);
  else if (!map?.text) report.push(`map: no file fits in ${mapTokens} tokens${map ? `; ${map.omitted} omitted` : ''}`);
  else report.push(`map: ${plural(map.files.length, 'file')} shown, ${map.omitted} omitted (${map.tokens} of ${mapTokens} tokens)`);
  return {
    contextTokens: window.contextTokens,
    tests: fitted.kept.map((t) => ({ path: t.path, content: t.content })),
    ...(map?.text ? { map: map.text } : {}),
    report,
    ...(focused.focus.length ? { focus: focused.focus } : {}),
  };
}
