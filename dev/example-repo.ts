import { execa } from 'execa';
import { cp, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../adapters/project-root.js';

/**
 * A fresh git repository holding a copy of the bundled example, so that runs
 * (the demo, tests, benchmarks) never touch the copy in this repository.
 * Its devDependencies (vitest, tsx) are Ouro's own: node_modules is linked.
 */
export async function createExampleRepo(opts: { parent?: string; example?: string; files?: Record<string, string> } = {}): Promise<string> {
  const dir = await mkdtemp(join(opts.parent ?? tmpdir(), 'ouro-example-'));
  await cp(join(PROJECT_ROOT, 'examples', opts.example ?? 'mathkit'), dir, { recursive: true, filter: (src) => !src.endsWith('node_modules') });
  for (const [path, content] of Object.entries(opts.files ?? {})) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  await writeFile(join(dir, '.gitignore'), 'node_modules\n');
  await symlink(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'));
  const git = (...args: string[]) => execa('git', args, { cwd: dir });
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('-c', 'user.name=Ouro example', '-c', 'user.email=example@localhost', 'commit', '-qm', 'The bundled example');
  return dir;
}
