import { describe, expect, it } from 'vitest';
import { bwrapArgs, DEFAULT_LIMITS, parentsUnder, prlimitArgs } from '../../../core/sandbox/sandbox-args.js';

const spec = {
  workspace: '/tmp/ouro-workspaces/run-1/r1c2',
  command: './node_modules/.bin/vitest run',
  env: { PATH: '/usr/bin:/bin', HOME: '/tmp' },
  readOnly: ['/tmp/ouro-workspaces/run-1/r1c2/.git', '/tmp/ouro-workspaces/run-1/r1c2/test/a.test.ts'],
  readOnlyAt: [{ src: '/work/ouro/node_modules', dest: '/tmp/ouro-example-x/node_modules' }],
  masked: ['/root'],
  uid: 61001,
  limits: DEFAULT_LIMITS,
};

describe('bwrapArgs', () => {
  const args = bwrapArgs(spec);
  const at = (flag: string, value: string) => args.findIndex((a, i) => a === flag && args[i + 1] === value);

  it('isolates network, PIDs, IPC and hostname and dies with its parent', () => {
    for (const f of ['--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--die-with-parent', '--new-session', '--clearenv'])
      expect(args).toContain(f);
  });
  it('mounts the system read-only, /tmp private, the workspace writable, protected files read-only on top', () => {
    expect(args.slice(0, 3)).toEqual(['--ro-bind', '/', '/']);
    expect(at('--tmpfs', '/tmp')).toBeGreaterThan(0);
    const ws = at('--bind', spec.workspace);
    const test = at('--ro-bind', spec.readOnly[1]!);
    expect(ws).toBeGreaterThan(at('--tmpfs', '/tmp'));
    expect(test).toBeGreaterThan(ws);
    expect(args.slice(at('--ro-bind', '/work/ouro/node_modules'), at('--ro-bind', '/work/ouro/node_modules') + 3)).toEqual([
      '--ro-bind',
      '/work/ouro/node_modules',
      '/tmp/ouro-example-x/node_modules',
    ]);
  });
  it('hides masked folders and creates traversable parents for mounts under a tmpfs', () => {
    expect(at('--tmpfs', '/root')).toBeGreaterThan(0);
    expect(at('--dir', '/tmp/ouro-workspaces')).toBeGreaterThan(0);
    expect(args[at('--dir', '/tmp/ouro-workspaces') - 1]).toBe('0755');
  });
  it('passes only the given environment and drops to the uid under limits', () => {
    expect(args.filter((a) => a === '--setenv')).toHaveLength(2);
    const tail = args.slice(args.indexOf('--', 1) + 1);
    expect(tail.slice(0, 2)).toEqual(['setpriv', '--reuid=61001']);
    expect(tail).toContain('--nproc=256');
    expect(tail.slice(-3)).toEqual(['sh', '-c', spec.command]);
  });
});

describe("bwrapArgs: a build cache bound writable at its tool's path", () => {
  it("binds the run's private cache over the private /tmp, after the workspace, with traversable parents", () => {
    const args = bwrapArgs({ ...spec, writableAt: [{ src: '/tmp/ouro-0/x/run/build-caches/runs/r1/.tmp-go-build', dest: '/tmp/cache/go-build' }] });
    const bind = args.findIndex((a, i) => a === '--bind' && args[i + 2] === '/tmp/cache/go-build');
    expect(args[bind + 1]).toBe('/tmp/ouro-0/x/run/build-caches/runs/r1/.tmp-go-build');
    expect(bind).toBeGreaterThan(args.findIndex((a, i) => a === '--bind' && args[i + 1] === spec.workspace));
    expect(args.findIndex((a, i) => a === '--dir' && args[i + 1] === '/tmp/cache')).toBeGreaterThan(0);
  });
});

describe('parentsUnder', () => {
  it('lists the folders between a tmpfs root and each destination, shallowest first', () => {
    expect(parentsUnder(['/tmp/a/b/c', '/tmp/a/d', '/work/x'], ['/tmp'])).toEqual(['/tmp/a', '/tmp/a/b']);
  });
});

describe('prlimitArgs', () => {
  it('wraps the command in limits only', () => {
    expect(prlimitArgs('make test', DEFAULT_LIMITS).slice(-3)).toEqual(['sh', '-c', 'make test']);
  });
});
