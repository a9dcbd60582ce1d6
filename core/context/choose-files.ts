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

// 0.4 of the best: the largest cut-off whose choice held every changed file in ≥ 80% of the
// localisation bench's tuning corpus (0.6 held it in 73%); docs/figures.md has the sweep.
export const DEFAULT_CHOICE: Omit<ChoiceRules, 'protectedPaths'> = { max: 3, cutOff: 0.4 };

const isPackageInit = (path: string) => /(^|\/)__init__\.py$|(^|\/)index\.[cm]?[jt]sx?$|(^|\/)(?:mod|lib)\.rs$/.test(path);

function linkReason(test: string, imported: number, named: boolean): string {
  if (!imported) return `the failing test ${test} is named after it`;
  const by = `imported${imported < 1 ? ' (as its package)' : ''} by the failing test ${test}`;
  return named ? `${by}, which is named after it` : by;
}

export interface Scored {
  path: string;
  score: number;
  reasons: string[];
}

/** Whether Ouro may choose `path` to change: a file of code, not a test, nothing the protected globs name. */
export function choosable(path: string, protectedPaths: string[]): boolean {
  return !isTestPath(path) && checkPaths([path], { allowed: [path], protected: protectedPaths }).length === 0;
}

/**
 * The files to change: `ranked` (the map's ranking, best first) normalised to the best's score, plus for
 * each failing test its link to the file: one for importing it, a half for being named after it (both add
 * up), a half for importing it only as a package (`import pkg` loads pkg/__init__.py, as most tests do).
 * A file many failing tests point at is where they meet.
 */
export function chooseFilesToChange(
  ranked: readonly RankedFile[],
  tracked: readonly string[],
  failingTests: readonly FileSnapshot[],
  rules: ChoiceRules,
): ChosenFile[] {
  const candidates = rankCandidates(ranked, tracked, failingTests, rules.protectedPaths);
  const best = candidates[0]?.score ?? 0;
  return candidates
    .filter((c) => c.score >= best * rules.cutOff)
    .slice(0, rules.max)
    .map((c) => ({ path: c.path, reasons: [...new Set(c.reasons)].slice(0, 4) }));
}

/** Every file Ouro may choose, best first, with its score: what chooseFilesToChange cuts (the localisation bench reads it whole). */
export function rankCandidates(
  ranked: readonly RankedFile[],
  tracked: readonly string[],
  failingTests: readonly FileSnapshot[],
  protectedPaths: string[],
): Scored[] {
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
  const links = new Map<string, Array<{ score: number; reason: string }>>();
  for (const test of failingTests) {
    const imports = importerOf(test.path, test.content);
    for (const path of tracked) {
      if (path === test.path) continue;
      const imported = imports(path) ? (isPackageInit(path) ? 0.5 : 1) : 0;
      const named = namedAfter(test.path, path) ? 0.5 : 0;
      if (imported + named > 0) links.set(path, [...(links.get(path) ?? []), { score: imported + named, reason: linkReason(test.path, imported, named > 0) }]);
    }
  }
  for (const [path, found] of links) {
    const e = entry(path);
    e.score += found.reduce((n, l) => n + l.score, 0);
    const strongest = [...found].sort((a, b) => b.score - a.score);
    const more = strongest.length > 2 ? [`linked to ${strongest.length - 2} more failing test file${strongest.length > 3 ? 's' : ''}`] : [];
    e.reasons.unshift(...strongest.slice(0, 2).map((l) => l.reason), ...more);
  }
  const candidates = [...scored.values()].filter((s) => s.score > 0 && choosable(s.path, protectedPaths));
  return candidates.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
}
