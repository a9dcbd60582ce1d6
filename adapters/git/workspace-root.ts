import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';

// Workspaces hold candidates' code and the base's record. Under one folder
// shared by every user and every Ouro checkout of the host (the old
// /tmp/ouro-workspaces), another instance's cleanup could remove a workspace
// mid-run, and another user could plant or read one. The default is private:
// <tmp>/ouro-<uid>/<hash of this checkout>, each level made 0700 and refused
// when it is a link, someone else's, or open to others. $XDG_RUNTIME_DIR is
// not used: it lies under /run, which the sandbox hides.

/** The folder a default workspace root lives in: one per user. */
export function userWorkspaceParent(uid = process.getuid?.() ?? 0, base = tmpdir()): string {
  return join(base, `ouro-${uid}`);
}

/** The default root for this checkout of Ouro: one per user and instance. */
export function defaultWorkspaceRoot(projectRoot = PROJECT_ROOT, uid = process.getuid?.() ?? 0, base = tmpdir()): string {
  const instance = createHash('sha256').update(projectRoot).digest('hex').slice(0, 12);
  return join(userWorkspaceParent(uid, base), instance);
}

/** Makes `dir` a folder private to this user, or says why it cannot be trusted. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  const why = !st.isDirectory()
    ? 'it is not a folder (a link?)'
    : uid !== undefined && st.uid !== uid
      ? `it belongs to uid ${st.uid}, not ${uid}`
      : (st.mode & 0o077) !== 0
        ? `it is open to others (mode ${(st.mode & 0o777).toString(8)})`
        : undefined;
  if (why) throw new Error(`refusing the workspace folder ${dir}: ${why}; remove it, or set OURO_WORKSPACE_ROOT`);
}

const prepared = new Set<string>();

/** OURO_WORKSPACE_ROOT as given; else the private default, created (and checked) once per process. */
export function resolveWorkspaceRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OURO_WORKSPACE_ROOT) return env.OURO_WORKSPACE_ROOT;
  const root = defaultWorkspaceRoot();
  if (!prepared.has(root)) {
    ensurePrivateDir(userWorkspaceParent());
    ensurePrivateDir(root);
    prepared.add(root);
  }
  return root;
}
