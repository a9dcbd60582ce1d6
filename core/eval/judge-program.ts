// The frame of every hidden judge: a fresh Python reads a one-time token on
// stdin before any of the candidate's code runs, imports the solution, runs
// the suite's checks in the module's own namespace (as the reference harness
// does: prompt, completion and test are one program), and prints the token
// only after the last check returned. A candidate that exits early, crashes
// or prints its own verdict cannot pass.

/** A judge program around `checks`: Python lines (4-space indented) that may use `solution` and `scope`. */
export function judgeProgram(checks: string[]): string {
  return [
    'import sys',
    'def _judge():',
    '    token = sys.stdin.readline().strip()',
    '    sys.stdin.close()',
    '    import solution',
    '    scope = dict(vars(solution))',
    ...checks,
    "    sys.stdout.write('\\n' + token + '\\n')",
    '    sys.stdout.flush()',
    '_judge()',
    '',
  ].join('\n');
}

/** A Python string literal of `s` (JSON's escapes are Python's). */
export const pyString = (s: string) => JSON.stringify(s);
