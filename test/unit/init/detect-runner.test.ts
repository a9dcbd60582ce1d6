import { describe, expect, it } from 'vitest';
import { detectRunner, GO_BENCH_COMMAND, nodeRunnerOf } from '../../../core/init/detect-runner.js';
import { treeOf } from '../../../core/init/repo-tree.js';

const pkg = (scripts: unknown) => JSON.stringify({ name: 'x', scripts });

describe('detectRunner: one runner each', () => {
  it('vitest from scripts.test, node_modules linked, an npm bench script', () => {
    const d = detectRunner(treeOf({ 'package.json': pkg({ test: 'vitest run', bench: 'node bench.js' }) }, ['node_modules/vitest/package.json']));
    expect(d.test).toMatchObject({ command: 'npm test', runner: 'vitest', strong: true });
    expect(d.bench).toEqual({ command: 'npm run bench', evidence: 'package.json scripts.bench' });
    expect(d.linkPaths).toEqual(['node_modules']);
    expect(d.notes).toEqual([]);
  });

  it('jest without node_modules: a note says to install first', () => {
    const d = detectRunner(treeOf({ 'package.json': pkg({ test: 'jest --coverage', benchmark: 'node b.js' }) }));
    expect(d.test?.runner).toBe('jest');
    expect(d.bench?.command).toBe('npm run benchmark');
    expect(d.linkPaths).toEqual([]);
    expect(d.notes.join()).toMatch(/node_modules is missing: install the dependencies first/);
  });

  it('node --test needs no node_modules', () => {
    const d = detectRunner(treeOf({ 'package.json': pkg({ test: 'node --experimental-strip-types --test' }) }));
    expect(d.test?.runner).toBe('node:test');
    expect(d.notes).toEqual([]);
  });

  it("npm's placeholder test script is no runner", () => {
    const d = detectRunner(treeOf({ 'package.json': pkg({ test: 'echo "Error: no test specified" && exit 1' }) }));
    expect(d.test).toBeUndefined();
    expect(d.lookedFor.join('\n')).toMatch(/vitest, jest or node --test[\s\S]*go\.mod[\s\S]*Cargo\.toml/);
  });

  it('pytest from pytest.ini, with the repository venv', () => {
    const d = detectRunner(treeOf({ 'pytest.ini': '[pytest]\n', 'src/a.py': '' }, ['.venv/bin/python']));
    expect(d.test).toMatchObject({ command: '.venv/bin/python -m pytest', runner: 'pytest', evidence: 'pytest.ini' });
    expect(d.linkPaths).toEqual(['.venv']);
  });

  it('pytest from pyproject, setup.cfg, tox.ini and conftest.py; a venv named venv', () => {
    expect(detectRunner(treeOf({ 'pyproject.toml': '[project]\nname = "x"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n' })).test?.evidence).toBe(
      'pyproject.toml [tool.pytest.ini_options]',
    );
    expect(detectRunner(treeOf({ 'setup.cfg': '[metadata]\nname=x\n[tool:pytest]\n' })).test?.evidence).toBe('setup.cfg [tool:pytest]');
    expect(detectRunner(treeOf({ 'tox.ini': '[tox]\n[pytest]\n' })).test?.evidence).toBe('tox.ini [pytest]');
    const d = detectRunner(treeOf({ 'conftest.py': '' }, ['venv/bin/python']));
    expect(d.test?.command).toBe('venv/bin/python -m pytest');
    expect(d.linkPaths).toEqual(['venv']);
  });

  it('a tests/ folder of test_*.py alone is weak evidence; without a venv, python3', () => {
    const d = detectRunner(treeOf({ 'tests/test_calc.py': 'def test_a(): pass\n', 'calc.py': '' }));
    expect(d.test).toMatchObject({ command: 'python3 -m pytest', strong: false });
    expect(d.linkPaths).toEqual([]);
  });

  it('pytest-benchmark as a dependency or a fixture', () => {
    const dep = detectRunner(treeOf({ 'pytest.ini': '', 'requirements-dev.txt': 'pytest\npytest-benchmark>=4\n' }));
    expect(dep.bench).toEqual({ command: 'python3 -m pytest --benchmark-only -q', evidence: 'pytest-benchmark (requirements-dev.txt)' });
    const fixture = detectRunner(treeOf({ 'pytest.ini': '', 'tests/test_speed.py': 'def test_sort(benchmark):\n    benchmark(sorted, [3, 1])\n' }));
    expect(fixture.bench?.evidence).toBe('pytest-benchmark (tests/test_speed.py)');
  });

  it('go test, and go test -bench with a fixed count when Benchmark functions exist', () => {
    const plain = detectRunner(treeOf({ 'go.mod': 'module x\n', 'a_test.go': 'func TestA(t *testing.T) {}\n' }));
    expect(plain.test).toMatchObject({ command: 'go test ./...', runner: 'go' });
    expect(plain.bench).toBeUndefined();
    const bench = detectRunner(treeOf({ 'go.mod': 'module x\n', 'pkg/a_test.go': 'package pkg\n\nfunc BenchmarkSum(b *testing.B) {}\n' }));
    expect(bench.bench).toEqual({ command: GO_BENCH_COMMAND, evidence: 'Benchmark functions (pkg/a_test.go)' });
    // A Benchmark mentioned in a non-test file, or in a comment, is not one.
    expect(
      detectRunner(treeOf({ 'go.mod': '', 'a.go': 'func BenchmarkX(b *testing.B) {}\n', 'b_test.go': '// func BenchmarkY(b *testing.B)\n' })).bench,
    ).toBeUndefined();
  });

  it('cargo test, cargo bench from benches/ or [[bench]]', () => {
    expect(detectRunner(treeOf({ 'Cargo.toml': '[package]\nname="x"\n' })).test?.command).toBe('cargo test');
    expect(detectRunner(treeOf({ 'Cargo.toml': '[package]\n', 'benches/sum.rs': '' })).bench).toEqual({ command: 'cargo bench', evidence: 'benches/sum.rs' });
    expect(detectRunner(treeOf({ 'Cargo.toml': '[package]\n\n[[bench]]\nname = "s"\n' })).bench?.evidence).toBe('Cargo.toml [[bench]]');
  });
});

