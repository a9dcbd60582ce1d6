import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

// Registered before the helper's own clean-up (imported below, after it): hooks run last-registered
// first, so this runs once the helper's has, and finds nothing left behind.
const made: string[] = [];
afterAll(() => {
  expect(made.length).toBe(2);
  for (const dir of made) expect(existsSync(dir), `${dir} is left behind`).toBe(false);
});

const { createExampleRepo } = await import('../../helpers/example-repos.js');

it('an example repository a test file creates is a real one, removed when the file ends', async () => {
  const dir = await createExampleRepo({ files: { 'NOTES.md': 'kept only while the file runs\n' } });
  made.push(dir);
  expect(basename(dir)).toMatch(/^ouro-example-/);
  expect(existsSync(join(dir, '.git'))).toBe(true);
  expect(existsSync(join(dir, 'NOTES.md'))).toBe(true);
});

it('is removed even with a folder inside that may not be written to', async () => {
  const dir = await createExampleRepo();
  made.push(dir);
  await mkdir(join(dir, 'frozen', 'inner'), { recursive: true });
  await chmod(join(dir, 'frozen'), 0o555);
});
