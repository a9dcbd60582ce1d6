// The files to change when the user named none (Agentless's localisation,
// without a model call): the repository map's ranking for the goal and the
// failing tests, and with a red base the files its failing tests import or
// are named after. A few non-test files above a cut-off, never a protected
// one; each with the reasons it was chosen, which the run shows.
import type { ChosenFile, FileSnapshot } from '../contracts/draft-context.js';
import type { RankedFile } from '../contracts/repo-map.js';
import { checkPaths } from '../run/file-rules.js';
import { importerOf } from './imported-files.js';
import { isTestPath, namedAfter } from './test-paths.js';

export interface ChoiceRules {
  protectedPaths: string[];
  /** The most files chosen. */
  max: number;
  /** A file is chosen only when its score is at least this share of the best's. */
  cutOff: number;
}

export const DEFAULT_CHOICE: Omit<ChoiceRules, 'protectedPaths'> = { max: 3, cutOff: 0.5 };

interface Scored {
  path: string;
  score: number;
  reasons: string[];
}

/** Whether Ouro may choose `path` to change: a file of code, not a test, nothing the protected globs name. */
export function choosable(path: string, protectedPaths: string[]): boolean {
  return !isTestPath(path) && checkPaths([path], { allowed: [path], protected: protectedPaths }).length === 0;
}

/**
 * The files to change: `ranked` (the map's ranking, best first) normalised to the best's score, plus one
 * for a file a failing test imports and a half for one a failing test is named after.
 */
export function chooseFilesToChange(
  ranked: readonly RankedFile[],
  tracked: readonly string[],
  failingTests: readonly FileSnapshot[],
  rules: ChoiceRules,
): ChosenFile[] {
  const scored = new Map<string, Scored>();
  const entry = (path: string) => scored.get(path) ?? scored.set(path, { path, score: 0, reasons: [] }).get(path)!;
  const top = Math.max(0, ...ranked.map((r) => r.score));
  if (top > 0)
    for (const r of ranked) {
      if (r.score <= 0) continue;
      const e = entry(r.path);
      e.score += r.score / top;
      e.reasons.push(...r.reasons);
    }
  for (const test of failingTests) {
    const imports = importerOf(test.path, test.content);
    for (const path of tracked) {
      if (path === test.path) continue;
      if (imports(path)) {
        const e = entry(path);
        e.score += 1;
        e.reasons.push(`imported by the failing test ${test.path}`);
      } else if (namedAfter(test.path, path)) {
        const e = entry(path);
        e.score += 0.5;
        e.reasons.push(`the failing test ${test.path} is named after it`);
      }
    }
  }
  const candidates = [...scored.values()].filter((s) => s.score > 0 && choosable(s.path, rules.protectedPaths));
  candidates.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
  const best = candidates[0]?.score ?? 0;
  return candidates
    .filter((c) => c.score >= best * rules.cutOff)
    .slice(0, rules.max)
    .map((c) => ({ path: c.path, reasons: [...new Set(c.reasons)].slice(0, 4) }));
}
