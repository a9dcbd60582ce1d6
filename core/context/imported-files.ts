// Which of the repository's files a test imports, by language: a Python
// module path (absolute, or relative to the test's package), a relative
// JS/TS specifier, a Go package's folder (a _test.go file is in its package
// already), a Rust `use crate::a::b`. Pure: the test's text and the paths.
import { jsImports } from '../edits/js-imports.js';
import { pythonImports } from '../edits/python-imports.js';

const JS_EXT = /\.(?:[cm]?[jt]sx?)$/;

/** A repository path's folder ('.' at the root). */
const dirname = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.');

/** `spec` resolved against `folder`, or undefined when it climbs out of the repository. */
function joinRelative(folder: string, spec: string): string | undefined {
  const out = folder === '.' ? [] : folder.split('/');
  for (const part of spec.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!out.length) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/** Every dotted name `path` answers to as a Python module: src/pkg/keys.py is pkg.keys, src.pkg.keys and keys. */
export function pythonModuleNames(path: string): string[] {
  const parts = path.replace(/\.py$/, '').split('/');
  if (parts.at(-1) === '__init__') parts.pop();
  return parts.map((_, i) => parts.slice(i).join('.')).filter(Boolean);
}

/** `from a.b import c, d` also names a.b.c and a.b.d (c may be a module); relative imports resolved to the test's folder. */
function pythonImportedNames(testPath: string, source: string): Set<string> {
  const names = new Set(pythonImports(source));
  const folder = dirname(testPath)
    .split('/')
    .filter((s) => s !== '.');
  for (const m of source.matchAll(/^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)/gm)) {
    const [, dots = '', from = '', list = ''] = m;
    const base = dots.length ? [...folder.slice(0, folder.length - (dots.length - 1)), ...(from ? from.split('.') : [])].join('.') : from;
    if (!base) continue;
    names.add(base);
    for (const n of list.replace(/[()]/g, '').split(',')) {
      const name = /^\s*(\w+)/.exec(n)?.[1];
      if (name) names.add(`${base}.${name}`);
    }
  }
  return names;
}

/** The repository-relative paths a relative JS/TS specifier may load: the file, any source extension, or its folder's index. */
function jsTargets(testPath: string, source: string): Set<string> {
  const targets = new Set<string>();
  let specifiers: string[];
  try {
    specifiers = jsImports(source, testPath).specifiers;
  } catch {
    return targets;
  }
  for (const spec of specifiers) {
    if (!spec.startsWith('.')) continue;
    const joined = joinRelative(dirname(testPath), spec);
    if (!joined) continue;
    targets.add(joined.replace(JS_EXT, ''));
    targets.add(`${joined}/index`);
  }
  return targets;
}

/** Go import paths in a file's import declarations. */
function goImportPaths(source: string): string[] {
  const paths: string[] = [];
  for (const block of source.matchAll(/^import\s*\(([\s\S]*?)\)|^import\s+(?:[\w.]+\s+)?"([^"]+)"/gm)) {
    if (block[2]) paths.push(block[2]);
    else for (const m of (block[1] ?? '').matchAll(/"([^"]+)"/g)) paths.push(m[1]!);
  }
  return paths;
}

/** A Rust file's module path under its crate: src/a/b.rs and src/a/b/mod.rs are a::b. */
function rustModulePath(path: string): string | undefined {
  const parts = path.replace(/\.rs$/, '').split('/');
  const src = parts.lastIndexOf('src');
  if (src < 0) return undefined;
  const mod = parts.slice(src + 1).filter((p, i, all) => !(i === all.length - 1 && (p === 'mod' || p === 'lib' || p === 'main')));
  return mod.join('::');
}

/** Whether the test at `testPath` (its text `source`) imports the file `target`. */
export function importsFile(testPath: string, source: string, target: string): boolean {
  return importerOf(testPath, source)(target);
}

/** A test's imports read once, asked about many files. */
export function importerOf(testPath: string, source: string): (target: string) => boolean {
  if (testPath.endsWith('.py')) {
    const names = pythonImportedNames(testPath, source);
    return (target) => target.endsWith('.py') && pythonModuleNames(target).some((n) => names.has(n));
  }
  if (JS_EXT.test(testPath)) {
    const targets = jsTargets(testPath, source);
    return (target) => JS_EXT.test(target) && targets.has(target.replace(JS_EXT, ''));
  }
  if (testPath.endsWith('.go')) {
    const paths = goImportPaths(source);
    const folder = dirname(testPath);
    return (target) => {
      if (!target.endsWith('.go')) return false;
      const dir = dirname(target);
      // A _test.go file shares its folder's package: it sees every file there.
      if (dir === folder) return true;
      return dir !== '.' && paths.some((p) => p === dir || p.endsWith(`/${dir}`));
    };
  }
  if (testPath.endsWith('.rs')) {
    const uses = [...source.matchAll(/\buse\s+([\w:]+)/g)].map((m) => m[1]!.split('::').slice(1).join('::'));
    return (target) => {
      const mod = target.endsWith('.rs') ? rustModulePath(target) : undefined;
      return mod !== undefined && mod !== '' && uses.some((u) => u === mod || u.startsWith(`${mod}::`));
    };
  }
  return () => false;
}
