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
  /** A file scoring at least this share of the best's is chosen. */
  cutOff: number;
  /**
   * Below the cut-off, down to `floor` of the best, a file is still chosen when it stands clear of the
   * files after it: the next scores at most `clearOf` of it. A gap under a file says it belongs with
   * those above it; a file among a run of near-equals is a guess.
   */
  clearOf: number;
  floor: number;
}

// Measured on the localisation bench's tuning corpus only (docs/figures.md has the sweep): a flat
// 0.4 cut-off held every changed file in 80.6% with a mean of 2.25 files; 0.5, or 0.2 for a file
// twice the next one's score, holds it in 83.0% with fewer (2.16). A plateau: 0.4–0.6 for clearOf,
// 0.1–0.25 for the floor all hold 82.4–83.6% at a 0.5 cut-off.
export const DEFAULT_CHOICE: Omit<ChoiceRules, 'protectedPaths'> = { max: 3, cutOff: 0.5, clearOf: 0.5, floor: 0.2 };

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
  const chosen: Scored[] = [];
  for (const [i, c] of candidates.entries()) {
    if (chosen.length >= rules.max) break;
    const next = candidates[i + 1]?.score ?? 0;
    const clear = c.score >= best * rules.floor && next <= c.score * rules.clearOf;
    if (c.score < best * rules.cutOff && !clear) break;
    chosen.push(c);
  }
  return chosen.map((c) => ({ path: c.path, reasons: [...new Set(c.reasons)].slice(0, 4) }));
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
