// pytest's marks in a repository: its configuration files first, then test files by pytest's
// own naming. pyproject.toml is read by its table headers only (no TOML parser): a file
// whose headers do not parse is said to be malformed and not read further.

import type { RepoTree } from './repo-tree.js';

const TABLE_HEADER = /^\[\[?\s*[^[\]\s][^[\]]*\]\]?\s*(#.*)?$/;

/** The table headers of a TOML file, or undefined (and a note) when one at the start of a line does not parse. */
function tomlTables(tree: RepoTree, path: string, notes: string[]): string[] | undefined {
  const text = tree.read(path);
  if (text === undefined) return undefined;
  const tables: string[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.startsWith('[')) continue;
    if (!TABLE_HEADER.test(line.trimEnd())) {
      notes.push(`${path} line ${i + 1} is not a TOML table header (${JSON.stringify(line.slice(0, 60))}): the file was not read`);
      return undefined;
    }
    tables.push(line.replace(/#.*$/, '').trim());
  }
  return tables;
}

/** An INI file's section headers ([tool:pytest] in setup.cfg, [pytest] in tox.ini). */
function iniSections(tree: RepoTree, path: string): string[] {
  return (tree.read(path) ?? '').split('\n').flatMap((l) => (/^\[[^\]]+\]\s*$/.test(l.trim()) ? [l.trim()] : []));
}

const TEST_FILE = /(^|\/)(test_[^/]*|[^/]*_test)\.py$/;

export function pytestEvidence(tree: RepoTree, notes: string[]): { evidence: string; strong: boolean } | undefined {
  if (tree.exists('pytest.ini')) return { evidence: 'pytest.ini', strong: true };
  if (tomlTables(tree, 'pyproject.toml', notes)?.includes('[tool.pytest.ini_options]'))
    return { evidence: 'pyproject.toml [tool.pytest.ini_options]', strong: true };
  if (iniSections(tree, 'setup.cfg').includes('[tool:pytest]')) return { evidence: 'setup.cfg [tool:pytest]', strong: true };
  if (iniSections(tree, 'tox.ini').includes('[pytest]')) return { evidence: 'tox.ini [pytest]', strong: true };
  if (tree.files.includes('conftest.py')) return { evidence: 'conftest.py', strong: true };
  const file = tree.files.find((f) => TEST_FILE.test(f) && !f.split('/').some((part) => part === 'node_modules' || part.startsWith('.')));
  return file ? { evidence: `test files named for pytest (${file})`, strong: false } : undefined;
}

const BENCHMARK_FIXTURE = /^\s*def test_\w*\([^)]*\bbenchmark\b/m;

/** Where pytest-benchmark shows: named as a dependency, or its fixture taken by a test. */
export function usesPytestBenchmark(tree: RepoTree): string | undefined {
  const manifests = ['pyproject.toml', 'setup.cfg', 'setup.py', ...tree.files.filter((f) => /^requirements[^/]*\.txt$/.test(f))];
  for (const m of manifests) {
    // Searched as text: a pyproject.toml whose headers do not parse still names its dependencies.
    if (/pytest-benchmark/.test(tree.read(m) ?? '')) return m;
  }
  return tree.files.find((f) => TEST_FILE.test(f) && BENCHMARK_FIXTURE.test(tree.read(f) ?? ''));
}

/** The interpreter a repository's tests run with: its own venv's, when it has one. */
export function pythonCommand(venv: string | undefined): string {
  return venv ? `${venv}/bin/python` : 'python3';
}
