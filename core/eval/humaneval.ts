// HumanEval problems as Ouro tasks. A problem is a Python function's
// signature and docstring (`prompt`), the name to call (`entry_point`) and a
// `check(candidate)` of asserts (`test`). Its task: a repository holding
// solution.py (the prompt, body to write) and tests/test_visible.py made from
// the docstring's own examples; the hidden check runs once, after the run.
import { z } from 'zod';
import { pyString, type HiddenCheck } from './judge-program.js';

export const HumanEvalProblemSchema = z.object({
  task_id: z.string().regex(/^HumanEval\/\d+$/),
  prompt: z.string(),
  entry_point: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  canonical_solution: z.string(),
  test: z.string(),
});
export type HumanEvalProblem = z.infer<typeof HumanEvalProblemSchema>;

/** One example from a docstring: a call and the text of what it should give. */
export interface Example {
  call: string;
  expected: string;
}

/** Where the closing parenthesis of the call that opens at `open` is, or -1 (strings and nesting respected). */
function closingParen(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === ')' ? i : -1;
    }
  }
  return -1;
}

/** `>>> call` lines and the output line(s) under them. */
function doctestExamples(doc: string[], entry: string): Example[] {
  const out: Example[] = [];
  for (let i = 0; i < doc.length; i++) {
    const m = /^>>>\s?(.*)$/.exec(doc[i]!.trim());
    if (!m || !m[1]!.includes(`${entry}(`) || ARROW_ANYWHERE.test(m[1]!)) continue;
    const expected: string[] = [];
    for (let j = i + 1; j < doc.length; j++) {
      const line = doc[j]!.trim();
      if (!line || line.startsWith('>>>') || line.startsWith('"""')) break;
      expected.push(line);
    }
    if (expected.length) out.push({ call: m[1]!.trim(), expected: expected.join(' ') });
  }
  return out;
}

// What joins a call to its result in prose examples: ==, ➞, =>, ->, "should return", "returns".
const ARROW = /^\s*(==|➞|=>|->|should return|returns?|is)\s*/;
const ARROW_ANYWHERE = /\)\s*(==|➞|=>|->)\s*\S/;

/** "entry(args) == value" and its cousins, anywhere in a line of prose. */
function proseExamples(doc: string[], entry: string): Example[] {
  const out: Example[] = [];
  for (const raw of doc) {
    // ">>> f(x) == y" with no output line under it reads as prose.
    const line = raw.trim().replace(/^>>>\s?/, '');
    let at = line.indexOf(`${entry}(`);
    while (at >= 0) {
      const before = line[at - 1];
      const close = before && /[A-Za-z0-9_.]/.test(before) ? -1 : closingParen(line, at + entry.length);
      if (close > 0) {
        const rest = line.slice(close + 1);
        const arrow = ARROW.exec(rest);
        if (arrow) {
          let expected = rest.slice(arrow[0].length).trim();
          // "x -> 19 - 5 - 6 = 8": the worked arithmetic ends in its result.
          const worked = expected.lastIndexOf(' = ');
          if (worked >= 0) expected = expected.slice(worked + 3);
          expected = expected.replace(/[.,;]+$/, '').trim();
          if (expected) out.push({ call: line.slice(at, close + 1), expected });
        }
      }
      at = line.indexOf(`${entry}(`, at + 1);
    }
  }
  return out;
}

/** The values of "name = value, other = value" as positional arguments. */
function argumentsOf(assignments: string): string {
  return assignments
    .split(/,\s*(?=[A-Za-z_][A-Za-z0-9_]*\s*=[^=])/)
    .map((a) => a.replace(/^\s*[A-Za-z_][A-Za-z0-9_]*\s*=(?!=)\s*/, '').trim())
    .join(', ');
}

