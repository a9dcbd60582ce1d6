import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildRunInput, RepoConfigSchema } from '../../../core/run/input.js';
import { copyEntry, splitLinkPaths, workspacePathProblem } from '../../../core/run/workspace-files.js';

const REQUIRED = { repo: '/home/dev/pkg', goal: 'g', files: 'src/**', test: 'python -m pytest' };

describe('--link and --copy', () => {
  it('adds --link paths to linkPaths and --copy globs as copies, config and flags together', () => {
    const input = buildRunInput({ ...REQUIRED, link: ['.venv'], copy: ['src/pkg/_version.py'] }, { linkPaths: ['node_modules'], copy: ['gen/*.json'] }, {});
    expect(splitLinkPaths(input.linkPaths)).toEqual({ links: ['node_modules', '.venv'], copies: ['gen/*.json', 'src/pkg/_version.py'] });
    expect(input.linkPaths).toContain(copyEntry('src/pkg/_version.py'));
  });

  it('keeps the default link and the config alone when no flag is given', () => {
    expect(buildRunInput(REQUIRED, {}, {}).linkPaths).toEqual(['node_modules']);
    expect(splitLinkPaths(buildRunInput(REQUIRED, RepoConfigSchema.parse({ copy: 'a.py,b.py' }), {}).linkPaths).copies).toEqual(['a.py', 'b.py']);
    expect(RepoConfigSchema.parse({ copy: ['src/pkg/_version.py'] }).copy).toEqual(['src/pkg/_version.py']);
  });

  // Hostile or malformed paths: each refused with its reason.
  const BAD = ['/etc/passwd', '../other/secret', 'src/../../x', '.git/config', '.git', 'copy:x', 'C:/x', 'a\0b', 'a\nb'];
  it.each(BAD)('refuses %j as a --copy glob, a --link path and a config entry', (bad) => {
    expect(workspacePathProblem(bad)).toBeDefined();
    expect(() => buildRunInput({ ...REQUIRED, copy: [bad] }, {}, {})).toThrow(z.ZodError);
    expect(() => buildRunInput({ ...REQUIRED, link: [bad] }, {}, {})).toThrow(z.ZodError);
    expect(RepoConfigSchema.safeParse({ copy: [bad] }).success).toBe(false);
  });

  it('accepts ordinary paths and globs', () => {
    for (const ok of ['src/pkg/_version.py', '**/_version.py', '.venv', 'gen/*.json', 'a..b/c']) expect(workspacePathProblem(ok)).toBeUndefined();
  });
});
