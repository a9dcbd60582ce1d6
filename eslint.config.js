// Lint: the layers of the house, held by rule rather than hoped for.
//
//   core  <-  adapters  <-  activities  <-  worker  <-  dev  <-  cli
//                 ^  scripts (installers)                          bench, test: anything but each other
//   workflows: core only, plus activity *types*
//
// core/      pure logic and the shapes that cross Temporal's boundary: no I/O
// adapters/  what activities stand on: git, processes, the sandbox, stores, the model
// activities/ the registered activities, one folder per task queue
// workflows/ deterministic code: core and Temporal's workflow API only
// worker/    builds and runs workers;  dev/: dev server, example repos, the fake provider
// cli/       the `ouro` command and the demo;  scripts/: installers
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const LAYERS = ['core', 'adapters', 'scripts', 'activities', 'workflows', 'worker', 'dev', 'cli', 'bench', 'test'];

/** Import patterns for every layer a folder may not reach (relative imports of any depth). */
function forbid(...layers) {
  return layers.map((layer) => ({
    group: [`**/${layer}/**`, `../${layer}`, `../../${layer}`],
    message: `imports must not run up or across the layers (eslint.config.js): ${layer}/ is out of reach here`,
  }));
}
const except = (...allowed) => LAYERS.filter((l) => !allowed.includes(l));

/**
 * The same boundary for `await import('../x/…')`, which no-restricted-imports does not see: a
 * relative specifier that climbs into a forbidden layer.
 */
function forbidDynamic(layers) {
  return {
    selector: `ImportExpression[source.value=/^(\\.\\.\\/)+(${layers.join('|')})\\//]`,
    message: 'a dynamic import must not run up or across the layers either (eslint.config.js)',
  };
}

/** One folder's boundary: the layers it may import from. */
function layer(folder, allowed, extra = []) {
  return {
    files: [`${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...forbid(...except(folder, ...allowed)), ...extra] }],
      'no-restricted-syntax': ['error', forbidDynamic(except(folder, ...allowed))],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', '.ouro/**', 'examples/**', 'test/histories/**', 'bench/fixtures/**', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-control-regex': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  layer('core', []),
  layer('adapters', ['core']),
  layer('scripts', ['core', 'adapters']),
  layer('activities', ['core', 'adapters']),
  // Workflows are replayed: no Node API, and activities only as types (proxyActivities calls them by name).
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbid(...except('workflows', 'core', 'activities')),
            { group: ['**/activities/**'], allowTypeImports: true, message: 'a workflow may import activities only as types' },
            { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto'], message: 'workflows are deterministic: no Node APIs' },
          ],
        },
      ],
      // Temporal bundles a workflow's imports ahead of time: nothing may be loaded while it runs.
      'no-restricted-syntax': ['error', { selector: 'ImportExpression', message: 'workflows are bundled ahead of time: no dynamic import' }],
    },
  },
  layer('worker', ['core', 'adapters', 'activities', 'workflows']),
  layer('dev', ['core', 'adapters', 'scripts', 'activities', 'workflows', 'worker']),
  layer('cli', ['core', 'adapters', 'scripts', 'activities', 'workflows', 'worker', 'dev']),
  layer('bench', except('test')),
);
