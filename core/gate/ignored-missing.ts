// A base that fails for want of a file git does not hold: a generated,
// git-ignored module (hatch-vcs's _version.py, setuptools-scm's) that exists
// in the user's checkout but not in a fresh workspace. The failure reads as a
// broken import; this says what is missing and which flag supplies it. Pure:
// the activity asks git which of the names are ignored in the checkout.

/** Module paths and file paths the output says could not be found, as repository-relative candidates. */
export function missingNames(output: string): { modules: string[]; files: string[] } {
  const modules = new Set<string>();
  const files = new Set<string>();
  for (const m of output.matchAll(/No module named ['"]([\w.]+)['"]/g)) modules.add(m[1]!);
  // ImportError: cannot import name 'version' from 'pkg._version' (…): the module is there, or is the thing missing.
  for (const m of output.matchAll(/cannot import name ['"]\w+['"] from ['"]([\w.]+)['"]/g)) modules.add(m[1]!);
  for (const m of output.matchAll(/No such file or directory:? ['"]?([^'"\s:]+)['"]?/g)) {
    const f = m[1]!;
    if (!f.startsWith('/') && !f.split('/').includes('..')) files.add(f.replace(/^\.\//, ''));
  }
  return { modules: [...modules].slice(0, 20), files: [...files].slice(0, 20) };
}

/** The files that would provide the missing names: each module as a .py file or a package, at any depth (src/ layouts). */
export function missingFileGlobs(output: string): string[] {
  const { modules, files } = missingNames(output);
  const globs = new Set<string>();
  for (const mod of modules) {
    const parts = mod.split('.');
    // The missing module may be any prefix of the dotted name (pkg._version.x: pkg/_version.py is the file).
    for (let i = parts.length; i >= 1; i--) {
      const path = parts.slice(0, i).join('/');
      globs.add(`**/${path}.py`);
      globs.add(`**/${path}/__init__.py`);
    }
  }
  for (const f of files) globs.add(`**/${f}`);
  return [...globs];
}

/** One line per ignored file the base needed (at most three named), or undefined when there is none. */
export function ignoredMissingReason(paths: readonly string[]): string | undefined {
  if (paths.length === 0) return undefined;
  const named = paths.slice(0, 3);
  const list = named.join(', ');
  const more = paths.length > named.length ? ` (and ${paths.length - named.length} more)` : '';
  const verb = named.length === 1 ? 'is' : 'are';
  return `${list}${more} ${verb} git-ignored in your checkout and missing in the workspace: pass ${named.map((p) => `--copy ${p}`).join(' ')}`;
}
