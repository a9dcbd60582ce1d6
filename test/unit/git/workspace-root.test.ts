import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workspaceRoot } from '../../../adapters/git/worktrees.js';
import { defaultWorkspaceRoot, ensurePrivateDir, resolveWorkspaceRoot } from '../../../adapters/git/workspace-root.js';

const scratch = mkdtempSync(join(tmpdir(), 'ouro-wsroot-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the workspace root', () => {
  it('is private to the user and the instance by default, never the shared /tmp/ouro-workspaces, and made 0700', () => {
    const saved = process.env.OURO_WORKSPACE_ROOT;
    delete process.env.OURO_WORKSPACE_ROOT;
    try {
      const root = workspaceRoot();
      expect(root).not.toBe(join(tmpdir(), 'ouro-workspaces'));
      expect(root.startsWith(join(tmpdir(), `ouro-${process.getuid?.() ?? 0}`) + '/')).toBe(true);
      expect(statSync(root).mode & 0o777).toBe(0o700);
      expect(statSync(join(root, '..')).mode & 0o777).toBe(0o700);
    } finally {
      if (saved !== undefined) process.env.OURO_WORKSPACE_ROOT = saved;
    }
  });

  it('differs between two checkouts of Ouro and between two users', () => {
    expect(defaultWorkspaceRoot('/a/ouro', 1000)).not.toBe(defaultWorkspaceRoot('/b/ouro', 1000));
    expect(defaultWorkspaceRoot('/a/ouro', 1000)).not.toBe(defaultWorkspaceRoot('/a/ouro', 1001));
    expect(defaultWorkspaceRoot('/a/ouro', 1000)).toBe(defaultWorkspaceRoot('/a/ouro', 1000));
  });

  it('OURO_WORKSPACE_ROOT still overrides it', () => {
    expect(resolveWorkspaceRoot({ OURO_WORKSPACE_ROOT: join(scratch, 'mine') })).toBe(join(scratch, 'mine'));
  });

  it('refuses a folder open to others or a link planted in its place', () => {
    const open = join(scratch, 'open');
    mkdirSync(open);
    chmodSync(open, 0o755);
    expect(() => ensurePrivateDir(open)).toThrow(/open to others \(mode 755\)/);
    const target = join(scratch, 'target');
    mkdirSync(target, { mode: 0o700 });
    symlinkSync(target, join(scratch, 'planted'));
    expect(() => ensurePrivateDir(join(scratch, 'planted'))).toThrow(/not a folder/);
    const fresh = join(scratch, 'fresh', 'inner');
    ensurePrivateDir(fresh);
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
  });
});
