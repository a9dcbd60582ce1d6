import { describe, it, expect } from 'vitest';
import { checkPaths, DEFAULT_PROTECTED, type PathPolicy } from '../../../core/run/file-rules.js';

const policy: PathPolicy = { allowed: ['**'], protected: DEFAULT_PROTECTED };

describe('checkPaths', () => {
  it('allows ordinary source files, including dotfiles, when allowed is **', () => {
    expect(checkPaths(['src/a.ts', 'lib/deep/b.py', '.eslintrc.json', 'src/.env.example', 'README.md'], policy)).toEqual([]);
  });

  it.each([
    'src/a.test.ts',
    'pkg/b.spec.js',
    'src/.internal/c.test.ts',
    'test/unit/x.ts',
    'tests/test_x.py',
    '__tests__/a.js',
    'src/__tests__/a.js',
    'packages/core/test/a.ts',
    'conftest.py',
    'app/sub/conftest.py',
    'bench/run.ts',
    'benchmarks/x.py',
    '.github/workflows/ci.yml',
    '.ci/run.sh',
    '.gitlab-ci.yml',
    'package.json',
    'package-lock.json',
    'pnpm-lock.yaml',
    'yarn.lock',
    'Cargo.toml',
    'Cargo.lock',
    'go.mod',
    'go.sum',
    'pyproject.toml',
    'requirements.txt',
    'requirements-dev.txt',
    // a monorepo's packages and crates: their manifests, build scripts and runner configs too
    'packages/web/package.json',
    'packages/web/.npmrc',
    'packages/web/vitest.config.ts',
    'crates/core/Cargo.toml',
    'crates/core/build.rs',
    '.cargo/config.toml',
    'services/api/go.mod',
    'go.work',
    'lib/py/pytest.ini',
    'lib/py/setup.cfg',
    'lib/py/tox.ini',
    'lib/py/setup.py',
    // Python plugins found by listing sys.path
    'rigged-0.1.dist-info/entry_points.txt',
    'rigged.egg-info/entry_points.txt',
    'usercustomize.py',
    'ouro.config.ts',
    '.ouro/state.json',
    '.git/config',
    'vendor/lib/.git/HEAD',
    'vitest.config.ts',
    'vite.config.mjs',
    'jest.config.js',
    '.mocharc.yml',
    'sitecustomize.py',
    'site-packages/sitecustomize.py',
    '.gitattributes',
    '.gitmodules',
    // git attributes at any depth (eol, filters, ident on the tests' files)
    'test/.gitattributes',
    'src/deep/.gitattributes',
    // what decides where an import resolves, in any package
    'tsconfig.json',
    'tsconfig.build.json',
    'packages/web/tsconfig.json',
    'jsconfig.json',
    'src/jsconfig.json',
    '.babelrc',
    '.babelrc.json',
    'babel.config.js',
    'packages/web/babel.config.cjs',
    '.swcrc',
    '.yarnrc.yml',
    '.pnpmfile.cjs',
    'bunfig.toml',
    'deno.json',
    'deno.jsonc',
    'rust-toolchain.toml',
    'pytest.toml',
    'lib/py/.pytest.toml',
  ])('protects %s even though ** allows it', (path) => {
    const [violation] = checkPaths([path], policy);
    expect(violation?.path).toBe(path);
    expect(violation?.reason).toMatch(/^protected \(matches '[^']+'\)/);
  });

  it('names the protected glob that matched', () => {
    expect(checkPaths(['a/.git/config'], policy)).toEqual([
      { path: 'a/.git/config', reason: "protected (matches '**/.git/**'); this file may not be changed" },
    ]);
  });

  it('does not protect look-alikes', () => {
    expect(checkPaths(['src/testing.ts', 'src/package.json.md', 'latest/x.ts', 'src/gitignore.ts', 'docs/contest.py'], policy)).toEqual([]);
    // a nested .gitignore is no evaluator input (the guard lists strays without it), nor is a module named after a config
    expect(checkPaths(['src/.gitignore', 'src/tsconfig.ts', 'src/babel.ts', 'docs/gitattributes.md'], policy)).toEqual([]);
  });

  it('reports paths outside the allowed globs, listing them', () => {
    const p: PathPolicy = { allowed: ['src/**', '*.md'], protected: DEFAULT_PROTECTED };
    expect(checkPaths(['src/a.ts', 'README.md', 'lib/b.ts', 'docs/c.md'], p)).toEqual([
      { path: 'lib/b.ts', reason: 'not in the files you may change (allowed: src/**, *.md)' },
      { path: 'docs/c.md', reason: 'not in the files you may change (allowed: src/**, *.md)' },
    ]);
  });

  it('lets protected win over an explicit allowed glob', () => {
    const p: PathPolicy = { allowed: ['src/**', 'package.json'], protected: DEFAULT_PROTECTED };
    const violations = checkPaths(['package.json', 'src/x.spec.ts', 'src/x.ts'], p);
    expect(violations.map((v) => v.path)).toEqual(['package.json', 'src/x.spec.ts']);
    expect(violations.every((v) => v.reason.startsWith('protected'))).toBe(true);
  });

  it('matches dotfiles under allowed globs', () => {
    expect(checkPaths(['src/.hidden/a.ts'], { allowed: ['src/**'], protected: [] })).toEqual([]);
  });

  it('allows nothing when the allowed list is empty', () => {
    expect(checkPaths(['a.ts'], { allowed: [], protected: [] })).toEqual([{ path: 'a.ts', reason: 'not in the files you may change (allowed: none)' }]);
  });

  it('normalises ./ and refuses paths that leave the repository', () => {
    expect(checkPaths(['./src/a.ts'], { allowed: ['src/**'], protected: [] })).toEqual([]);
    const bad = ['../x.ts', 'src/../../x.ts', '/etc/passwd', 'C:/x.ts', 'src\\a.ts'];
    const violations = checkPaths(bad, policy);
    expect(violations.map((v) => v.path)).toEqual(bad);
    expect(violations.every((v) => v.reason.startsWith('outside the repository'))).toBe(true);
  });
});

describe("test files by their runner's naming", () => {
  it('protects pytest and go test files wherever they are', () => {
    expect(checkPaths(['test_math.py', 'pkg/test_util.py', 'pkg/util_test.py', 'cmd/main_test.go'], policy).map((v) => v.path)).toEqual([
      'test_math.py',
      'pkg/test_util.py',
      'pkg/util_test.py',
      'cmd/main_test.go',
    ]);
    expect(checkPaths(['pkg/testing.py', 'latest_tests.md', 'cmd/main.go'], policy)).toEqual([]);
  });
});
