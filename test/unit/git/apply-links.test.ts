// The apply activity, with real git, on replies that would write through a symbolic link: a folder
// the base tracks as a link (to another folder of the repository or out of it), a file that is a
// link, and the folders linked from the user's checkout (node_modules, --link). Each is refused
// before anything is written, and what the link points at is untouched.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCandidate } from '../../../activities/git/workspace.js';
import type { ApplyRequest } from '../../../core/contracts/git.js';

let scratch: string;
let repo: string;
let victim: string;
let baseSha: string;
const saved = process.env.OURO_WORKSPACE_ROOT;
const git = async (cwd: string, ...args: string[]) => (await execa('git', args, { cwd })).stdout;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ouro-apply-links-'));
  repo = join(scratch, 'repo');
  victim = join(scratch, 'outside');
  await mkdir(victim, { recursive: true });
  await writeFile(join(victim, 'keep.py'), 'KEEP = 1\n');
  await mkdir(join(repo, 'src'), { recursive: true });
  await writeFile(join(repo, 'src/big.py'), 'def f(x):\n    return x\n');
  await symlink('src', join(repo, 'lib'));
  await symlink(victim, join(repo, 'out'));
  await symlink('src/big.py', join(repo, 'alias.py'));
  await git(repo, 'init', '-q', '-b', 'main');
  await git(repo, 'add', '-A');
  await git(repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
  baseSha = await git(repo, 'rev-parse', 'HEAD');
  // The user's own dependencies and a --link folder: untracked, linked into every candidate's worktree.
  await mkdir(join(repo, 'node_modules/pkg'), { recursive: true });
  await writeFile(join(repo, 'node_modules/pkg/index.js'), 'module.exports = 1;\n');
  await mkdir(join(repo, 'vendor'), { recursive: true });
  await writeFile(join(repo, 'vendor/lib.py'), 'V = 1\n');
  process.env.OURO_WORKSPACE_ROOT = join(scratch, 'workspaces');
});

afterAll(async () => {
  if (saved === undefined) delete process.env.OURO_WORKSPACE_ROOT;
  else process.env.OURO_WORKSPACE_ROOT = saved;
  await rm(scratch, { recursive: true, force: true });
});

let n = 0;
const apply = (reply: string, linkPaths: string[] = ['node_modules']) => {
  const req: ApplyRequest = {
    repo,
    runId: 'links',
    baseSha,
    candidateId: `c${++n}`,
    reply,
    format: 'whole-file',
    allowed: ['**'],
    protectedPaths: [],
    linkPaths,
  };
  return applyCandidate(req);
};
const whole = (path: string, content = 'HACKED = True\n') => `${path}\n\`\`\`\n${content}\`\`\`\n`;
const worktree = (id: number, path: string) => join(scratch, 'workspaces', 'links', `c${id}`, path);

describe('applying a reply that would write through a symbolic link', () => {
  it('refuses a folder the base tracks as a link to another folder, and writes nothing', async () => {
    const out = await apply(whole('lib/big.py'));
    expect(out).toEqual({ ok: false, status: 'refused', message: 'lib/big.py: lib is a symbolic link in the base; Ouro does not write through links' });
    expect(await readFile(worktree(n, 'src/big.py'), 'utf8')).toBe('def f(x):\n    return x\n');
  });

  it('refuses a folder the base tracks as a link out of the repository; the outside is untouched', async () => {
    for (const path of ['out/keep.py', 'out/new.py', 'out/deeper/new.py']) {
      const out = await apply(whole(path));
      expect(out).toMatchObject({ ok: false, status: 'refused', message: expect.stringContaining('out is a symbolic link in the base') });
    }
    expect(await readFile(join(victim, 'keep.py'), 'utf8')).toBe('KEEP = 1\n');
    expect(existsSync(join(victim, 'new.py'))).toBe(false);
    expect(existsSync(join(victim, 'deeper'))).toBe(false);
  });

  it('refuses a file that is itself a link', async () => {
    expect(await apply(whole('alias.py'))).toEqual({
      ok: false,
      status: 'refused',
      message: 'alias.py: is a symbolic link in the base; Ouro does not write through links',
    });
    expect(await readFile(join(repo, 'src/big.py'), 'utf8')).toBe('def f(x):\n    return x\n');
  });

  it('checks every file before writing any: a good file beside a linked one is not written either', async () => {
    const out = await apply(`${whole('src/ok.py')}\n${whole('out/new.py')}`);
    expect(out).toMatchObject({ ok: false, status: 'refused' });
    expect(existsSync(worktree(n, 'src/ok.py'))).toBe(false);
  });

  it("refuses the folders linked from the user's checkout, whatever --files allows; the user's files are untouched", async () => {
    const cases: Array<[string, string[]]> = [
      ['node_modules/pkg/index.js', ['node_modules']],
      ['node_modules/new/index.js', ['node_modules']],
      ['vendor/lib.py', ['node_modules', 'vendor/']],
      ['vendor/new.py', ['vendor']],
    ];
    for (const [path, links] of cases) {
      const out = await apply(whole(path), links);
      expect(out).toMatchObject({ ok: false, status: 'refused', message: expect.stringMatching(/protected \(matches '(node_modules|vendor)/) });
    }
    expect(await readFile(join(repo, 'node_modules/pkg/index.js'), 'utf8')).toBe('module.exports = 1;\n');
    expect(existsSync(join(repo, 'node_modules/new'))).toBe(false);
    expect(await readFile(join(repo, 'vendor/lib.py'), 'utf8')).toBe('V = 1\n');
    expect(existsSync(join(repo, 'vendor/new.py'))).toBe(false);
  });

  it('still applies an ordinary file beside the links', async () => {
    expect(await apply(whole('src/big.py', 'def f(x):\n    return x + 1\n'))).toMatchObject({ ok: true, changed: ['src/big.py'] });
  });
});
