import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseStateDirs } from '../../../core/paths/state-dirs.js';
import { isOuroClone, stateDirsFor } from '../../../adapters/state-dirs.js';
import { PROJECT_ROOT } from '../../../adapters/project-root.js';

const base = { home: '/home/u', projectRoot: '/src/ouro', cwd: '/work' };

describe('chooseStateDirs', () => {
  it("keeps a clone's state in <clone>/.ouro, whatever XDG says", () => {
    expect(chooseStateDirs({ ...base, env: { XDG_DATA_HOME: '/x/data', XDG_CACHE_HOME: '/x/cache' }, clone: true })).toEqual({
      data: '/src/ouro/.ouro',
      cache: '/src/ouro/.ouro/cache',
      source: 'clone',
    });
  });

  it("puts an installed package's under XDG's folders, else ~/.local/share/ouro and ~/.cache/ouro", () => {
    expect(chooseStateDirs({ ...base, env: {}, clone: false })).toEqual({ data: '/home/u/.local/share/ouro', cache: '/home/u/.cache/ouro', source: 'XDG' });
    expect(chooseStateDirs({ ...base, env: { XDG_DATA_HOME: '/x/data/', XDG_CACHE_HOME: '/x/cache' }, clone: false })).toEqual({
      data: '/x/data/ouro',
      cache: '/x/cache/ouro',
      source: 'XDG',
    });
  });

  it('lets OURO_HOME move both, in a clone and installed alike', () => {
    for (const clone of [true, false])
      expect(chooseStateDirs({ ...base, env: { OURO_HOME: '/state/', XDG_DATA_HOME: '/x' }, clone })).toEqual({
        data: '/state',
        cache: '/state/cache',
        source: 'OURO_HOME',
      });
  });

  it('ignores what the specs call invalid: empty or blank values, relative XDG folders; reads a relative OURO_HOME against the current folder', () => {
    const hostile = [
      { OURO_HOME: '' },
      { OURO_HOME: '   ' },
      { XDG_DATA_HOME: 'relative/data', XDG_CACHE_HOME: '' },
      { XDG_DATA_HOME: ' ', XDG_CACHE_HOME: './cache' },
    ];
    for (const env of hostile)
      expect(chooseStateDirs({ ...base, env, clone: false })).toMatchObject({ data: '/home/u/.local/share/ouro', cache: '/home/u/.cache/ouro' });
    expect(chooseStateDirs({ ...base, env: { OURO_HOME: 'state/../ouro-state' }, clone: false })).toMatchObject({
      data: '/work/ouro-state',
      cache: '/work/ouro-state/cache',
    });
  });
});

describe('isOuroClone', () => {
  it("is Ouro's own checkout, not a folder without .git or with another package's name", () => {
    expect(isOuroClone(PROJECT_ROOT)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'ouro-state-dirs-'));
    expect(isOuroClone(dir)).toBe(false);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'ouro' }));
    expect(isOuroClone(dir)).toBe(false); // an installed package: no .git
    mkdirSync(join(dir, '.git'));
    expect(isOuroClone(dir)).toBe(true);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'other' }));
    expect(isOuroClone(dir)).toBe(false);
    writeFileSync(join(dir, 'package.json'), '{ not json');
    expect(isOuroClone(dir)).toBe(false);
    expect(stateDirsFor({}, dir)).toMatchObject({ source: 'XDG' });
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('the state folders have one name-giver', () => {
  it("no runtime module but core/paths/state-dirs.ts names '.ouro': each asks adapters/state-dirs.ts, so an installed package never writes into its own folder", () => {
    const naming: string[] = [];
    for (const dir of ['core', 'adapters', 'activities', 'workflows', 'worker', 'dev', 'cli', 'scripts'])
      for (const name of readdirSync(join(PROJECT_ROOT, dir), { recursive: true }) as string[]) {
        const file = `${dir}/${name}`;
        if (file.endsWith('.ts') && file !== 'core/paths/state-dirs.ts' && /['"`]\.ouro['"`]/.test(readFileSync(join(PROJECT_ROOT, file), 'utf8')))
          naming.push(file);
      }
    expect(naming).toEqual([]);
  });
});