/** "For lst = [1, 2] the output should be 3" and "Input: 3 … Output: (1, 2)". */
function inputOutputExamples(doc: string[], entry: string): Example[] {
  const out: Example[] = [];
  let input: string | undefined;
  for (const raw of doc) {
    const line = raw.trim();
    const form = /^For (.+?),? the output should be (.+?)\.?$/i.exec(line);
    if (form) out.push({ call: `${entry}(${argumentsOf(form[1]!)})`, expected: form[2]!.trim() });
    const inp = /^Input\s*:\s*(.+)$/i.exec(line);
    if (inp) input = argumentsOf(inp[1]!);
    const outp = /^Output\s*:\s*(.+)$/i.exec(line);
    if (outp && input !== undefined) {
      out.push({ call: `${entry}(${input})`, expected: outp[1]!.trim() });
      input = undefined;
    }
  }
  return out;
}

/** Prose writes Python's constants as other languages do. */
function pythonic(expected: string): string {
  return ({ true: 'True', false: 'False', null: 'None', none: 'None' } as Record<string, string>)[expected.toLowerCase()] ?? expected;
}

/** The docstring's examples, doctest first; duplicates dropped. Misread ones are dropped later, against the reference solution. */
export function docstringExamples(p: HumanEvalProblem): Example[] {
  const doc = p.prompt.split('\n').filter((l) => !/^\s*def\s/.test(l));
  const seen = new Set<string>();
  const all = [...doctestExamples(doc, p.entry_point), ...proseExamples(doc, p.entry_point), ...inputOutputExamples(doc, p.entry_point)];
  return all
    .map((e) => ({ ...e, expected: pythonic(e.expected) }))
    .filter((e) => {
      const key = `${e.call}\u0000${e.expected}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/**
 * tests/test_visible.py: one pytest test per example. A value matches its
 * expected text as doctest would (the same repr) or, where the text is a
 * Python literal, by equality (so `6.00` matches 6.0).
 */
export function visibleTestFile(entry: string, examples: Example[]): string {
  const lines = [
    '# The examples of the docstring, as tests. Generated by Ouro: the model never changes this file.',
    'import ast',
    'import math',
    '',
    `from solution import ${entry}`,
    '',
    '',
    'def _matches(value, expected):',
    '    if repr(value) == expected or str(value) == expected:',
    '        return True',
    '    try:',
    '        literal = ast.literal_eval(expected)',
    '    except (ValueError, SyntaxError):',
    '        return False',
    '    if isinstance(literal, float) and isinstance(value, (int, float)):',
    '        return math.isclose(value, literal, rel_tol=1e-6, abs_tol=1e-9)',
    '    return value == literal',
    '',
  ];
  if (!examples.length) {
    lines.push('', `def test_${entry}_is_defined():`, `    assert callable(${entry})`, '');
  }
  examples.forEach((e, i) => {
    lines.push(
      '',
      `def test_example_${i + 1}():`,
      `    value = ${e.call}`,
      `    assert _matches(value, ${pyString(e.expected)}), f"${e.call.replace(/[{}"\\]/g, '')} gave {value!r}, expected ${e.expected.replace(/[{}"\\]/g, '')}"`,
      '',
    );
  });
  return lines.join('\n');
}

/** solution.py as the model first sees it: the prompt, with a body that says it is missing. */
export function stubSolution(p: HumanEvalProblem): string {
  const prompt = p.prompt.endsWith('\n') ? p.prompt : `${p.prompt}\n`;
  return `${prompt}    raise NotImplementedError("write the body of ${p.entry_point}")\n`;
}

/** The reference solution as a file (for the checks of Ouro itself, never shown to a model). */
export function canonicalSolution(p: HumanEvalProblem): string {
  return `${p.prompt}${p.canonical_solution}`;
}

export function humanEvalGoal(p: HumanEvalProblem): string {
  return `Write the body of the function ${p.entry_point} in solution.py so that it does what its docstring says. Keep its name and signature; the examples in the docstring are tested.`;
}

/** The hidden judge: the problem's check() on the committed solution, its prompt's helpers beside it (HumanEval/32's check() calls poly()). */
export function hiddenCheck(p: HumanEvalProblem): HiddenCheck {
  return { kind: 'humaneval', prompt: p.prompt, test: p.test, entry: p.entry_point };
}
