// `ouro init`: which test command (and benchmark) a repository's own files point to, read
// from what they hold (package.json scripts, pytest's configuration, go.mod, Cargo.toml), never
// guessed from its name. Pure: the caller hands over the files (core/init/repo-tree.ts).

import type { RepoTree } from './repo-tree.js';
import { pytestEvidence, pythonCommand, usesPytestBenchmark } from './python.js';

export type DetectedRunner = 'vitest' | 'jest' | 'node:test' | 'pytest' | 'go' | 'cargo';

export interface TestChoice {
  command: string;
  runner: DetectedRunner;
  /** The file (or folder) that said so, for the user: "package.json scripts.test". */
  evidence: string;
  /** Config evidence (a script, go.mod, a pytest section) beats a mere tests/ folder. */
  strong: boolean;
}

export interface Detection {
  test?: TestChoice;
  /** Other runners found in a mixed repository: named, not chosen. */
  others: TestChoice[];
  bench?: { command: string; evidence: string };
  /** Untracked folders the tests need in each workspace (node_modules, a venv). */
  linkPaths: string[];
  /** What was looked for, said when nothing is found. */
  lookedFor: string[];
  /** Things the user should know: a malformed file, a missing node_modules. */
  notes: string[];
}

export const LOOKED_FOR = [
  'package.json scripts.test running vitest, jest or node --test',
  'pytest (pytest.ini, [tool.pytest.ini_options] in pyproject.toml, [tool:pytest] in setup.cfg, conftest.py, a tests/ folder of test_*.py)',
  'go.mod (go test ./...)',
  'Cargo.toml (cargo test)',
];

const VENVS = ['.venv', 'venv'];

interface PackageJson {
  scripts: Record<string, string>;
}

function readPackageJson(tree: RepoTree, notes: string[]): PackageJson | undefined {
  const text = tree.read('package.json');
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    notes.push(`package.json is not valid JSON (${(err as Error).message.slice(0, 120)}): its scripts were not read`);
    return undefined;
  }
  const scripts = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as { scripts?: unknown }).scripts : undefined;
  if (scripts === undefined) return { scripts: {} };
  if (!scripts || typeof scripts !== 'object' || Array.isArray(scripts)) {
    notes.push('package.json "scripts" is not an object: its scripts were not read');
    return { scripts: {} };
  }
  const strings = Object.entries(scripts).filter((e): e is [string, string] => typeof e[1] === 'string');
  return { scripts: Object.fromEntries(strings) };
}

/** The runner an npm test script invokes, by the words it holds. */
export function nodeRunnerOf(script: string): 'vitest' | 'jest' | 'node:test' | undefined {
  if (/(^|[\s/;&|(])vitest(\s|$)/.test(script)) return 'vitest';
  if (/(^|[\s/;&|(])jest(\s|$)/.test(script)) return 'jest';
  if (/(^|[\s/;&|(])node(\s+\S+)*\s+--test(\s|$|=)/.test(script)) return 'node:test';
  return undefined;
}

function nodeTest(pkg: PackageJson | undefined): TestChoice | undefined {
  const script = pkg?.scripts.test;
  const runner = script ? nodeRunnerOf(script) : undefined;
  return runner ? { command: 'npm test', runner, evidence: `package.json scripts.test (${runner})`, strong: true } : undefined;
}

function nodeBench(pkg: PackageJson | undefined): Detection['bench'] {
  for (const name of ['bench', 'benchmark']) {
    if (pkg?.scripts[name]) return { command: `npm run ${name}`, evidence: `package.json scripts.${name}` };
  }
  return undefined;
}

function goTest(tree: RepoTree): TestChoice | undefined {
  return tree.exists('go.mod') ? { command: 'go test ./...', runner: 'go', evidence: 'go.mod', strong: true } : undefined;
}

const GO_BENCHMARK = /^func Benchmark\w*\(\s*\w+\s+\*testing\.B\s*\)/m;

/** A fixed iteration count: go's default (as long as 1 s allows) would make every run take the same wall time. */
export const GO_BENCH_COMMAND = "go test -run '^$' -bench . -benchtime 20x ./...";

function goBench(tree: RepoTree): Detection['bench'] {
  if (!tree.exists('go.mod')) return undefined;
  const file = tree.files.find((f) => f.endsWith('_test.go') && GO_BENCHMARK.test(tree.read(f) ?? ''));
  return file ? { command: GO_BENCH_COMMAND, evidence: `Benchmark functions (${file})` } : undefined;
}

function cargoTest(tree: RepoTree): TestChoice | undefined {
  return tree.exists('Cargo.toml') ? { command: 'cargo test', runner: 'cargo', evidence: 'Cargo.toml', strong: true } : undefined;
}

function cargoBench(tree: RepoTree): Detection['bench'] {
  if (!tree.exists('Cargo.toml')) return undefined;
  if (/^\s*\[\[bench\]\]/m.test(tree.read('Cargo.toml') ?? '')) return { command: 'cargo bench', evidence: 'Cargo.toml [[bench]]' };
  const file = tree.files.find((f) => f.startsWith('benches/') && f.endsWith('.rs'));
  return file ? { command: 'cargo bench', evidence: file } : undefined;
}

function pythonTest(tree: RepoTree, venv: string | undefined, notes: string[]): TestChoice | undefined {
  const found = pytestEvidence(tree, notes);
  if (!found) return undefined;
  return { command: `${pythonCommand(venv)} -m pytest`, runner: 'pytest', evidence: found.evidence, strong: found.strong };
}

function pythonBench(tree: RepoTree, venv: string | undefined): Detection['bench'] {
  const where = usesPytestBenchmark(tree);
  return where ? { command: `${pythonCommand(venv)} -m pytest --benchmark-only -q`, evidence: `pytest-benchmark (${where})` } : undefined;
}

/** The runner and benchmark a repository's files name, with the folders its tests need linked. */
export function detectRunner(tree: RepoTree): Detection {
  const notes: string[] = [];
  const pkg = readPackageJson(tree, notes);
  const venv = VENVS.find((v) => tree.exists(`${v}/bin/python`));
  const found = [nodeTest(pkg), pythonTest(tree, venv, notes), goTest(tree), cargoTest(tree)].filter((c): c is TestChoice => c !== undefined);
  // Config beats a bare tests/ folder; among equals, the order above (an explicit npm script first).
  const ranked = [...found.filter((c) => c.strong), ...found.filter((c) => !c.strong)];
  const test = ranked[0];
  const benchFor: Record<DetectedRunner, () => Detection['bench']> = {
    vitest: () => nodeBench(pkg),
    jest: () => nodeBench(pkg),
    'node:test': () => nodeBench(pkg),
    pytest: () => pythonBench(tree, venv),
    go: () => goBench(tree),
    cargo: () => cargoBench(tree),
  };
  const bench = test ? benchFor[test.runner]() : undefined;
  const linkPaths: string[] = [];
  if (test && ['vitest', 'jest', 'node:test'].includes(test.runner)) {
    if (tree.exists('node_modules')) linkPaths.push('node_modules');
    else if (test.runner !== 'node:test') notes.push(`node_modules is missing: install the dependencies first (npm install), or ${test.runner} cannot start`);
  }
  if (test?.runner === 'pytest' && venv) linkPaths.push(venv);
  return { test, others: ranked.slice(1), bench, linkPaths, lookedFor: LOOKED_FOR, notes };
}
