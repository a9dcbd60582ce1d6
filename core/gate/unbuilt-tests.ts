// A test-first fix starts from tests that do not build yet: the user wrote the test for the function
// they want (go test: "FAIL <pkg> [build failed]", "./decode_test.go:12:7: d.MaxDepth undefined";
// pytest: "ERROR collecting tests/test_x.py", "ImportError: cannot import name 'x'"). Such a base ran
// no test, yet the tests that did not build are exactly the goal. This reads a red base's output and
// says whether that is all that failed: only test files the run protects (a candidate cannot edit
// them), each named by the errors. Anything else (the code itself does not build, a test file the
// rules leave editable, a runner that never started) is not this case. Pure.

import picomatch from 'picomatch';
import { stripAnsi } from '../views/excerpt.js';

export type UnbuiltRunner = 'go' | 'pytest';

/** The base's test files that failed to build or collect, every one protected. */
export interface UnbuiltTestFiles {
  runner: UnbuiltRunner;
  /** Repository-relative POSIX paths named by the errors. */
  files: string[];
  /** go: each package that failed to build, by its folder ('' for the root) and import path. */
  packages?: Array<{ dir: string; importPath: string }>;
  /** One line per file, in the user's words: "decode_test.go uses d.MaxDepth". */
  causes: string[];
}

export type UnbuiltRecognition = { unbuilt: UnbuiltTestFiles } | { refused: string };

const lines = (output: string) => stripAnsi(output).replace(/\r\n?/g, '\n').split('\n');

/** A path an error names, relative to the workspace, or undefined when it leaves it. */
function relativePath(path: string): string | undefined {
  const p = path.trim().replace(/^\.\//, '');
  if (!p || p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.split('/').includes('..')) return undefined;
  return p;
}

const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

/**
 * Undefined when the output shows no test file that failed to build or collect; `refused` with the
 * reason when it does but that is not all (or not safe) to start a fix from.
 */
export function recogniseUnbuiltTests(output: string, protectedGlobs: string[], workspaceRoots?: string[]): UnbuiltRecognition | undefined {
  const text = lines(output);
  const isProtected = protectedGlobs.length ? picomatch(protectedGlobs, { dot: true }) : () => false;
  return recogniseGo(text, isProtected) ?? recognisePytest(text, isProtected, workspaceRoots);
}

/**
 * Whether the module an ImportError names ("… from 'm' (/w/m.py)") is the workspace's own code, not the standard
 * library's or an installed package's (a name a library lacks is no test written first). No roots known, or no
 * file named (a namespace package's "unknown location"): not decided here.
 */
function importedFromOutside(message: string, roots: string[] | undefined): string | undefined {
  const file = /\((\/[^)]*)\)\s*$/.exec(message)?.[1];
  if (!roots?.length || !file) return undefined;
  const inside = roots.some((r) => file.startsWith(r.endsWith('/') ? r : `${r}/`));
  return inside && !/\/(?:site|dist)-packages\//.test(file) ? undefined : file;
}

function recogniseGo(text: string[], isProtected: (p: string) => boolean): UnbuiltRecognition | undefined {
  const failed = new Set<string>();
  for (const l of text) {
    const m = /^FAIL\s+(\S+)\s+\[(?:build|setup) failed\]\s*$/.exec(l);
    if (m) failed.add(m[1]!);
  }
  if (!failed.size) return undefined;
  const files = new Map<string, { importPath?: string; cause: string }>();
  let pkg: string | undefined;
  for (const l of text) {
    // go vet's findings ("# [example.com/x]" heads them; "vet: x_test.go:…" where vet could not type-check) are
    // a problem vet found in code that compiles, not a test that does not build yet: a candidate cannot fix a protected file's.
    const vet = /^# \[(\S+)\]\s*$/.exec(l)?.[1] ?? (/^vet: /.test(l) ? l.slice(5).trim().slice(0, 160) : undefined);
    if (vet) return { refused: `go vet failed (${vet}), which is not a test that does not build yet` };
    // "# example.com/x [example.com/x.test]": the errors below are the test build of example.com/x.
    const header = /^# (\S+)(?: \[(\S+)\])?\s*$/.exec(l);
    if (header) {
      pkg = header[2] ? header[2].replace(/\.test$/, '') : header[1];
      continue;
    }
    const err = /^(.+?\.go):\d+(?::\d+)?: (.+)$/.exec(l);
    if (!err) continue;
    const path = relativePath(err[1]!);
    if (!path) return { refused: `go test could not build ${err[1]!.trim()}, outside the workspace` };
    if (!files.has(path)) files.set(path, { importPath: pkg, cause: goCause(path, err[2]!) });
  }
  if (!files.size) return { refused: `go test could not build ${[...failed].join(', ')} and named no file that failed: not a test that does not build yet` };
  const refused = refuseFiles([...files.keys()], (p) => p.endsWith('_test.go'), isProtected, 'build');
  if (refused) return refused;
  const packages = new Map<string, string>();
  for (const [path, f] of files) {
    if (!f.importPath || !failed.has(f.importPath)) return { refused: `go test could not build ${path}, which no failed package names` };
    packages.set(dirOf(path), f.importPath);
  }
  // Every package that failed must be one whose failure is a protected test file's, or the code itself may not build.
  const named = new Set(packages.values());
  const other = [...failed].find((p) => !named.has(p));
  if (other) return { refused: `go test could not build ${other} and named no test file of it: the code itself may not build` };
  return {
    unbuilt: {
      runner: 'go',
      files: [...files.keys()],
      packages: [...packages].map(([dir, importPath]) => ({ dir, importPath })),
      causes: [...files.values()].map((f) => f.cause),
    },
  };
}

