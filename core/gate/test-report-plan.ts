// How to get a structured report (test by test) out of the user's test
// command without asking them to change it: through the environment where a
// runner reads it (pytest's PYTEST_ADDOPTS, node's NODE_OPTIONS, go's GOFLAGS), or by
// appending the runner's own reporter flags when the command (or the npm
// script it names, read from the base's package.json) is one plain
// invocation of vitest or jest. Anything else runs as written and is
// compared by count, which the run's result says. Pure.

import type { ReportFormat } from './test-identity.js';

export interface ReportPlan {
  /** The command to run: the user's, with reporter flags appended when the runner takes them only on its command line. */
  command: string;
  /** Added to the sandbox's environment. */
  env: Record<string, string>;
  /** The runner expected to write the report; undefined when only the pytest variable is set on the chance that pytest runs. */
  runner?: 'vitest' | 'jest' | 'node:test' | 'pytest';
  format: ReportFormat;
}

const SHELL_OPERATORS = /&&|\|\||[;|&`$<>()\n]/;

/** Single-quoted for sh. */
const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The words of a simple command, or undefined when it is more than one command (or uses expansions). */
function simpleWords(command: string): string[] | undefined {
  if (SHELL_OPERATORS.test(command.replace(/'[^']*'|"[^"$`]*"/g, ''))) return undefined;
  const words = command.match(/'[^']*'|"[^"]*"|\S+/g)?.map((w) => w.replace(/^['"]|['"]$/g, '')) ?? [];
  // Leading VAR=value assignments are part of a simple command.
  while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) words.shift();
  return words;
}

const base = (w: string) => w.split('/').pop() ?? w;

type Runner = NonNullable<ReportPlan['runner']>;

function runnerOf(words: string[]): Runner | undefined {
  let w = [...words];
  if (w[0] === 'npx' || (w[0] === 'pnpm' && w[1] === 'exec') || (w[0] === 'yarn' && w[1] === 'exec'))
    w = w.slice(w[0] === 'npx' ? 1 : 2).filter((x) => !/^--?(yes|y|no-install)$/.test(x));
  const first = base(w[0] ?? '');
  if (first === 'vitest') return 'vitest';
  if (first === 'jest') return 'jest';
  if (first === 'pytest' || first === 'py.test') return 'pytest';
  if (/^python3?(\.\d+)?$/.test(first) && w[1] === '-m' && w[2] === 'pytest') return 'pytest';
  if (first === 'node' && w.includes('--test')) return 'node:test';
  return undefined;
}

/** `npm test`, `npm t`, `npm run x`, `npm run-script x`: the script's name, else undefined. */
function npmScript(words: string[]): string | undefined {
  if (words[0] !== 'npm') return undefined;
  const rest = words.slice(1).filter((w) => !/^-/.test(w));
  if (rest[0] === 'test' || rest[0] === 't' || rest[0] === 'tst') return words.includes('--') ? undefined : 'test';
  if ((rest[0] === 'run' || rest[0] === 'run-script') && rest[1] && !words.includes('--')) return rest[1];
  return undefined;
}

function reporterFlags(runner: 'vitest' | 'jest', file: string): string {
  return runner === 'vitest' ? `--reporter=default --reporter=junit --outputFile.junit=${shq(file)}` : `--ci --json --outputFile=${shq(file)}`;
}

/**
 * @param scripts the base's package.json "scripts" (protected, so the candidate's are the same)
 * @param reportFile where the runner should write its report (a path the sandbox may write)
 */
export function planReport(command: string, scripts: Record<string, string> | undefined, reportFile: string): ReportPlan {
  // pytest reads this wherever it runs, even deep inside a script; unset by nothing else. `go test`
  // likewise reads GOFLAGS: -v makes it name every test it ran (--- PASS/FAIL/SKIP), which is what
  // its count is read from (without it a package whose tests never ran prints the same "ok").
  const pytestEnv = { PYTEST_ADDOPTS: `--junitxml=${reportFile} -o junit_family=xunit1`, GOFLAGS: '-v' };
  const words = simpleWords(command);
  if (!words) return { command, env: pytestEnv, format: 'junit' };
  let runner = runnerOf(words);
  let viaNpm = false;
  const script = npmScript(words);
  if (!runner && script && scripts?.[script]) {
    const inner = simpleWords(scripts[script]!);
    runner = inner ? runnerOf(inner) : undefined;
    viaNpm = true;
  }
  if (runner === 'vitest' || runner === 'jest') {
    return {
      command: `${command}${viaNpm ? ' --' : ''} ${reporterFlags(runner, reportFile)}`,
      env: pytestEnv,
      runner,
      format: runner === 'jest' ? 'jest-json' : 'junit',
    };
  }
  if (runner === 'node:test') {
    // Two reporters: the usual one on stdout (its summary is parsed too), JUnit to the file.
    return {
      command,
      env: {
        ...pytestEnv,
        NODE_OPTIONS: `--test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=${reportFile}`,
      },
      runner,
      format: 'junit',
    };
  }
  return { command, env: pytestEnv, runner, format: 'junit' };
}
