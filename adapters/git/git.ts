import { execa } from 'execa';

// Every git call Ouro makes: hooks and fsmonitor off (a candidate could have
// planted them), inherited GIT_* variables dropped (they could point git at
// another repository), never an interactive prompt. safe.directory=* because
// a workspace can still belong to the sandbox's uid when a worker died
// mid-run; with hooks and fsmonitor off, another owner cannot run code here.
const SAFE_CONFIG = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'commit.gpgsign=false', '-c', 'safe.directory=*'];

function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('GIT_')) env[k] = v;
  }
  return { ...env, GIT_TERMINAL_PROMPT: '0', ...extra };
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

export async function git(
  cwd: string,
  args: string[],
  opts: { env?: Record<string, string>; input?: string; allowFail?: boolean; raw?: boolean } = {},
): Promise<string> {
  const r = await execa('git', [...SAFE_CONFIG, ...args], {
    cwd,
    env: gitEnv(opts.env),
    extendEnv: false,
    reject: false,
    input: opts.input,
    stripFinalNewline: !opts.raw,
  });
  if (r.exitCode !== 0 && !opts.allowFail) {
    throw new GitError(`git ${args.join(' ')} failed in ${cwd}: ${String(r.stderr).trim()}`, String(r.stderr));
  }
  return String(r.stdout);
}

export async function gitOk(cwd: string, args: string[]): Promise<boolean> {
  const r = await execa('git', [...SAFE_CONFIG, ...args], { cwd, env: gitEnv(), extendEnv: false, reject: false });
  return r.exitCode === 0;
}
