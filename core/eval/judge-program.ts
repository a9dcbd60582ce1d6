// What the hidden judge of a built-in suite checks, as data: never a program the candidate runs. The
// checker (judge-checker.ts) runs it in a process of its own; the candidate's code runs in another
// (judge-candidate.ts), reached only through a proxy that carries plain data (judge-batch.ts says how the
// two are started and kept apart).

/** HumanEval: the prompt (its helpers), then check(candidate). MBPP: the asserts, with the solution's names bound. */
export type HiddenCheck = { kind: 'humaneval'; prompt: string; test: string; entry: string } | { kind: 'mbpp'; setup: string; asserts: string[] };

/** A Python string literal of `s` (JSON's escapes are Python's). */
export const pyString = (s: string) => JSON.stringify(s);
