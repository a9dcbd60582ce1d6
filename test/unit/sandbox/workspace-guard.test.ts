// The workspace guard with real git and a real filesystem, no sandbox: what a
// run leaves behind is found, named and removed, a worker that died mid-run is
// caught by the next guard, and the sandbox is told only what to mount. The
// sandbox's own containment is test/e2e's (sandbox.test.ts, gate-integrity.test.ts).
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceMounts } from '../../../adapters/sandbox/sandbox.js';
import { guardWorkspace, markRunUnderWay, POISON_DEATHS, verifyWorkspace } from '../../../adapters/workspace-guard/guard.js';

let scratch: string;
let deps: string;
let count = 0;

const git = async (cwd: string, ...args: string[]) => (await execa('git', args, { cwd })).stdout;
const DURING = 'during its run';
const EARLIER = 'before its run (left by an earlier run in this workspace)';

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ouro-guard-test-'));
  deps = join(scratch, 'shared-deps');
  await mkdir(deps);
  await writeFile(join(deps, 'lib.js'), 'module.exports = 1;\n');
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A committed repository (src/a.ts, data/golden.txt, vitest.config.ts), a patch-added file, and node_modules linked to shared deps. */
async function workspace(): Promise<string> {
  const dir = join(scratch, `ws-${count++}`);
  await mkdir(join(dir, 'src'), { recursive: true });
  await mkdir(join(dir, 'data'));
  await writeFile(join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
  await writeFile(join(dir, 'data', 'golden.txt'), 'golden\n');
  await writeFile(join(dir, 'vitest.config.ts'), 'export default {};\n');
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'add', '-A');
  await git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
  await writeFile(join(dir, 'src', 'added.ts'), 'export const added = 2;\n');
  await symlink(deps, join(dir, 'node_modules'));
  return dir;
}

const PROTECTED = ['vitest.config.*', '**/*.test.ts'];

