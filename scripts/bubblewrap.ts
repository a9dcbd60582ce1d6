import { execa } from 'execa';

async function onPath(cmd: string): Promise<boolean> {
  return (await execa('sh', ['-c', `command -v ${cmd}`], { reject: false })).exitCode === 0;
}

/**
 * bubblewrap contains candidate code (adapters/sandbox/); strace records
 * what the base's test run looks for (core/gate/file-probes.ts). Both are installed
 * from Debian's packages when missing and we may (root with apt-get);
 * otherwise Ouro runs degraded (or without the lookup rule) and says so.
 */
export async function ensureBubblewrap(log: (m: string) => void): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  if (!(await onPath('strace')) && process.getuid?.() === 0 && (await onPath('apt-get'))) {
    log("installing strace (apt-get install strace): it records which runner configuration the base's tests look for");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    let r = await execa('apt-get', ['install', '-y', '-qq', 'strace'], { reject: false, env });
    if (r.exitCode !== 0) {
      await execa('apt-get', ['update', '-qq'], { reject: false, env });
      r = await execa('apt-get', ['install', '-y', '-qq', 'strace'], { reject: false, env });
    }
    if (r.exitCode !== 0) log("could not install strace: only the protected globs keep runner configuration the base's");
  }
  if (await onPath('bwrap')) return true;
  if (process.getuid?.() !== 0 || !(await onPath('apt-get'))) {
    log('bubblewrap (bwrap) is not installed: candidate code will run with limits only (sandbox: degraded). Install the "bubblewrap" package to contain it.');
    return false;
  }
  log('installing bubblewrap (apt-get install bubblewrap)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = await execa('apt-get', ['install', '-y', '-qq', 'bubblewrap'], { reject: false, env, all: true });
  if (r.exitCode !== 0) {
    await execa('apt-get', ['update', '-qq'], { reject: false, env });
    r = await execa('apt-get', ['install', '-y', '-qq', 'bubblewrap'], { reject: false, env, all: true });
  }
  if (r.exitCode !== 0) log(`could not install bubblewrap (${String(r.all).trim().split('\n').pop()}): sandbox will be degraded`);
  return r.exitCode === 0;
}