describe('detectRunner: mixed repositories', () => {
  it('an npm test script first; the others named, not chosen', () => {
    const d = detectRunner(treeOf({ 'package.json': pkg({ test: 'vitest' }), 'go.mod': '', 'pytest.ini': '' }, ['node_modules']));
    expect(d.test?.runner).toBe('vitest');
    expect(d.others.map((o) => o.runner)).toEqual(['pytest', 'go']);
  });

  it('configuration beats a bare folder of test files: a Rust crate with Python test scripts is cargo', () => {
    const d = detectRunner(treeOf({ 'Cargo.toml': '[package]\n', 'scripts/test_release.py': '' }));
    expect(d.test?.runner).toBe('cargo');
    expect(d.others).toMatchObject([{ runner: 'pytest', strong: false }]);
  });

  it("the chosen runner's benchmark, not another's", () => {
    const d = detectRunner(treeOf({ 'go.mod': '', 'a_test.go': 'func BenchmarkA(b *testing.B) {}\n', 'Cargo.toml': '', 'benches/x.rs': '' }));
    expect(d.test?.runner).toBe('go');
    expect(d.bench?.command).toBe(GO_BENCH_COMMAND);
  });

  it('a venv beside a node runner is not linked', () => {
    const d = detectRunner(treeOf({ 'package.json': pkg({ test: 'node --test' }), 'tests/test_x.py': '' }, ['.venv/bin/python']));
    expect(d.linkPaths).toEqual([]);
  });
});

describe('detectRunner: malformed and hostile files', () => {
  it.each([
    ['not JSON', '{"scripts": {"test": "vitest",}', /package.json is not valid JSON/],
    ['scripts an array', JSON.stringify({ scripts: ['vitest'] }), /"scripts" is not an object/],
    ['scripts a string', JSON.stringify({ scripts: 'vitest' }), /"scripts" is not an object/],
    ['a JSON string', '"vitest"', undefined],
    ['null', 'null', undefined],
    ['test a number', JSON.stringify({ scripts: { test: 42 } }), undefined],
  ])('package.json %s: no throw, no node runner, still finds the others', (_name, text, note) => {
    const d = detectRunner(treeOf({ 'package.json': text, 'go.mod': '' }));
    expect(d.test?.runner).toBe('go');
    if (note) expect(d.notes.join('\n')).toMatch(note);
  });

  it('a malformed pyproject.toml is said and not read; a tests/ folder still counts', () => {
    const d = detectRunner(treeOf({ 'pyproject.toml': '[tool.pytest.ini_options\naddopts="-q"\n', 'tests/test_a.py': '' }));
    expect(d.notes.join()).toMatch(/pyproject.toml line 1 is not a TOML table header/);
    expect(d.test).toMatchObject({ runner: 'pytest', strong: false });
  });

  it('a pyproject.toml that only mentions pytest in a string is no pytest config', () => {
    const d = detectRunner(treeOf({ 'pyproject.toml': '[project]\ndescription = "[tool.pytest.ini_options]"\n' }));
    expect(d.test).toBeUndefined();
  });

  it('test files under hidden folders and node_modules are not pytest evidence', () => {
    expect(detectRunner(treeOf({ '.tox/x/test_a.py': '', 'node_modules/p/test_b.py': '' })).test).toBeUndefined();
  });

  it('nothing at all: what was looked for', () => {
    const d = detectRunner(treeOf({ 'README.md': '# hi\n' }));
    expect(d.test).toBeUndefined();
    expect(d.lookedFor).toHaveLength(4);
  });
});

describe('nodeRunnerOf', () => {
  it.each([
    ['vitest run --coverage', 'vitest'],
    ['tsc && vitest', 'vitest'],
    ['./node_modules/.bin/jest', 'jest'],
    ['node --import tsx --test test/*.ts', 'node:test'],
    ['node --test-reporter=spec --test', 'node:test'],
    ['vitestify', undefined],
    ['jester run', undefined],
    ['node test.js', undefined],
  ])('%s → %s', (script, runner) => expect(nodeRunnerOf(script)).toBe(runner));
});
