import { describe, expect, it } from 'vitest';
import { planToolchains } from '../../../core/sandbox/toolchains.js';

const existing = (paths: string[]) => (p: string) => paths.some((e) => e === p || e.startsWith(`${p}/`));

describe('planToolchains', () => {
  it('binds the toolchain roots the PATH leads into, tells each tool its home, and lists secrets inside them', () => {
    const plan = planToolchains({
      home: '/home/u',
      path: '/home/u/.pyenv/shims:/home/u/.pyenv/bin:/home/u/.cargo/bin:/home/u/go/bin:/home/u/.local/bin:/home/u/bin:/usr/bin',
      env: {},
      exists: existing([
        '/home/u/.pyenv/shims',
        '/home/u/.pyenv/bin',
        '/home/u/.cargo/bin',
        '/home/u/.rustup/toolchains',
        '/home/u/go/bin/gopls',
        '/home/u/go/pkg/mod/x',
        '/home/u/go/src/private/main.go',
        '/home/u/.local/bin',
        '/home/u/.local/lib/python3.11',
        '/home/u/bin/secret-script',
      ]),
    });
    expect(plan.bind).toEqual([
      '/home/u/.cargo',
      '/home/u/.local/bin',
      '/home/u/.local/lib',
      '/home/u/.pyenv',
      '/home/u/.rustup',
      '/home/u/go/bin',
      '/home/u/go/pkg/mod',
    ]);
    expect(plan.bind).not.toContain('/home/u/bin'); // not a known toolchain folder: it stays hidden
    expect(plan.env).toMatchObject({
      PYENV_ROOT: '/home/u/.pyenv',
      CARGO_HOME: '/home/u/.cargo',
      RUSTUP_HOME: '/home/u/.rustup',
      GOMODCACHE: '/home/u/go/pkg/mod',
      GOCACHE: '/tmp/go-build',
      GOPROXY: 'off',
      GOTOOLCHAIN: 'local',
    });
    expect(plan.hide).toEqual(['/home/u/.cargo/credentials', '/home/u/.cargo/credentials.toml']);
  });

  it('binds nothing from a PATH that stays out of the home, and never the home itself', () => {
    const plan = planToolchains({ home: '/root', path: '/usr/local/bin:/usr/bin:/root', env: {}, exists: (p) => p.startsWith('/usr') || p === '/root' });
    expect(plan.bind).toEqual([]);
    expect(plan.env.PYENV_ROOT).toBeUndefined();
  });

  it('follows the variables the user set (PYENV_ROOT, CARGO_HOME, NVM_DIR)', () => {
    const plan = planToolchains({
      home: '/home/u',
      path: '/home/u/.nvm/versions/node/v20/bin:/home/u/.pyenv/shims',
      env: { PYENV_ROOT: '/home/u/.pyenv', PYENV_VERSION: '3.12.1', NVM_DIR: '/home/u/.nvm' },
      exists: existing(['/home/u/.nvm/versions/node/v20/bin', '/home/u/.pyenv/shims']),
    });
    expect(plan.bind).toEqual(['/home/u/.nvm', '/home/u/.pyenv']);
    expect(plan.env).toMatchObject({ PYENV_ROOT: '/home/u/.pyenv', PYENV_VERSION: '3.12.1', NVM_DIR: '/home/u/.nvm' });
  });
});
