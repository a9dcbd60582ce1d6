// An editable install (pip install -e) of the project being improved makes
// the venv import the package from the user's checkout, wherever the tests
// run: every candidate would be tested against the user's files, never its
// own. The marks pip and setuptools leave in site-packages name that folder:
// a __editable__*.pth (a path, or a finder whose MAPPING holds paths), an
// *.egg-link, a dist-info's direct_url.json with dir_info.editable. Pure: the
// caller reads those files.

export interface SitePackagesFile {
  /** Relative to site-packages: `__editable__.pkg-1.0.pth`, `pkg.egg-link`, `pkg-1.0.dist-info/direct_url.json`, `__editable___pkg_finder.py`. */
  name: string;
  text: string;
}

const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir.replace(/\/+$/, '')}/`);

/** The folders each editable mark points at. */
function pointsAt(f: SitePackagesFile): string[] {
  const base = f.name.split('/').pop() ?? '';
  if (base.endsWith('.egg-link'))
    return f.text
      .split('\n')
      .slice(0, 1)
      .map((l) => l.trim());
  if (base.startsWith('__editable__') && base.endsWith('.pth'))
    return f.text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('/'));
  if (base.startsWith('__editable__') && base.endsWith('finder.py')) {
    const mapping = /MAPPING\s*(?::[^=]*)?=\s*\{([^}]*)\}/.exec(f.text)?.[1] ?? '';
    return [...mapping.matchAll(/:\s*['"](\/[^'"]+)['"]/g)].map((m) => m[1]!);
  }
  if (base === 'direct_url.json') {
    try {
      const d = JSON.parse(f.text) as { url?: unknown; dir_info?: { editable?: unknown } };
      if (d.dir_info?.editable !== true || typeof d.url !== 'string' || !d.url.startsWith('file://')) return [];
      return [decodeURIComponent(d.url.slice('file://'.length))];
    } catch {
      return [];
    }
  }
  return [];
}

/** The editable marks that point into the checkout, by file name (sorted, each once). */
export function editableFromCheckout(files: readonly SitePackagesFile[], checkout: string): string[] {
  return [...new Set(files.filter((f) => pointsAt(f).some((p) => p && under(p, checkout))).map((f) => f.name))].sort();
}

/** The one-line warning for a venv whose editable install points into the checkout. */
export function editableWarning(venv: string, checkout: string, marks: readonly string[]): string {
  return `${venv} has an editable install from your checkout ${checkout} (${marks.slice(0, 2).join(', ')}): the tests would import your files, not each candidate's; install it without -e, or run the tests so that they import from the repository (python -m pytest from its root)`;
}
