import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../adapters/project-root.js';

// bin/build-stamp.js is the plain JavaScript bin/ouro.js runs before tsx is loaded: imported by URL.
const { snapshotSources, stampIsCurrent, writeStamp } = (await import(join(PROJECT_ROOT, 'bin', 'build-stamp.js'))) as {
  snapshotSources: (root: string) => Record<string, [number, number]>;
  stampIsCurrent: (root: string) => boolean;
  writeStamp: (root: string, entries: Record<string, [number, number]>) => void;
};

let root: string;
const BUILT = new Date('2026-01-01T00:00:00Z');

/** A clone's sources, all last modified at BUILT, then built (stamped). */
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ouro-stamp-'));
  await mkdir(join(root, 'core', 'run'), { recursive: true });
  await mkdir(join(root, 'cli'));
  await mkdir(join(root, 'dist'));
  for (const f of ['core/run/a.ts', 'cli/main.ts']) await writeFile(join(root, f), 'export {};\n');
  for (const p of ['core/run/a.ts', 'cli/main.ts', 'core/run', 'core', 'cli']) await utimes(join(root, p), BUILT, BUILT);
  writeStamp(root, snapshotSources(root));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the build stamp', () => {
  it('holds for the sources it was taken from', () => {
    expect(stampIsCurrent(root)).toBe(true);
  });

  it('fails when a source is edited after the build, whatever its new time', async () => {
    await writeFile(join(root, 'core/run/a.ts'), 'export const edited = 1;\n');
    expect(stampIsCurrent(root)).toBe(false);
    // Put back to the build's time (a copy that keeps times): the size still differs.
    await utimes(join(root, 'core/run/a.ts'), BUILT, BUILT);
    expect(stampIsCurrent(root)).toBe(false);
  });

  it('fails when a file is added (even one older than the build) or removed', async () => {
    const old = new Date('2020-01-01T00:00:00Z');
    await writeFile(join(root, 'core/run/b.ts'), 'export {};\n');
    await utimes(join(root, 'core/run/b.ts'), old, old);
    expect(stampIsCurrent(root)).toBe(false);
    await rm(join(root, 'core/run/b.ts'));
    await utimes(join(root, 'core/run'), BUILT, BUILT);
    expect(stampIsCurrent(root)).toBe(true);

    await rm(join(root, 'core/run/a.ts'));
    expect(stampIsCurrent(root)).toBe(false);
  });

  it('fails with no stamp or an unreadable one', async () => {
    await rm(join(root, 'dist', '.build-stamp'));
    expect(stampIsCurrent(root)).toBe(false);
    await writeFile(join(root, 'dist', '.build-stamp'), '{not json');
    expect(stampIsCurrent(root)).toBe(false);
  });

  it('fails, without throwing, for a stamp of any other shape', async () => {
    for (const text of ['null', '{}', '[]', '42', '{"cli/main.ts": 5}', '{"cli/main.ts": [1]}', '{"core": null}']) {
      await writeFile(join(root, 'dist', '.build-stamp'), text);
      expect(stampIsCurrent(root), text).toBe(false);
    }
  });
});

describe('bin/ouro.js', () => {
  it('starts with a shebang, so the npm-linked command runs under node, not the shell', async () => {
    const { readFile } = await import('node:fs/promises');
    const bin = await readFile(join(PROJECT_ROOT, 'bin', 'ouro.js'), 'utf8');
    expect(bin.split('\n')[0]).toBe('#!/usr/bin/env node');
  });
});
