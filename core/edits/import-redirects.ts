// Where a test's import of the code under test resolves is decided by files beside the code:
// tsconfig's paths (tsx, bundlers), package.json's imports and exports, go.mod's replace,
// Cargo's [patch], pytest's pythonpath. They are protected by default (file-rules.ts); a user may
// still let a candidate edit one. Even then a candidate may not change what decides resolution,
// or it could send the tests to a fake while the code it ships stays wrong. Configs that are
// code (vite.config.ts, babel.config.js, conftest.py…) cannot be read for what they redirect:
// any change to one is refused. Pure: compares the base's text with the candidate's.

import ts from 'typescript';

type Change = { path: string; before?: string; after: string };
/** The parts of a config that decide resolution, comparable as JSON; a string is why the file could not be read. */
type View = (text: string) => unknown;

const basename = (p: string) => p.split('/').pop() ?? p;

function pick(obj: unknown, keys: readonly string[]): Record<string, unknown> {
  const o = obj && typeof obj === 'object' ? (obj as Record<string, unknown>) : {};
  return Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));
}

const TS_RESOLUTION = [
  'baseUrl',
  'paths',
  'rootDir',
  'rootDirs',
  'moduleSuffixes',
  'customConditions',
  'moduleResolution',
  'module',
  'resolvePackageJsonExports',
  'resolvePackageJsonImports',
  'allowArbitraryExtensions',
  'jsx',
  'jsxFactory',
  'jsxFragmentFactory',
  'jsxImportSource',
  'types',
  'typeRoots',
  'plugins',
] as const;

const tsconfigView: View = (text) => {
  const { config, error } = ts.parseConfigFileTextToJson('tsconfig.json', text);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, ' '));
  const c = (config ?? {}) as Record<string, unknown>;
  return { ...pick(c, ['extends', 'references', 'files', 'include', 'exclude']), compilerOptions: pick(c.compilerOptions, TS_RESOLUTION) };
};

/** package.json keys that decide nothing about how code loads or how the tests run. */
const PACKAGE_METADATA = new Set([
  'description',
  'version',
  'keywords',
  'author',
  'contributors',
  'license',
  'homepage',
  'repository',
  'bugs',
  'funding',
  'private',
]);

const packageView: View = (text) => {
  const doc = JSON.parse(text) as unknown;
  if (!doc || typeof doc !== 'object') throw new Error('not a JSON object');
  return Object.fromEntries(Object.entries(doc).filter(([k]) => !PACKAGE_METADATA.has(k)));
};

/** go.mod's replace directives, single or in a block. */
const goModView: View = (text) => {
  const lines = text.split('\n').map((l) => l.replace(/\/\/.*$/, '').trim());
  const out: string[] = [];
  let block = false;
  for (const l of lines) {
    if (block) {
      if (l === ')') block = false;
      else if (l) out.push(l);
    } else if (/^replace\s*\($/.test(l)) block = true;
    else if (/^replace\s/.test(l)) out.push(l.replace(/^replace\s+/, ''));
  }
  return out;
};

/** The lines of the TOML/INI sections that `inSection` names, comments and blank lines left out. */
function sections(text: string, inSection: (name: string) => boolean, comment = /\s#.*$|^[#;].*$/): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let current: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(comment, '').trim();
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(line);
    if (header) {
      current = inSection(header[1]!) ? header[1]! : undefined;
      if (current) out[current] ??= [];
      continue;
    }
    if (current && line) out[current]!.push(line);
  }
  return out;
}

// Cargo: where crates and targets come from ([patch], [replace], path and git dependencies, [lib] and test targets' paths).
const cargoView: View = (text) => sections(text, (s) => /^(patch|replace|lib|test|bin|bench|workspace|target\..*|(dev-|build-)?dependencies)\b/.test(s));

// pytest reads its options (pythonpath, rootdir, addopts with -p plugins, python_files…) from one of these sections.
const pytestView: View = (text) => sections(text, (s) => /^(pytest|tool:pytest|tool\.pytest(\.ini_options)?)$/.test(s));
const pyprojectView: View = (text) => sections(text, (s) => /^tool\.pytest(\.ini_options)?$/.test(s));

/** The configs read for what they decide; a matching name elsewhere (src/tsconfig.ts) is code. */
const READABLE: Array<[RegExp, View]> = [
  [/^[tj]sconfig(\..+)?\.json$/, tsconfigView],
  [/^package\.json$/, packageView],
  [/^go\.mod$/, goModView],
  [/^Cargo\.toml$/, cargoView],
  [/^(pytest\.ini|\.pytest\.ini|tox\.ini|setup\.cfg|pytest\.toml|\.pytest\.toml)$/, pytestView],
  [/^pyproject\.toml$/, pyprojectView],
];

/** Configs that are code, or transform every module the tests load: what a change redirects cannot be read. */
const OPAQUE =
  /^(?:(?:vite|vitest|jest|babel)\.config\.[cm]?[jt]s|vitest\.workspace\.[cm]?[jt]s|\.babelrc(?:\.[cm]?js(?:on)?)?|\.swcrc|conftest\.py|sitecustomize\.py|usercustomize\.py)$/;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** One message per changed file that would change where the tests' imports resolve. */
export function redirectedImports(changes: Change[]): string[] {
  const out: string[] = [];
  for (const c of changes) {
    const name = basename(c.path);
    if (OPAQUE.test(name)) {
      out.push(`${c.path}: configures how the tests load code, and Ouro cannot read what a change to it redirects; it may not be changed by a candidate`);
      continue;
    }
    const view = READABLE.find(([re]) => re.test(name))?.[1];
    if (!view) continue;
    let after: unknown;
    try {
      after = view(c.after);
    } catch (err) {
      out.push(`${c.path}: could not be read (${(err as Error).message.slice(0, 120)}); a config that decides where imports resolve must stay readable`);
      continue;
    }
    let before: unknown;
    try {
      before = c.before === undefined ? view('') : view(c.before);
    } catch {
      before = undefined;
    }
    if (!same(before, after)) {
      out.push(
        `${c.path}: changes what decides where imports resolve (module paths, aliases, roots, replacements or the runner's options); a candidate may not redirect what the tests import, even where it may edit this file`,
      );
    }
  }
  return out;
}
