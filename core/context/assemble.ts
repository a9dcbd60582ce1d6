// One draft context per model window: the tests that exercise the files to
// change fitted whole to the tests' share, then the map rendered in the share
// that is left, and a report of what was shown and cut. Pure: the map is
// rendered by the function the caller passes (core/repo-map's renderMap).
import type { ModelWindow } from '../contracts/context.js';
import type { DraftContext, FileSnapshot } from '../contracts/draft-context.js';
import { afterFiles, contextBudget, fitWhole, tokensOf } from './budget.js';
import type { FoundTest } from './find-tests.js';

export interface RenderedMapPart {
  text: string;
  tokens: number;
  files: string[];
  omitted: number;
}

export interface ContextParts {
  changing: readonly FileSnapshot[];
  /** The linked tests, most telling first, with their text. */
  tests: ReadonlyArray<FoundTest & { content: string }>;
  /** The map of the other files in `tokens`; absent when there is no map. */
  renderMap?: (tokens: number) => RenderedMapPart | undefined;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function assembleContext(window: ModelWindow, parts: ContextParts): DraftContext {
  const filesTokens = parts.changing.reduce((n, f) => n + tokensOf(f.content), 0);
  const budget = afterFiles(contextBudget(window.contextTokens, window.maxOutputTokens), filesTokens);
  const report: string[] = [];
  const shown = filesTokens > budget.files ? `, trimmed to ${budget.files} of ${filesTokens} tokens` : '';
  report.push(`files to change: ${parts.changing.length}${shown}`);
  const fitted = fitWhole(parts.tests, budget.tests);
  if (!parts.tests.length) report.push('tests: none found that import or are named after the files to change');
  else
    report.push(
      `tests: ${plural(fitted.kept.length, 'file')} shown${fitted.kept.length ? ` (${fitted.kept.map((t) => `${t.path}: ${t.links.join('+')}`).join(', ')})` : ''}` +
        (fitted.cut.length ? `; cut for the budget: ${fitted.cut.join(', ')}` : ''),
    );
  const mapTokens = budget.map + fitted.spare;
  const map = parts.renderMap?.(mapTokens);
  if (!parts.renderMap) report.push('map: none');
  else if (!map?.text) report.push(`map: no file fits in ${mapTokens} tokens${map ? `; ${map.omitted} omitted` : ''}`);
  else report.push(`map: ${plural(map.files.length, 'file')} shown, ${map.omitted} omitted (${map.tokens} of ${mapTokens} tokens)`);
  return {
    contextTokens: window.contextTokens,
    tests: fitted.kept.map((t) => ({ path: t.path, content: t.content })),
    ...(map?.text ? { map: map.text } : {}),
    report,
  };
}
