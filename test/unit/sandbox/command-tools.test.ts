import { describe, expect, it } from 'vitest';
import { absoluteWords, planCommandTools, type CommandToolFacts } from '../../../core/sandbox/command-tools.js';

/** A host as a list of files (with their text) and links. */
function host(files: Record<string, string>, links: Record<string, string> = {}): Omit<CommandToolFacts, 'command' | 'path'> {
  const real = (p: string): string => {
    for (const [from, to] of Object.entries(links)) if (p === from || p.startsWith(`${from}/`)) return real(to + p.slice(from.length));
    return p;
  };
  const isFile = (p: string) => real(p) in files;
  const isDir = (p: string) => Object.keys(files).some((f) => f.startsWith(`${real(p)}/`));
  return {
    home: '/home/u',
    hidden: ['/home/u', '/tmp', '/var/tmp'],
    keepOut: ['/tmp/ouro-workspaces', '/tmp/ouro-workspaces/run/base'],
    isFile,
    isDir,
    realpath: (p) => (isFile(p) || isDir(p) ? real(p) : undefined),
    readText: (p) => files[real(p)],
  };
}

describe('planCommandTools', () => {
  const venv = {
    '/tmp/venv/pyvenv.cfg': 'home = /home/u/.pyenv/versions/3.11.7/bin\ninclude-system-site-packages = false\n',
    '/tmp/venv/bin/python': '',
    '/tmp/venv/lib/python3.11/site-packages/pytest/__init__.py': '',
    '/home/u/.pyenv/versions/3.11.7/bin/python3.11': '',
    '/home/u/.pyenv/versions/3.11.7/lib/python3.11/os.py': '',
    '/home/u/.ssh/id_ed25519': 'secret',
  };

  it('binds a venv the command names under /tmp, and the base interpreter its pyvenv.cfg names', () => {
    const binds = planCommandTools({ ...host(venv), command: '/tmp/venv/bin/python -m pytest -q', path: '/usr/bin:/bin' });
    expect(binds).toEqual([
      { src: '/home/u/.pyenv/versions/3.11.7', dest: '/home/u/.pyenv/versions/3.11.7' },
      { src: '/tmp/venv', dest: '/tmp/venv' },
    ]);
  });

  it('binds a venv the PATH leads into, and nothing for programs outside hidden folders', () => {
    expect(planCommandTools({ ...host(venv), command: 'python -m pytest', path: '/tmp/venv/bin:/usr/bin' }).map((b) => b.dest)).toEqual([
      '/home/u/.pyenv/versions/3.11.7',
      '/tmp/venv',
    ]);
    expect(planCommandTools({ ...host({ '/usr/bin/python3': '' }), command: '/usr/bin/python3 -m pytest', path: '/usr/bin' })).toEqual([]);
  });

  it('mounts a linked venv where the command names it, and at its real place', () => {
    const files = { '/tmp/real/env/pyvenv.cfg': 'home = /usr/bin\n', '/tmp/real/env/bin/python': '' };
    const binds = planCommandTools({ ...host(files, { '/tmp/venv': '/tmp/real/env' }), command: 'cd sub && /tmp/venv/bin/python -m pytest', path: '' });
    expect(binds).toEqual([
      { src: '/tmp/real/env', dest: '/tmp/real/env' },
      { src: '/tmp/real/env', dest: '/tmp/venv' },
    ]);
  });

  it('finds conda envs, Go and Rust toolchains, and plain prefixes by their marks', () => {
    const files = {
      '/home/u/miniforge3/envs/py/conda-meta/history': '',
      '/home/u/miniforge3/envs/py/bin/python': '',
      '/tmp/go/VERSION': 'go1.22',
      '/tmp/go/pkg/tool/linux_amd64/compile': '',
      '/tmp/go/bin/go': '',
      '/home/u/sdk/rust/lib/rustlib/x': '',
      '/home/u/sdk/rust/bin/cargo': '',
      '/tmp/node-v20/bin/node': '',
    };
    const binds = planCommandTools({
      ...host(files),
      command: '/home/u/miniforge3/envs/py/bin/python -m pytest && /tmp/node-v20/bin/node t.js',
      path: '/tmp/go/bin:/home/u/sdk/rust/bin',
    });
    expect(binds.map((b) => b.dest)).toEqual(['/home/u/miniforge3/envs/py', '/home/u/sdk/rust', '/tmp/go', '/tmp/node-v20']);
  });

  // Hostile or odd inputs: never the home, a hidden folder itself, a secret folder, a run's folder, or a missing path.
  it('never binds the home, /tmp itself, secrets, the runs, or what does not exist', () => {
    const files = {
      '/home/u/bin/tool': '',
      '/tmp/bin/tool': '',
      '/home/u/.ssh/bin/x': '',
      '/home/u/.config/gh/bin/gh': '',
      '/tmp/ouro-workspaces/run/base/.venv/bin/python': '',
      '/tmp/ouro-workspaces/run/c1/bin/python': '',
      '/home/u/.ssh/id_rsa': 'k',
      '/home/u/.local/bin/tool': '',
      '/home/u/.local/share/keyrings/login.keyring': 'k',
      '/home/u/apps/bin/app': '',
      '/home/u/apps/notes.txt': '',
    };
    const binds = planCommandTools({
      ...host(files),
      command:
        '/home/u/bin/tool; /tmp/bin/tool | /home/u/.ssh/bin/x "/home/u/.config/gh/bin/gh" /tmp/ouro-workspaces/run/c1/bin/python /tmp/missing/bin/python /home/u/.ssh/id_rsa $HOME/x /tmp/*/bin/py',
      path: '/home/u:/tmp:/home/u/.ssh/bin:/tmp/ouro-workspaces/run/base/.venv/bin:relative/bin:/home/u/bin:/home/u/.local/bin:/home/u/apps/bin',
    });
    // In the home, a folder of programs without an environment's marks comes alone (never ~/.local with its keyrings).
    expect(binds.map((b) => b.dest)).toEqual(['/home/u/.local/bin', '/home/u/apps/bin', '/home/u/bin', '/tmp/bin']);
  });

  it('reads absolute words from shell syntax', () => {
    expect(absoluteWords(`FOO=/tmp/a env '/tmp/v/bin/python' -m pytest>/tmp/out;(/opt/x)|"/tmp/q"`)).toEqual([
      '/tmp/a',
      '/tmp/v/bin/python',
      '/tmp/out',
      '/opt/x',
      '/tmp/q',
    ]);
  });
});