describe('the workspace guard', () => {
  it('a run that leaves the workspace as it was given has nothing to report, and its workspace is settled', async () => {
    const dir = await workspace();
    await mkdir(join(dir, 'there-before'));
    const guard = await guardWorkspace(dir, PROTECTED);
    expect(guard.poison).toBeUndefined();
    expect(guard.record.extras).toEqual(['there-before']);
    // As root the workspace is frozen: folders open to create in (sticky), nothing of it the run's to change.
    if (process.getuid?.() === 0) expect((await stat(join(dir, 'src'))).mode & 0o7777).toBe(0o1777);
    expect(guard.before).toEqual([]);
    expect(guard.added).toEqual(['src/added.ts']);
    expect([...guard.links]).toEqual([['node_modules', deps]]);
    expect(guard.protectedFiles).toEqual(['vitest.config.ts']);
    expect([...guard.files].sort()).toEqual(['data/golden.txt', 'src/a.ts', 'src/added.ts', 'vitest.config.ts']);
    expect(await verifyWorkspace(dir, guard)).toEqual([]);
    const record = JSON.parse(await readFile(join(dir, '.git', 'ouro-guard.json'), 'utf8')) as { settled: boolean; deaths: number; tree: string };
    expect(record).toMatchObject({ settled: true, deaths: 0, tree: guard.tree });
    expect(existsSync(join(dir, 'src', 'added.ts'))).toBe(true);
    expect(existsSync(join(dir, 'there-before'))).toBe(true);
  });

  it('what a run creates is judged and removed: a protected path, a link leading out, junk', async () => {
    const dir = await workspace();
    const guard = await guardWorkspace(dir, PROTECTED);
    await writeFile(join(dir, 'src', 'a.test.ts'), 'planted\n');
    await symlink('/etc', join(dir, 'src', 'out'));
    await symlink('a.ts', join(dir, 'src', 'inside'));
    await mkdir(join(dir, 'cache', 'deep'), { recursive: true });
    await writeFile(join(dir, 'cache', 'deep', 'x'), 'x');
    await mkdir(join(dir, 'empty'));
    const violations = await verifyWorkspace(dir, guard);
    expect(violations).toEqual([`created the protected path src/a.test.ts ${DURING}`, `created src/out, a link leading out of the workspace ${DURING}`]);
    expect(guard.created.sort()).toEqual(['cache/deep/x', 'src/a.test.ts', 'src/inside', 'src/out']);
    for (const gone of ['src/a.test.ts', 'src/out', 'src/inside', 'cache', 'empty']) expect(existsSync(join(dir, gone))).toBe(false);
    expect(existsSync(join(dir, 'src', 'added.ts'))).toBe(true);
    expect((await lstat(join(dir, 'node_modules'))).isSymbolicLink()).toBe(true);
  });

  it("a path the base's test run looked for may not be created; a protected one the base created may; the base's own run is not judged", async () => {
    const probes = { absent: ['jest.config.js'], perFolder: [], deniedWrites: [], truncated: false, created: ['Cargo.lock'] };
    const dir = await workspace();
    const guard = await guardWorkspace(dir, { protectedGlobs: [...PROTECTED, 'Cargo.lock'], probes });
    await writeFile(join(dir, 'jest.config.js'), '');
    await writeFile(join(dir, 'Cargo.lock'), '');
    expect(await verifyWorkspace(dir, guard)).toEqual([
      `created jest.config.js, a path the base's test run looks for (runner configuration, setup, snapshots and module resolution are the base's) ${DURING}`,
    ]);
    const base = await guardWorkspace(await workspace(), { protectedGlobs: PROTECTED, reference: true });
    await writeFile(join(base.dir, 'vitest.config.mts'), '');
    expect(await verifyWorkspace(base.dir, base)).toEqual([]);
    expect(base.created).toEqual(['vitest.config.mts']);
  });

  it('a changed file of the workspace is named; a file the tests may write is put back instead, unless swapped for a link', async () => {
    const dir = await workspace();
    const guard = await guardWorkspace(dir, { protectedGlobs: PROTECTED, writable: ['data/*'] });
    expect([...guard.writable]).toEqual(['data/golden.txt']);
    await writeFile(join(dir, 'src', 'a.ts'), 'export const a = 2;\n');
    await writeFile(join(dir, 'data', 'golden.txt'), 'rewritten\n');
    expect(await verifyWorkspace(dir, guard)).toEqual([
      `changed src/a.ts ${DURING} (every file of the workspace is an input of the evaluation and stays as applied)`,
    ]);
    expect(await readFile(join(dir, 'data', 'golden.txt'), 'utf8')).toBe('golden\n');
    await writeFile(join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
    await unlink(join(dir, 'data', 'golden.txt'));
    await symlink('/etc/hostname', join(dir, 'data', 'golden.txt'));
    expect(await verifyWorkspace(dir, guard)).toEqual([`replaced data/golden.txt, a file the tests may write, with a link ${DURING}`]);
    expect((await lstat(join(dir, 'data', 'golden.txt'))).isFile()).toBe(true);
  });

  it('a replaced dependency link is named', async () => {
    const dir = await workspace();
    const guard = await guardWorkspace(dir, PROTECTED);
    await unlink(join(dir, 'node_modules'));
    await symlink(join(scratch), join(dir, 'node_modules'));
    expect((await verifyWorkspace(dir, guard))[0]).toBe(`replaced node_modules (a shared dependency link) ${DURING}`);
  });

  it('a run whose worker died before its check is judged by the next guard, reported once, and removed', async () => {
    const dir = await workspace();
    await guardWorkspace(dir, PROTECTED);
    await writeFile(join(dir, 'vitest.config.mts'), 'planted\n');
    const next = await guardWorkspace(dir, PROTECTED);
    expect(next.before).toEqual([`created the protected path vitest.config.mts ${EARLIER}`]);
    expect(existsSync(join(dir, 'vitest.config.mts'))).toBe(false);
    expect(await verifyWorkspace(dir, next)).toEqual([`created the protected path vitest.config.mts ${EARLIER}`]);
    expect((await guardWorkspace(dir, PROTECTED)).before).toEqual([]);
  });

  it(`a workspace whose runs died ${POISON_DEATHS} times in a row is poison; a run that reaches its check resets the count`, async () => {
    const dir = await workspace();
    for (let death = 0; death < POISON_DEATHS; death++) expect((await guardWorkspace(dir, PROTECTED)).poison).toBeUndefined();
    expect((await guardWorkspace(dir, PROTECTED)).poison).toMatch(new RegExp(`worker gone ${POISON_DEATHS} times in a row .*dropped`));
    const again = await workspace();
    for (let death = 0; death < POISON_DEATHS - 1; death++) await guardWorkspace(again, PROTECTED);
    await verifyWorkspace(again, await guardWorkspace(again, PROTECTED));
    expect((await guardWorkspace(again, PROTECTED)).poison).toBeUndefined();
  });

  it('a run marked under way after a settled one is checked whole by the next guard if its worker dies', async () => {
    const dir = await workspace();
    const guard = await guardWorkspace(dir, PROTECTED);
    await verifyWorkspace(dir, guard);
    const second = await guardWorkspace(dir, PROTECTED);
    await verifyWorkspace(dir, second);
    await markRunUnderWay(second);
    await writeFile(join(dir, 'src', 'b.test.ts'), 'planted\n');
    const next = await guardWorkspace(dir, PROTECTED);
    expect(next.record.deaths).toBe(1);
    expect(next.before).toEqual([`created the protected path src/b.test.ts ${EARLIER}`]);
  });

  it('the sandbox is handed the guard as what to mount, nothing more', async () => {
    const guard = await guardWorkspace(await workspace(), { protectedGlobs: PROTECTED, writable: ['data/**'] });
    const mounts: WorkspaceMounts = guard;
    expect({ links: [...mounts.links.keys()], protectedFiles: mounts.protectedFiles, writable: [...mounts.writable] }).toEqual({
      links: ['node_modules'],
      protectedFiles: ['vitest.config.ts'],
      writable: ['data/golden.txt'],
    });
  });

  it('a workspace moved to another commit on purpose is recorded anew', async () => {
    const dir = await workspace();
    const first = await guardWorkspace(dir, PROTECTED);
    await verifyWorkspace(dir, first);
    await git(dir, 'add', 'src/added.ts');
    await git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'safe.directory=*', 'commit', '-qm', 'integrated');
    const moved = await guardWorkspace(dir, PROTECTED);
    expect(moved.added).toEqual([]);
    expect(moved.tree).toBe(first.tree);
    expect(moved.record.head).not.toBe(first.record.head);
  });
});
