// How a draft's context is shared out: per model, the prompt holds what the
// context window leaves after the reply, split between the files to change,
// the tests that exercise them, the map of the rest and the feedback of
// earlier attempts. A small embedded model's few thousand tokens go mostly to
// the code itself; a large API model's leave room for tests and a map. What a
// part does not use passes on: the files' spare to the tests, the tests' to the map.

/** Characters per token, counted low (code tokenises densely), as the prompt builders count. */
export const CHARS_PER_TOKEN = 3;

/** The instructions, goal, hints and edit rules: held back from every split. */
const FIXED_TOKENS = 700;

/** Above this many tokens a model is "large": it gets a map and more tests. */
const LARGE_CONTEXT = 16_384;

export interface ContextShares {
  files: number;
  tests: number;
  map: number;
  feedback: number;
}

const SMALL: ContextShares = { files: 0.6, tests: 0.22, map: 0.03, feedback: 0.15 };
const LARGE: ContextShares = { files: 0.4, tests: 0.2, map: 0.25, feedback: 0.15 };

/** A part of the prompt's budget, in tokens. */
export type ContextBudget = ContextShares & { total: number };

export const tokensOf = (text: string) => Math.ceil(text.length / CHARS_PER_TOKEN);

/** The tokens a model of `contextTokens` leaves each part when its reply may take `maxOutputTokens`. */
export function contextBudget(contextTokens: number, maxOutputTokens: number): ContextBudget {
  const total = Math.max(0, contextTokens - maxOutputTokens - FIXED_TOKENS);
  const shares = contextTokens > LARGE_CONTEXT ? LARGE : SMALL;
  return {
    total,
    files: Math.floor(total * shares.files),
    tests: Math.floor(total * shares.tests),
    map: Math.floor(total * shares.map),
    feedback: Math.floor(total * shares.feedback),
  };
}

/**
 * A prompt's room in characters for a model of `contextTokens` whose reply may take `maxOutputTokens`:
 * the whole (what the reply leaves) and the feedback's share of it. The prompt builders spend no more
 * on earlier attempts than this share (core/edits), so the budget that holds it back is the one that sizes it.
 */
export function promptChars(contextTokens: number, maxOutputTokens: number): { maxChars: number; feedbackChars: number } {
  return {
    maxChars: Math.max(0, contextTokens - maxOutputTokens) * CHARS_PER_TOKEN,
    feedbackChars: contextBudget(contextTokens, maxOutputTokens).feedback * CHARS_PER_TOKEN,
  };
}

/** What the feedback's share cut, in the report's words ("feedback: trimmed to … of … tokens"); undefined where all of it fit. */
export function feedbackCut(fitted: string, whole: string): string | undefined {
  if (fitted.length >= whole.length) return undefined;
  return `feedback: trimmed to ${tokensOf(fitted)} of ${tokensOf(whole)} tokens`;
}

/** The budget once the files to change are known: what they leave of their share goes to the tests, then the map. */
export function afterFiles(budget: ContextBudget, filesTokens: number): ContextBudget {
  const spare = Math.max(0, budget.files - filesTokens);
  return { ...budget, files: Math.min(filesTokens, budget.files), tests: budget.tests + spare };
}

/** Tests fitted whole, most telling first; a test that does not fit is cut (never half shown) and the rest still tried. */
export function fitWhole<T extends { path: string; content: string }>(items: readonly T[], tokens: number): { kept: T[]; cut: string[]; spare: number } {
  const kept: T[] = [];
  const cut: string[] = [];
  let left = tokens;
  for (const item of items) {
    const cost = tokensOf(item.content) + 20;
    if (cost <= left) {
      kept.push(item);
      left -= cost;
    } else cut.push(item.path);
  }
  return { kept, cut, spare: left };
}
