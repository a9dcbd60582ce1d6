// buildRepoMap on a real git repository: the files of the commit asked for (not the working
// tree), vendored and binary files left out, and the map cached per commit.
import { execa } from 'execa';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepoMap, buildRepoMapWithReport } from '../../../adapters/repo-map/index.js';
import { MAP_FORMAT } from '../../../adapters/repo-map/cache.js';

let scratch: string;
let repo: string;
let cacheDir: string;
let first: string;
let second: string;
const git = async (...args: string[]) => (await execa('git', args, { cwd: repo })).stdout;
const commit = async (message: string) => {
  await git('add', '-A');
  await git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', message);
  return git('rev-parse', 'HEAD');
};

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ouro-repo-map-test-'));
  repo = join(scratch, 'repo');
  cacheDir = join(scratch, 'cache');
  await mkdir(join(repo, 'src'), { recursive: true });
  await mkdir(join(repo, 'node_modules', 'dep'), { recursive: true });
  await git('init', '-q', '-b', 'main');
  await writeFile(join(repo, 'src', 'version.py'), 'def parse_version(text):\n    return text.split(".")\n');
  await writeFile(join(repo, 'src', 'image.js'), Buffer.from([0x47, 0x49, 0x46, 0, 0, 1, 2, 0]));
  await writeFile(join(repo, 'node_modules', 'dep', 'index.js'), 'export function vendored() {}\n');
  await writeFile(join(repo, 'notes.md'), '# notes\n');
  first = await commit('first');
  await writeFile(
    join(repo, 'src', 'compare.py'),
    'from .version import parse_version\n\ndef compare(a, b):\n    return parse_version(a) < parse_version(b)\n',
  );
  second = await commit('second');
  // Uncommitted work is not the commit's: the map never reads it.
  await writeFile(join(repo, 'src', 'draft.py'), 'def unsaved(): pass\n');
});
afterAll(async () => rm(scratch, { recursive: true, force: true }));

describe('buildRepoMap', () => {
  it('maps the commit asked for, leaving out vendored, binary and unknown files', async () => {
    const { map, skipped } = await buildRepoMapWithReport(repo, first, { cacheDir: null });
    expect(map.commit).toBe(first);
    expect(map.files.map((f) => f.path)).toEqual(['src/version.py']);
    expect(skipped).toEqual({ 'vendored or built': 1, binary: 1 });
  });

  it('resolves HEAD and reads the later commit, not the working tree', async () => {
    const map = await buildRepoMap(repo, 'HEAD', { cacheDir: null });
    expect(map.commit).toBe(second);
    expect(map.files.map((f) => f.path)).toEqual(['src/compare.py', 'src/version.py']);
    expect(map.files[0]?.references).toContain('parse_version');
  });

  it('caches one JSON file per commit, and reads it back the next time', async () => {
    const built = await buildRepoMapWithReport(repo, second, { cacheDir });
    expect(built.fromCache).toBe(false);
    expect(await readdir(cacheDir)).toEqual([`${second}.json`]);
    const again = await buildRepoMapWithReport(repo, second, { cacheDir });
    expect(again.fromCache).toBe(true);
    expect(again.map).toEqual(built.map);
  });

  it('a corrupt cache file is rebuilt, not trusted', async () => {
    await writeFile(join(cacheDir, `${first}.json`), '{"format": 4, "commit": "');
    const r = await buildRepoMapWithReport(repo, first, { cacheDir });
    expect(r.fromCache).toBe(false);
    expect(r.map.files.map((f) => f.path)).toEqual(['src/version.py']);
  });

  it("a cached map's test flags follow today's test-path rule, not the one it was built with", async () => {
    const file = (path: string, isTest: boolean) => ({ path, language: 'python', definitions: [], references: [], isTest });
    const stale = {
      format: MAP_FORMAT,
      commit: first,
      files: [file('src/version.py', true), file('tests/conftest.py', true), file('tests/test_version.py', false)],
    };
    await writeFile(join(cacheDir, `${first}.json`), JSON.stringify(stale));
    const r = await buildRepoMapWithReport(repo, first, { cacheDir });
    expect(r.fromCache).toBe(true);
    expect(r.map.files.map((f) => [f.path, f.isTest])).toEqual([
      ['src/version.py', false],
      ['tests/conftest.py', false],
      ['tests/test_version.py', true],
    ]);
  });

  it('an unknown commit is an error that names it', async () => {
    await expect(buildRepoMap(repo, 'no-such-ref', { cacheDir: null })).rejects.toThrow(/no-such-ref/);
  });
});
