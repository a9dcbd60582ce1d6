import { describe, expect, it } from 'vitest';
import { foldersOf, probedAdditions, probesFromTrace } from '../../../core/gate/file-probes.js';

const WS = '/tmp/ouro-workspaces/run/base';
const log = [
  `101 openat(AT_FDCWD<${WS}>, "${WS}/vitest.config.mts", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)`,
  `101 statx(AT_FDCWD<${WS}>, "${WS}/test/__snapshots__/sum.test.ts.snap", AT_STATX_SYNC_AS_STAT, STATX_ALL, 0x7ffd) = -1 ENOENT (No such file or directory)`,
  `102 access(".npmrc", R_OK) = -1 ENOENT (No such file or directory)`,
  `102 openat(AT_FDCWD<${WS}>, ".npmrc", O_RDONLY <unfinished ...>`,
  `103 newfstatat(AT_FDCWD<${WS}>, "${WS}/src/package.json", 0x7ffc, 0) = -1 ENOENT (No such file or directory)`,
  `102 <... openat resumed>) = -1 ENOENT (No such file or directory)`,
  `103 newfstatat(AT_FDCWD<${WS}>, "${WS}/test/package.json", 0x7ffc, 0) = -1 ENOENT (No such file or directory)`,
  `103 openat(7<${WS}/src>, "sum.js", O_RDONLY) = -1 ENOENT (No such file or directory)`,
  `103 openat(AT_FDCWD<${WS}>, "${WS}/src/sum.ts", O_RDONLY) = 21<${WS}/src/sum.ts>`,
  `103 openat(AT_FDCWD<${WS}>, "${WS}/node_modules/vitest/x.js", O_RDONLY) = -1 ENOENT (No such file or directory)`,
  `103 openat(AT_FDCWD<${WS}>, "/usr/lib/locale/locale-archive", O_RDONLY) = -1 ENOENT (No such file or directory)`,
  `104 openat(AT_FDCWD<${WS}>, "${WS}/test/golden.txt", O_WRONLY|O_CREAT|O_TRUNC, 0666) = -1 EACCES (Permission denied)`,
  `104 openat(AT_FDCWD<${WS}>, "${WS}/test/golden.txt", O_RDONLY) = 5<${WS}/test/golden.txt>`,
  `104 unlink("${WS}/src/data.json") = -1 EPERM (Operation not permitted)`,
  `104 openat(AT_FDCWD<${WS}>, "${WS}/cache/new.bin", O_WRONLY|O_CREAT, 0666) = -1 EACCES (Permission denied)`,
  `105 +++ exited with 0 +++`,
].join('\n');

describe('probesFromTrace', () => {
  const probes = probesFromTrace(log, { roots: [WS], ignore: ['node_modules'], tracked: new Set(['test/golden.txt', 'src/data.json', 'src/sum.ts']) });

  it('keeps the workspace paths looked for and not found, relative, whole calls joined, links and outside paths left out', () => {
    expect(probes.absent).toEqual([
      '.npmrc',
      'src/package.json',
      'src/sum.js',
      'test/__snapshots__/sum.test.ts.snap',
      'test/package.json',
      'vitest.config.mts',
    ]);
  });

  it('names the base names looked for in several folders', () => {
    expect(probes.perFolder).toEqual(['package.json']);
  });

  it('lists tracked files the run tried to change and could not (not reads, not new paths)', () => {
    expect(probes.deniedWrites).toEqual(['src/data.json', 'test/golden.txt']);
  });

  it('survives garbage', () => {
    expect(probesFromTrace('not strace\n\u0000\n123 ???\n', { roots: [WS], ignore: [] }).absent).toEqual([]);
  });
});

describe('probedAdditions', () => {
  const probes = probesFromTrace(log, { roots: [WS], ignore: ['node_modules'] });
  const folders = foldersOf(['src/sum.ts', 'test/sum.test.ts', 'package.json']);

  it('refuses a file the base looked for, whatever its name, and anything under a folder it looked for', () => {
    const out = probedAdditions(['vitest.config.mts', '.npmrc', 'src/sum.js', 'test/__snapshots__/sum.test.ts.snap'], probes, folders);
    expect(out.map((o) => o.path)).toEqual(['vitest.config.mts', '.npmrc', 'src/sum.js', 'test/__snapshots__/sum.test.ts.snap']);
    expect(out[0]!.reason).toMatch(/looked for this path and did not find it/);
    const nested = probesFromTrace(`1 statx(AT_FDCWD<${WS}>, "${WS}/src/node_modules", 0) = -1 ENOENT (x)`, { roots: [WS], ignore: [] });
    expect(probedAdditions(['src/node_modules/vitest/index.js'], nested, folders)[0]!.reason).toMatch(/looked for "src\/node_modules"/);
  });

  it('refuses a per-folder name in a new folder, allows it nowhere else by accident, and allows new modules', () => {
    expect(probedAdditions(['lib/package.json'], probes, folders).map((o) => o.path)).toEqual(['lib/package.json']);
    expect(probedAdditions(['src/helpers.ts', 'lib/util.ts'], probes, folders)).toEqual([]);
  });
});
