import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { absoluteWords } from '../../core/sandbox/command-tools.js';
import { editableFromCheckout, editableWarning, type SitePackagesFile } from '../../core/sandbox/editable-installs.js';

// Before a run starts: the venvs the test command or PATH names, searched for
// an editable install of the checkout (core/sandbox/editable-installs.ts).

const list = (dir: string) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};
const read = (p: string) => {
  try {
    return statSync(p).size < 64 * 1024 ? readFileSync(p, 'utf8') : '';
  } catch {
    return '';
  }
};

/** The environment (a venv or conda env) a folder of programs belongs to. */
function envRoot(binDir: string): string | undefined {
  const root = dirname(binDir);
  return existsSync(join(root, 'pyvenv.cfg')) || existsSync(join(root, 'conda-meta')) ? root : undefined;
}

function sitePackagesFiles(root: string): SitePackagesFile[] {
  const out: SitePackagesFile[] = [];
  for (const py of list(join(root, 'lib')).filter((d) => d.startsWith('python'))) {
    const site = join(root, 'lib', py, 'site-packages');
    for (const name of list(site)) {
      if (name.endsWith('.egg-link') || (name.startsWith('__editable__') && (name.endsWith('.pth') || name.endsWith('finder.py'))))
        out.push({ name, text: read(join(site, name)) });
      else if (name.endsWith('.dist-info') && existsSync(join(site, name, 'direct_url.json')))
        out.push({ name: `${name}/direct_url.json`, text: read(join(site, name, 'direct_url.json')) });
    }
  }
  return out;
}

/** One warning per venv named by `command` or `path` whose editable install points into `checkout`. */
export function editableInstallWarnings(command: string, path: string, checkout: string): string[] {
  const dirs = [...absoluteWords(command).map((w) => dirname(w)), ...path.split(':').filter((p) => p.startsWith('/'))];
  const roots = [...new Set(dirs.map(envRoot).filter((r): r is string => !!r))];
  const warnings: string[] = [];
  for (const root of roots) {
    const marks = editableFromCheckout(sitePackagesFiles(root), checkout);
    if (marks.length) warnings.push(editableWarning(root, checkout, marks));
  }
  return warnings;
}
