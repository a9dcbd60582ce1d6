// Lint: the layers of the house, held by rule rather than hoped for.
//
//   core  <-  adapters  <-  activities  <-  worker  <-  dev  <-  cli
//                 ^  scripts (installers)                          bench, test: anything but each other
//   workflows: core only, plus activity *types*
//
// core/      pure logic and the shapes that cross Temporal's boundary: no I/O, no Node API
// adapters/  what activities stand on: git, processes, the sandbox, stores, the model
// activities/ the registered activities, one folder per task queue (git, sandbox, draft): a queue's
//            activities never import another's (what two share lives in adapters/); index.ts gathers them
// workflows/ deterministic code: core and Temporal's workflow API only
// worker/    builds and runs workers;  dev/: dev server, example repos, the fake provider
// cli/       the `ouro` command and the demo;  scripts/: installers
import js from '@eslint/js';
import { builtinModules } from 'node:module';
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

/**
 * Node's own modules, under either name (`node:fs`, `fs`, `fs/promises`…), refused with `message`:
 * what no-restricted-imports takes, and the same for a dynamic import (no-restricted-syntax).
 */
function noNodeApis(message) {
  const bare = builtinModules.filter((m) => !m.startsWith('node:'));
  return {
    paths: bare.map((name) => ({ name, message })),
    patterns: [{ group: ['node:*'], message }],
    dynamic: [{ selector: `ImportExpression[source.value=/^(node:|(${bare.join('|').replace(/\//g, '\\/')})(\\/|$))/]`, message }],
  };
}

/** The rules of one folder's boundary: the layers it may import from, and what else it may not import. */
function boundary(folder, allowed, { paths = [], patterns = [], dynamic = [] } = {}) {
  return {
    'no-restricted-imports': ['error', { paths, patterns: [...forbid(...except(folder, ...allowed)), ...patterns] }],
    'no-restricted-syntax': ['error', forbidDynamic(except(folder, ...allowed)), ...dynamic],
  };
}

/** One folder's boundary, for every file under it. */
function layer(folder, allowed, extra) {
  return { files: [`${folder}/**/*.ts`], rules: boundary(folder, allowed, extra) };
}

const ACTIVITIES_REACH = ['core', 'adapters'];
const QUEUES = ['git', 'sandbox', 'draft'];

/**
 * One task queue's activities: the activities layer's reach, and no other queue's folder, so that
 * a worker serving one queue never loads another's code. activities/index.ts gathers them all.
 */
function queue(name) {
  const others = QUEUES.filter((q) => q !== name).join('|');
  const message = `one queue's activities never import another's (eslint.config.js): activities/${name}/ may not reach activities/{${others.replace(/\|/g, ',')}}/; what two queues share lives in adapters/`;
  return {
    files: [`activities/${name}/**/*.ts`],
    rules: boundary('activities', ACTIVITIES_REACH, {
      patterns: [{ regex: `^\\.\\./(${others})(/|$)|(^|/)activities/(${others})(/|$)`, message }],
      dynamic: [{ selector: `ImportExpression[source.value=/^(\\.\\.\\/)+(activities\\/)?(${others})\\//]`, message }],
    }),
  };
}

const CORE_NO_NODE = noNodeApis('core/ is pure logic: no Node APIs (eslint.config.js); what needs one lives in adapters/');
const WORKFLOWS_NO_NODE = noNodeApis('workflows are deterministic: no Node APIs');

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
  layer('core', [], CORE_NO_NODE),
  layer('adapters', ['core']),
  layer('scripts', ['core', 'adapters']),
  layer('activities', ACTIVITIES_REACH),
  ...QUEUES.map(queue),
  // Workflows are replayed: no Node API, and activities only as types (proxyActivities calls them by name).
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: WORKFLOWS_NO_NODE.paths,
          patterns: [
            ...forbid(...except('workflows', 'core', 'activities')),
            { group: ['**/activities/**'], allowTypeImports: true, message: 'a workflow may import activities only as types' },
            ...WORKFLOWS_NO_NODE.patterns,
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
