import { execa } from 'execa';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../adapters/project-root.js';

// bin/ouro.js in a stand-in clone whose "CLI" says which copy ran: dist/ (compiled) or cli/main.ts via tsx.
let root: string;
const ouro = async () => (await execa('node', [join(root, 'bin', 'ouro.js')], { cwd: root })).stdout;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ouro-start-'));
  await mkdir(join(root, 'bin'));
  for (const f of ['ouro.js', 'build-stamp.js']) await copyFile(join(PROJECT_ROOT, 'bin', f), join(root, 'bin', f));
  await symlink(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'));
  await mkdir(join(root, 'cli'));
  await writeFile(join(root, 'cli', 'main.ts'), "console.log('sources');\n");
  await mkdir(join(root, 'dist', 'cli'), { recursive: true });
  await writeFile(join(root, 'dist', 'cli', 'main.js'), "console.log('compiled');\n");
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('bin/ouro.js chooses what to run', () => {
  it('dist/ with no stamp (not built by npm run build): the sources', async () => {
    expect(await ouro()).toBe('sources');
  });

  it('dist/ stamped for today’s sources: dist/; a source edited after the build: the sources again', async () => {
    const { snapshotSources, writeStamp } = (await import(join(root, 'bin', 'build-stamp.js'))) as {
      snapshotSources: (root: string) => unknown;
      writeStamp: (root: string, entries: unknown) => void;
    };
    writeStamp(root, snapshotSources(root));
    expect(await ouro()).toBe('compiled');
    await writeFile(join(root, 'cli', 'main.ts'), "console.log('sources'); // edited\n");
    expect(await ouro()).toBe('sources');
  });

  it('an installed package (no sources shipped): dist/, with no check', async () => {
    await rm(join(root, 'cli'), { recursive: true });
    await rm(join(root, 'dist', '.build-stamp'), { force: true });
    expect(await ouro()).toBe('compiled');
  });
});
