// Which files an edit may touch. Protected globs keep the model away from the things that judge
// its work (tests, benchmarks, CI), from dependency manifests and lockfiles, and from Ouro's own
// and git's state; they win over the allowed list.

import picomatch from 'picomatch';

export interface PathPolicy {
  allowed: string[]; // picomatch globs, relative POSIX paths
  protected: string[];
}

export const DEFAULT_PROTECTED: string[] = [
  // tests (the nested test-directory globs also cover monorepo packages and src/__tests__)
  '**/*.test.*',
  '**/*.spec.*',
  'test/**',
  'tests/**',
  '__tests__/**',
  '**/test/**',
  '**/tests/**',
  '**/__tests__/**',
  '**/conftest.py',
  // test files by name where the language's runner finds them that way (pytest, go test)
  '**/test_*.py',
  '**/*_test.py',
  '**/*_test.go',
  // benchmarks and CI
  'bench/**',
  'benchmarks/**',
  '.github/**',
  '.ci/**',
  '.gitlab-ci.yml',
  // manifests, lockfiles and build scripts, in every folder (a monorepo's packages and crates have their own)
  '**/package.json',
  '**/package-lock.json',
  '**/pnpm-lock.yaml',
  '**/yarn.lock',
  '**/.npmrc',
  '**/Cargo.toml',
  '**/Cargo.lock',
  '**/build.rs',
  '**/.cargo/**',
  '**/go.mod',
  '**/go.sum',
  '**/go.work',
  '**/pyproject.toml',
  '**/requirements*.txt',
  '**/setup.py',
  // Ouro, git and test-runner configuration (in every folder: a runner reads a package's own)
  'ouro.config.*',
  '.ouro/**',
  '.git/**',
  '**/.git/**',
  '**/vitest.config.*',
  '**/vitest.workspace.*',
  '**/vite.config.*',
  '**/jest.config.*',
  '**/.mocharc*',
  '**/pytest.ini',
  '**/setup.cfg',
  '**/tox.ini',
  '**/sitecustomize.py', // runs at interpreter start-up, so it could rig a Python test run
  '**/usercustomize.py',
  // Python finds plugins by listing sys.path (the working folder under `python -m pytest`): a
  // package's metadata there can name a pytest plugin (entry point pytest11)
  '**/*.dist-info/**',
  '**/*.egg-info/**',
  // pytest 9's own config files, beside pytest.ini
  '**/pytest.toml',
  '**/.pytest.toml',
  // Where imports resolve: a path alias, a root, a JSX runtime, a transform or a registry can send a test's import
  // of the code under test elsewhere (tsx and bundlers read tsconfig's paths; babel and swc rewrite imports).
  '**/tsconfig*.json',
  '**/jsconfig*.json',
  '**/.babelrc',
  '**/.babelrc.*',
  '**/babel.config.*',
  '**/.swcrc',
  '**/.yarnrc*',
  '**/.pnpmfile.*',
  '**/bunfig.toml',
  '**/deno.json',
  '**/deno.jsonc',
  '**/rust-toolchain',
  '**/rust-toolchain.toml',
  // git's attributes apply per folder: a nested one can change the eol, filters or ident expansion of the tests' files
  '**/.gitattributes',
  '.gitmodules',
];

/** Returns one violation per offending path; an empty list means every path may be changed. */
export function checkPaths(paths: string[], policy: PathPolicy): { path: string; reason: string }[] {
  // dot: true so that globs such as '**' and '**/.git/**' see dotfiles and dot-directories.
  const protectedMatchers = policy.protected.map((glob) => ({ glob, match: picomatch(glob, { dot: true }) }));
  const allowedMatch = policy.allowed.length > 0 ? picomatch(policy.allowed, { dot: true }) : () => false;
  const allowedList = policy.allowed.length > 0 ? policy.allowed.join(', ') : 'none';

  const violations: { path: string; reason: string }[] = [];
  for (const path of paths) {
    const rel = path.replace(/^(?:\.\/)+/, '');
    // Globs cannot be trusted to reject escapes (picomatch simply fails to match them), so
    // paths that leave the repository are refused outright.
    if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel) || rel.includes('\\') || rel.split('/').includes('..')) {
      violations.push({ path, reason: 'outside the repository (paths must be relative, with forward slashes and no "..")' });
      continue;
    }
    const hit = protectedMatchers.find((m) => m.match(rel));
    if (hit) {
      violations.push({ path, reason: `protected (matches '${hit.glob}'); this file may not be changed` });
      continue;
    }
    if (!allowedMatch(rel)) {
      violations.push({ path, reason: `not in the files you may change (allowed: ${allowedList})` });
    }
  }
  return violations;
}