/** "d.MaxDepth undefined (type …)" and "undefined: MaxDepth" become "decode_test.go uses d.MaxDepth". */
function goCause(path: string, message: string): string {
  const name = /^(\S+) undefined\b/.exec(message)?.[1] ?? /^undefined: (\S+)/.exec(message)?.[1];
  return name ? `${path} uses ${name}` : `${path}: ${message.trim().slice(0, 160)}`;
}

function recognisePytest(text: string[], isProtected: (p: string) => boolean, workspaceRoots: string[] | undefined): UnbuiltRecognition | undefined {
  const sections: Array<{ path: string; body: string[] }> = [];
  let current: { path: string; body: string[] } | undefined;
  for (const l of text) {
    const header = /^_+ ERROR collecting (.+?) _+\s*$/.exec(l);
    if (header) {
      current = { path: header[1]!, body: [] };
      sections.push(current);
      continue;
    }
    if (/^(?:_{3,}|={3,}) /.test(l)) current = undefined;
    else current?.body.push(l);
  }
  if (!sections.length) return undefined;
  const files = new Map<string, string>();
  for (const s of sections) {
    const path = relativePath(s.path);
    if (!path) return { refused: `pytest could not collect ${s.path}, outside the workspace` };
    const errorAt = s.body.findIndex((l) => /^E\s+([\w.]*(?:Error|Exception|Exit)):\s*(.*)$/.test(l));
    const error = errorAt < 0 ? undefined : /^E\s+([\w.]*(?:Error|Exception|Exit)):\s*(.*)$/.exec(s.body[errorAt]!)!;
    const imported = error?.[1] === 'ImportError' ? /^cannot import name '([^']+)'(?: from '([^']+)')?/.exec(error[2]!) : undefined;
    // `mod.name` read at the test module's top level (Python 3.10+ may suggest a name after it) (a class attribute, a decorator's argument): the same test written
    // first, but only when the last frame before the error is the test file itself, not the code it imported.
    const read =
      error?.[1] === 'AttributeError' ? /^module '([^']+)' has no attribute '([^']+)'(?:\. Did you mean: '[^']+'\?)?$/.exec(error[2]!.trim()) : undefined;
    const lastFrame = s.body
      .slice(0, errorAt)
      .map((l) => /^(\S.*?):\d+: in \S/.exec(l)?.[1])
      .filter(Boolean)
      .pop();
    const readByTest = read && lastFrame !== undefined && relativePath(lastFrame) === path;
    // Only a name the test imports or reads and the code does not define yet: a syntax error, a missing module or a crash at import is not a test written first.
    if (!imported && !readByTest)
      return {
        refused: `pytest could not collect ${path} (${error ? `${error[1]}: ${error[2]!.slice(0, 160)}` : 'no error line'}): only a test that imports or reads a name the code does not define yet (ImportError: cannot import name; AttributeError: module … has no attribute, in the test file) starts a fix`,
      };
    const outside = imported ? importedFromOutside(error![2]!, workspaceRoots) : undefined;
    if (outside)
      return {
        refused: `pytest could not collect ${path}: it imports ${imported![1]} from ${outside}, outside the workspace's own code (a name a library does not define is not a test written first)`,
      };
    if (!files.has(path))
      files.set(
        path,
        imported
          ? `${path} imports ${imported[1]}${imported[2] ? ` from ${imported[2]}` : ''}, which the code does not define`
          : `${path} uses ${read![1]}.${read![2]}, which the code does not define`,
      );
  }
  const refused = refuseFiles([...files.keys()], (p) => p.endsWith('.py'), isProtected, 'collect');
  if (refused) return refused;
  return { unbuilt: { runner: 'pytest', files: [...files.keys()], causes: [...files.values()] } };
}

function refuseFiles(
  paths: string[],
  isTestFile: (p: string) => boolean,
  isProtected: (p: string) => boolean,
  verb: 'build' | 'collect',
): { refused: string } | undefined {
  const notTest = paths.find((p) => !isTestFile(p));
  if (notTest) return { refused: `the base could not ${verb} ${notTest}, which is not a test file: the code itself does not ${verb}` };
  const open = paths.find((p) => !isProtected(p));
  if (open)
    return {
      refused: `the base could not ${verb} ${open}, which the run's protected paths do not cover: a candidate could rewrite the test it is held to (list it under "protected" in ouro.config.json)`,
    };
  return undefined;
}
